package io.latentkit.core.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FastMathTest {
    @Test
    void matchesMathLogOverTheRangeSpectrogramsUse() {
        Random r = new Random(5);
        for (int i = 0; i < 200_000; i++) {
            // 1e-30 .. 1e9: log-mel floors, quiet bins, and unnormalised FFT peaks.
            float x = (float) Math.exp(r.nextDouble() * 90 - 69);
            // float rounding of the result itself: about 1e-7 of its size, plus the series' 1e-7.
            assertEquals(Math.log(x), FastMath.ln(x), 3e-7 + 2e-7 * Math.abs(Math.log(x)), "ln " + x);
        }
        // Exact powers of two and the mantissa split point.
        for (float x : new float[] {1f, 2f, 0.5f, 1024f, (float) Math.sqrt(2.0), Math.nextUp((float) Math.sqrt(2.0))}) {
            assertEquals(Math.log(x), FastMath.ln(x), 5e-7, "ln " + x);
        }
        assertEquals(0.0, FastMath.ln(1f), 0.0);
    }

    @Test
    void expMatchesMathExpAndHandlesTheEdges() {
        Random r = new Random(6);
        for (int i = 0; i < 200_000; i++) {
            float x = (float) (r.nextDouble() * 170 - 85);
            double e = Math.exp(x);
            assertEquals(e, FastMath.exp(x), 4e-7 * e, "exp " + x);
        }
        assertEquals(1f, FastMath.exp(0f), 1e-7f);
        assertEquals(0f, FastMath.exp(-1000f));
        assertEquals(0f, FastMath.exp(Float.NEGATIVE_INFINITY));
        assertEquals((float) Math.exp(88.0), FastMath.exp(1000f), 1e32f);
        assertEquals((float) Math.exp(88.0), FastMath.exp(Float.POSITIVE_INFINITY), 1e32f);
        assertTrue(Float.isNaN(FastMath.exp(Float.NaN)));
    }
}
