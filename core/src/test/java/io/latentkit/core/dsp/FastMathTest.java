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

    /** The branchy form ln had before it became branch-free: its bits are what spectrograms, features and onsets hold. */
    private static float branchyLn(float x) {
        int bits = Float.floatToRawIntBits(x);
        int e = ((bits >>> 23) & 0xff) - 127;
        float m = Float.intBitsToFloat((bits & 0x007fffff) | 0x3f800000);
        if (m > (float) Math.sqrt(2.0)) {
            m *= 0.5f;
            e++;
        }
        float z = (m - 1f) / (m + 1f);
        float z2 = z * z;
        float series = z * (2f + z2 * (2f / 3f + z2 * (2f / 5f + z2 * (2f / 7f))));
        return e * (float) Math.log(2.0) + series;
    }

    @Test
    void lnGivesTheSameBitsAsItsFormerBranchyFormForEveryKindOfFloat() {
        // Every 251st bit pattern (all exponents, signs, subnormals, infinities, NaNs), and each
        // side of sqrt(2), where the branch turned.
        for (long b = 0; b <= 0xffffffffL; b += 251) {
            float x = Float.intBitsToFloat((int) b);
            if (Float.floatToRawIntBits(FastMath.ln(x)) != Float.floatToRawIntBits(branchyLn(x))) {
                throw new AssertionError("ln(" + x + ") bits 0x" + Long.toHexString(b) + ": " + FastMath.ln(x)
                        + " against " + branchyLn(x));
            }
        }
        for (int e = -126; e <= 127; e++) {
            for (int d = -2; d <= 2; d++) {
                float x = Float.intBitsToFloat(Float.floatToRawIntBits(Math.scalb((float) Math.sqrt(2.0), e)) + d);
                assertEquals(Float.floatToRawIntBits(branchyLn(x)), Float.floatToRawIntBits(FastMath.ln(x)), "ln(" + x + ")");
            }
        }
    }
}
