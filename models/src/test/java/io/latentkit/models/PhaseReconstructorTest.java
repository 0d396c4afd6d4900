package io.latentkit.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.engine.dsp.Stft;
import org.junit.jupiter.api.Test;

class PhaseReconstructorTest {
    private static final int N_FFT = 1024;
    private static final int HOP = 256;
    private static final int FRAMES = 128;
    private static final int SAMPLES = FRAMES * HOP;

    /**
     * The fused, trigonometry-free iteration must compute what the textbook form computes: phase
     * vocoder start with cos/sin per bin, then per iteration rebuild the complex spectrum, inverse and
     * forward STFT over whole frame-major arrays, momentum step, normalise.
     */
    @Test
    void fastGriffinLimMatchesAStraightforwardReference() throws Exception {
        float[] mag = snareMagnitude();
        int iterations = 5;
        float[] expected = reference(mag, iterations, PhaseReconstructor.MOMENTUM);
        float[] actual = new float[SAMPLES];
        PhaseReconstructor pr = new PhaseReconstructor(N_FFT, HOP, FRAMES, SAMPLES);
        pr.fastGriffinLim(mag, iterations, actual);
        double err = 0;
        double energy = 0;
        for (int i = 0; i < SAMPLES; i++) {
            err += (double) (expected[i] - actual[i]) * (expected[i] - actual[i]);
            energy += (double) expected[i] * expected[i];
        }
        assertTrue(energy > 0);
        // float32 rounding differs (table versus on-the-fly phases, multiply by 1/|x| versus divide);
        // the two agree to far better than any audible or spectral-convergence difference.
        assertTrue(Math.sqrt(err / energy) < 1e-3, "relative error " + Math.sqrt(err / energy));
    }

    @Test
    void moreIterationsConvergeFurtherAndRepeatedCallsGiveTheSameWaveform() throws Exception {
        float[] mag = snareMagnitude();
        PhaseReconstructor pr = new PhaseReconstructor(N_FFT, HOP, FRAMES, SAMPLES);
        float[] a = new float[SAMPLES];
        float[] b = new float[SAMPLES];
        pr.fastGriffinLim(mag, 2, a);
        double sc2 = pr.spectralConvergence(mag, a);
        pr.fastGriffinLim(mag, 8, a);
        double sc8 = pr.spectralConvergence(mag, a);
        assertTrue(sc8 < sc2, "x8 " + sc8 + " vs x2 " + sc2);
        pr.fastGriffinLim(mag, 8, b);
        for (int i = 0; i < SAMPLES; i++) {
            assertEquals(a[i], b[i], 0f, "sample " + i);
        }
    }

    private static float[] snareMagnitude() throws Exception {
        ClipPreparer prep = new ClipPreparer(FeatureSpec.CURRENT);
        float[] x = Fixtures.hit("snare");
        prep.prepare(x, 0, x.length, new float[prep.logMelSize()]);
        Stft stft = new Stft(N_FFT, HOP);
        float[] mag = new float[FRAMES * stft.bins()];
        stft.magnitude(prep.clip(), FRAMES, mag);
        return mag;
    }

    private static float[] reference(float[] mag, int iterations, float momentum) {
        Stft stft = new Stft(N_FFT, HOP);
        int bins = stft.bins();
        int n = FRAMES * bins;
        float[] angRe = new float[n];
        float[] angIm = new float[n];
        for (int t = 0; t < FRAMES; t++) {
            for (int k = 0; k < bins; k++) {
                double phase = 2.0 * Math.PI * k * HOP * (double) t / N_FFT;
                angRe[t * bins + k] = (float) Math.cos(phase);
                angIm[t * bins + k] = (float) Math.sin(phase);
            }
        }
        float[] re = new float[n];
        float[] im = new float[n];
        float[] prevRe = new float[n];
        float[] prevIm = new float[n];
        float[] signal = new float[SAMPLES];
        float m = momentum / (1f + momentum);
        for (int it = 0; it < iterations; it++) {
            for (int i = 0; i < n; i++) {
                re[i] = mag[i] * angRe[i];
                im[i] = mag[i] * angIm[i];
            }
            stft.inverse(re, im, FRAMES, signal);
            stft.forward(signal, FRAMES, re, im);
            for (int i = 0; i < n; i++) {
                float a = re[i] - m * prevRe[i];
                float b = im[i] - m * prevIm[i];
                prevRe[i] = re[i];
                prevIm[i] = im[i];
                float len = (float) Math.sqrt(a * a + b * b) + 1e-16f;
                angRe[i] = a / len;
                angIm[i] = b / len;
            }
        }
        for (int i = 0; i < n; i++) {
            re[i] = mag[i] * angRe[i];
            im[i] = mag[i] * angIm[i];
        }
        float[] out = new float[SAMPLES];
        stft.inverse(re, im, FRAMES, out);
        return out;
    }
}
