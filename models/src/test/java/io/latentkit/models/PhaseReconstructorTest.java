package io.latentkit.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.dsp.Stft;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
    @ParameterizedTest
    @ValueSource(strings = {"fftw", "jtransforms"})
    void fastGriffinLimMatchesAStraightforwardReference(String backend) throws Exception {
        float[] mag = snareMagnitude();
        int iterations = 5;
        float[] expected = reference(mag, iterations, PhaseReconstructor.MOMENTUM);
        float[] actual = new float[SAMPLES];
        try (PhaseReconstructor pr = new PhaseReconstructor(N_FFT, HOP, FRAMES, SAMPLES, transform(backend))) {
            pr.fastGriffinLim(mag, iterations, actual);
        }
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

    /**
     * Phase-gradient heap integration must land far closer to a real hit's phase than the other
     * starts: with no iteration it has to beat the zero-phase and phase-vocoder starts by a wide
     * margin, and with two iterations it has to beat 10 plain Griffin-Lim iterations from zero phase
     * (SampleVAE). Fails if the derivative signs or scales are wrong (the integrated phase is then
     * no better than noise).
     */
    @ParameterizedTest
    @ValueSource(strings = {"fftw", "jtransforms"})
    void pghiStartsFarCloserThanTheOtherStartsOnARealHit(String backend) throws Exception {
        float[] mag = snareMagnitude();
        float[] out = new float[SAMPLES];
        try (PhaseReconstructor pr = new PhaseReconstructor(N_FFT, HOP, FRAMES, SAMPLES, transform(backend))) {
            pr.pghiFastGriffinLim(mag, 0, out);
            double pghi = pr.spectralConvergence(mag, out);
            pr.griffinLimZeroPhase(mag, 0, out);
            double zero = pr.spectralConvergence(mag, out);
            pr.fastGriffinLim(mag, 0, out);
            double vocoder = pr.spectralConvergence(mag, out);
            pr.pghiFastGriffinLim(mag, 2, out);
            double pghi2 = pr.spectralConvergence(mag, out);
            pr.griffinLimZeroPhase(mag, 10, out);
            double zero10 = pr.spectralConvergence(mag, out);
            assertTrue(pghi < 0.5 * zero, "PGHI " + pghi + " vs zero phase " + zero);
            assertTrue(pghi < 0.5 * vocoder, "PGHI " + pghi + " vs phase-vocoder start " + vocoder);
            assertTrue(pghi2 < zero10, "PGHI + 2 iterations " + pghi2 + " vs Griffin-Lim x10 from zero phase " + zero10);
        }
    }

    /**
     * A click (one impulse) and a steady sine are the two cases the phase-gradient equations are
     * exact for (up to the Hann window not being a Gaussian): PGHI alone must rebuild both closely.
     */
    @Test
    void pghiRebuildsAnImpulseAndASine() {
        float[] click = new float[SAMPLES];
        click[SAMPLES / 3] = 1f;
        float[] sine = new float[SAMPLES];
        for (int i = 0; i < SAMPLES; i++) {
            sine[i] = (float) Math.sin(2 * Math.PI * 1234.5 * i / 48000.0);
        }
        try (PhaseReconstructor pr = new PhaseReconstructor(N_FFT, HOP, FRAMES, SAMPLES)) {
            for (float[] x : new float[][] {click, sine}) {
                float[] mag = new float[FRAMES * pr.bins()];
                pr.magnitude(x, mag);
                float[] out = new float[SAMPLES];
                pr.pghiFastGriffinLim(mag, 0, out);
                double pghi = pr.spectralConvergence(mag, out);
                pr.fastGriffinLim(mag, 0, out);
                double vocoder = pr.spectralConvergence(mag, out);
                assertTrue(pghi < 0.1, (x == click ? "click" : "sine") + ": PGHI " + pghi + ", phase vocoder " + vocoder);
            }
        }
    }

    @Test
    void silenceGivesSilence() {
        try (PhaseReconstructor pr = new PhaseReconstructor(N_FFT, HOP, FRAMES, SAMPLES)) {
            float[] mag = new float[FRAMES * pr.bins()];
            float[] out = new float[SAMPLES];
            Arrays.fill(out, 1f);
            pr.pghiFastGriffinLim(mag, 3, out);
            for (float v : out) {
                assertEquals(0f, v, 0f);
            }
        }
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

    private static FrameFft transform(String backend) {
        return backend.equals("fftw") ? FftwFrameFft.create(N_FFT, FRAMES) : new JTransformsFrameFft(N_FFT, FRAMES);
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
