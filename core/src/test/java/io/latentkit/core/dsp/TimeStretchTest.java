package io.latentkit.core.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class TimeStretchTest {
    private static final int SR = 48_000;

    /** A struck tone: 1 ms linear rise, then an exponential decay. */
    static float[] struckSine(double hz, double seconds) {
        float[] x = new float[(int) (seconds * SR)];
        int rise = SR / 1000;
        for (int i = 0; i < x.length; i++) {
            double env = i < rise ? (double) i / rise : Math.exp(-(i - rise) / (0.6 * SR));
            x[i] = (float) (0.8 * env * Math.sin(2 * Math.PI * hz * i / SR));
        }
        return x;
    }

    /** Rising zero crossings per second over [from, to). */
    static double zeroCrossingHz(float[] x, int from, int to) {
        int first = -1;
        int last = -1;
        int n = 0;
        for (int i = Math.max(1, from); i < to; i++) {
            if (x[i - 1] < 0f && x[i] >= 0f) {
                if (first < 0) {
                    first = i;
                } else {
                    n++;
                }
                last = i;
            }
        }
        return n == 0 ? 0 : n * (double) SR / (last - first);
    }

    static int riseFrames(float[] x) {
        return Transients.riseFrames(SR, x);
    }

    @Test
    void stretchChangesLengthByTheFactorAndKeepsThePitch() {
        TimeStretch ts = new TimeStretch(SR);
        float[] in = struckSine(440, 1.0);
        for (double f : new double[] {0.5, 0.75, 1.5, 2.0}) {
            float[] out = ts.stretchKeepingAttack(f, in)[0];
            assertTrue(Math.abs(out.length - in.length * f) <= ts.hopFrames(), f + ": " + out.length);
            double hz = zeroCrossingHz(out, (int) (0.3 * out.length), (int) (0.9 * out.length));
            assertEquals(440.0, hz, 440 * 0.005, "pitch after x" + f);
        }
    }

    @Test
    void plainResamplingToTheSameLengthChangesThePitchWhichTheStretchDoesNot() {
        float[] in = struckSine(440, 1.0);
        float[] resampled = Resampler.resample(in, SR, (int) (SR * 1.5));
        double hz = zeroCrossingHz(resampled, (int) (0.3 * resampled.length), (int) (0.9 * resampled.length));
        assertEquals(440.0 / 1.5, hz, 2.0);
    }

    @Test
    void theAttackIsKeptSampleForSampleSoItsPeakAndRiseTimeStay() throws Exception {
        TimeStretch ts = new TimeStretch(SR);
        float[] kick = FixtureAudio.wav("clip_kick.wav");
        int keep = ts.attackKeepFrames(kick);
        assertTrue(keep > Transients.peakFrame(kick), "keeps past the peak");
        for (double f : new double[] {0.5, 2.0}) {
            float[] out = ts.stretchKeepingAttack(f, kick)[0];
            for (int i = 0; i < keep - ts.fftSize() / 2; i++) {
                assertEquals(kick[i], out[i], 1e-4f, "frame " + i + " at x" + f);
            }
            assertEquals(Transients.peakFrame(kick), Transients.peakFrame(out), "peak frame at x" + f);
            assertEquals(Math.abs(kick[Transients.peakFrame(kick)]), Math.abs(out[Transients.peakFrame(out)]), 1e-3f);
            assertEquals(riseFrames(kick), riseFrames(out), "rise time at x" + f);
        }
    }

    @Test
    void aPhaseVocoderWithoutTransientHandlingSmearsAClickThatTheStretchKeeps() {
        TimeStretch ts = new TimeStretch(SR);
        // A noise burst with an instant attack, decaying over 300 ms.
        Random r = new Random(7);
        float[] in = new float[SR / 2];
        int onset = 4000;
        for (int i = onset; i < in.length; i++) {
            in[i] = (float) (0.9 * Math.exp(-(i - onset) / (0.1 * SR)) * (2 * r.nextFloat() - 1));
        }
        float[] kept = ts.stretchKeepingAttack(2.0, in)[0];
        float[] plain = ts.stretch(in, 2.0, 0);
        assertEquals(kept.length, plain.length);
        // Energy before the onset: the plain vocoder spreads the attack ahead of where it was.
        double preKept = energy(kept, 0, onset - 16);
        double prePlain = energy(plain, 0, (int) ((onset - 16) * 2.0));
        assertTrue(preKept < 1e-9, "nothing before the onset: " + preKept);
        assertTrue(prePlain > 1e-3, "the plain vocoder smears the click: " + prePlain);
        assertTrue(riseFrames(kept) < riseFrames(plain), riseFrames(kept) + " vs " + riseFrames(plain));
    }

    private static double energy(float[] x, int from, int to) {
        double e = 0;
        for (int i = from; i < to; i++) {
            e += (double) x[i] * x[i];
        }
        return e;
    }

    @Test
    void factorsOutsideHalfToTwoAreRefusedWithTheRange() {
        TimeStretch ts = new TimeStretch(SR);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ts.stretchKeepingAttack(2.5, new float[100]));
        assertTrue(e.getMessage().contains("0.5..2.0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ts.stretch(new float[100], Double.NaN, 0));
    }

    @Test
    void reverseIsTheExactReversal() {
        float[] x = {1f, 2f, 3f, -4f};
        float[] y = SampleEdits.reverse(x);
        assertEquals(-4f, y[0]);
        assertEquals(3f, y[1]);
        assertEquals(2f, y[2]);
        assertEquals(1f, y[3]);
    }

    @Test
    void spliceStartsWithTheAttackOfOneAndEndsWithTheTailOfTheOther() throws Exception {
        float[] kick = FixtureAudio.wav("clip_kick.wav");
        float[] crash = FixtureAudio.wav("clip_crash.wav");
        float[][] a = {kick};
        float[][] b = {crash};
        float[] out = SampleEdits.splice(SR, a, b)[0];
        int cut = SampleEdits.spliceCutFrame(SR, a);
        int fade = SampleEdits.spliceFadeFrames(SR);
        int offset = SampleEdits.spliceOffsetFrames(a, b);
        assertTrue(cut > Transients.peakFrame(kick));
        for (int i = 0; i < cut; i++) {
            assertEquals(kick[i], out[i], 0f, "attack frame " + i);
        }
        for (int i = cut + fade; i < out.length; i++) {
            assertEquals(crash[i + offset], out[i], 0f, "tail frame " + i);
        }
        assertEquals(crash.length - offset, out.length);
    }

    @Test
    void shortAndSilentSoundsComeOutAtTheirLengthWithoutNaN() {
        TimeStretch ts = new TimeStretch(44_100);
        for (int n : new int[] {0, 1, 7, 100, 3000}) {
            float[] x = new float[n];
            for (int i = 0; i < n; i++) {
                x[i] = (float) Math.sin(i * 0.3) * 0.5f;
            }
            for (double f : new double[] {0.5, 2.0}) {
                float[] y = ts.stretchKeepingAttack(f, x, x)[1];
                assertEquals(Math.round(n * f), y.length, n + " frames x" + f);
                for (float v : y) {
                    assertTrue(Float.isFinite(v) && Math.abs(v) < 2f, n + " frames x" + f + ": " + v);
                }
            }
        }
        float[] silent = ts.stretchKeepingAttack(1.5, new float[5000])[0];
        for (float v : silent) {
            assertEquals(0f, v);
        }
    }
}
