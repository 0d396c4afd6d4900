package io.latentkit.engine.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

class FastLogTest {
    @Test
    void matchesMathLogOverTheRangeSpectrogramsUse() {
        Random r = new Random(5);
        for (int i = 0; i < 200_000; i++) {
            // 1e-30 .. 1e9: log-mel floors, quiet bins, and unnormalised FFT peaks.
            float x = (float) Math.exp(r.nextDouble() * 90 - 69);
            // float rounding of the result itself: about 1e-7 of its size, plus the series' 1e-7.
            assertEquals(Math.log(x), FastLog.ln(x), 3e-7 + 2e-7 * Math.abs(Math.log(x)), "ln " + x);
        }
        // Exact powers of two and the mantissa split point.
        for (float x : new float[] {1f, 2f, 0.5f, 1024f, (float) Math.sqrt(2.0), Math.nextUp((float) Math.sqrt(2.0))}) {
            assertEquals(Math.log(x), FastLog.ln(x), 5e-7, "ln " + x);
        }
        assertEquals(0.0, FastLog.ln(1f), 0.0);
    }
}
