package io.latentkit.core.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
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

    /**
     * A TR-808-style long kick: a sine gliding from 120 to 50 Hz over 1.2 s with a slow attack.
     * Its glide is spectral flux all along, but it never gets louder, so it is one hit.
     */
    private static float[] longKick(int lead, double attackMs) {
        int length = (int) (1.2 * 48000);
        float[] x = new float[lead + length + 4800];
        double phase = 0;
        for (int i = 0; i < length; i++) {
            double t = i / 48000.0;
            phase += 2 * Math.PI * (50 + 70 * Math.exp(-t / 0.04)) / 48000;
            double env = Math.min(1.0, t * 1000 / attackMs) * Math.exp(-t / 0.5) * Math.min(1.0, (1.2 - t) / 0.05);
            x[lead + i] = (float) (0.95 * env * Math.sin(phase));
        }
        return x;
    }

    @Test
    void aLongGlidingKickWithASlowAttackIsOneHitAtItsStart() {
        OnsetDetector d = new OnsetDetector(48000);
        for (int lead : new int[] {0, 100, 14400}) {
            for (double attackMs : new double[] {0.5, 10, 30}) {
                int[] onsets = d.detect(longKick(lead, attackMs));
                assertEquals(1, onsets.length, "lead " + lead + ", attack " + attackMs + " ms: "
                        + Arrays.toString(onsets));
                assertTrue(onsets[0] <= lead + 32 + (int) (attackMs * 48) && onsets[0] >= lead - 480,
                        "onset " + onsets[0] + " for a kick at " + lead);
            }
        }
    }

    @Test
    void aHatOverTheKicksTailIsASecondHit() {
        float[] x = longKick(4800, 10);
        Random r = new Random(1);
        for (int i = 0; i < 4800; i++) {
            x[28800 + i] += (float) (0.3 * r.nextGaussian() * Math.exp(-i / 600.0));
        }
        int[] onsets = new OnsetDetector(48000).detect(x);
        assertEquals(2, onsets.length, Arrays.toString(onsets));
        // The kick's tail is still loud there, so the onset can land up to a frame early.
        assertTrue(onsets[1] > 28800 - 2048 && onsets[1] <= 28800 + 32, "hat onset " + onsets[1]);
    }

    @Test
    void aNoiseFloorBeforeTheFirstHitIsNoOnset() {
        int[] starts = {5300, 43000};
        float[] x = decayingNoiseBurstsAt(starts, 60000);
        Random r = new Random(5);
        for (int i = 0; i < x.length; i++) {
            x[i] += (float) (r.nextGaussian() * 1e-4);
        }
        int[] onsets = new OnsetDetector(48000).detect(x);
        assertEquals(starts.length, onsets.length, Arrays.toString(onsets));
        assertTrue(onsets[0] >= starts[0] - 480, "first onset " + onsets[0]);
    }

    @Test
    void silenceHasNoOnsets() {
        assertEquals(0, new OnsetDetector(48000).detect(new float[48000]).length);
    }
}
