package io.latentkit.core.dsp;

import java.util.Arrays;
import java.util.Random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class OnsetDetectorTest {
    private static float[] decayingNoiseBurstsAt(int[] starts, int length) {
        float[] x = new float[length];
        Random r = new Random(3);
        for (int s : starts) {
            for (int i = 0; i < 9600 && s + i < length; i++) {
                x[s + i] += (float) (r.nextGaussian() * 0.5 * Math.exp(-i / 1500.0));
            }
        }
        return x;
    }

    @Test
    void findsEachHitWithinTenMillisecondsBeforeItsAttack() {
        int[] starts = {4800, 30000, 52000, 80000};
        int[] onsets = new OnsetDetector(48000).detect(decayingNoiseBurstsAt(starts, 100000));
        assertEquals(starts.length, onsets.length, Arrays.toString(onsets));
        for (int i = 0; i < starts.length; i++) {
            assertTrue(onsets[i] <= starts[i] + 32 && onsets[i] >= starts[i] - 480,
                    "onset " + onsets[i] + " for hit at " + starts[i]);
        }
    }

    @Test
    void silenceHasNoOnsets() {
        assertEquals(0, new OnsetDetector(48000).detect(new float[48000]).length);
    }
}
