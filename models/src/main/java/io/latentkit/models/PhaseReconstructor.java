package io.latentkit.models;

import io.latentkit.engine.dsp.Stft;
import java.util.Arrays;

/**
 * Rebuilds a waveform from a magnitude spectrogram. {@link #fastGriffinLim} is what latentkit uses:
 * fast Griffin-Lim (Perraudin, Balazs, Sondergaard 2013: Griffin-Lim with an inertial "momentum"
 * step) started from a phase-vocoder initial phase, in which each bin's phase advances by
 * {@code 2 pi k hop / nFft} per frame (exact for steady partials, and far closer than zero phase,
 * which turns every frame into a click at its centre). {@link #griffinLimZeroPhase} is SampleVAE's
 * method (plain Griffin-Lim from zero phase), kept as the baseline the report compares against.
 *
 * <p>Not thread-safe (owns an {@link Stft} and scratch); one instance per thread. Calls do not allocate.
 */
public final class PhaseReconstructor {
    /** Momentum of fast Griffin-Lim; 0.99 is the value its authors and librosa recommend. */
    public static final float MOMENTUM = 0.99f;

    private final Stft stft;
    private final int frames;
    private final int bins;
    private final float[] re;
    private final float[] im;
    private final float[] prevRe;
    private final float[] prevIm;
    private final float[] angRe;
    private final float[] angIm;
    private final float[] signal;

    public PhaseReconstructor(int nFft, int hop, int frames, int samples) {
        this.stft = new Stft(nFft, hop);
        this.frames = frames;
        this.bins = stft.bins();
        int n = frames * bins;
        this.re = new float[n];
        this.im = new float[n];
        this.prevRe = new float[n];
        this.prevIm = new float[n];
        this.angRe = new float[n];
        this.angIm = new float[n];
        this.signal = new float[samples];
    }

    public int frames() {
        return frames;
    }

    public int bins() {
        return bins;
    }

    /**
     * Fast Griffin-Lim from a phase-vocoder initial phase.
     *
     * @param mag frame-major magnitudes ({@code frames * bins})
     * @param out receives the waveform ({@code samples} long)
     */
    public void fastGriffinLim(float[] mag, int iterations, float[] out) {
        final int hop = stft.hop();
        final int nFft = stft.nFft();
        for (int t = 0; t < frames; t++) {
            for (int k = 0; k < bins; k++) {
                double phase = 2.0 * Math.PI * k * hop * (double) t / nFft;
                angRe[t * bins + k] = (float) Math.cos(phase);
                angIm[t * bins + k] = (float) Math.sin(phase);
            }
        }
        iterate(mag, iterations, MOMENTUM, out);
    }

    /** SampleVAE's reconstruction: plain Griffin-Lim (no momentum) from zero phase. */
    public void griffinLimZeroPhase(float[] mag, int iterations, float[] out) {
        Arrays.fill(angRe, 1f);
        Arrays.fill(angIm, 0f);
        iterate(mag, iterations, 0f, out);
    }

    private void iterate(float[] mag, int iterations, float momentum, float[] out) {
        final int n = frames * bins;
        final float m = momentum / (1f + momentum);
        Arrays.fill(prevRe, 0f);
        Arrays.fill(prevIm, 0f);
        for (int it = 0; it < iterations; it++) {
            for (int i = 0; i < n; i++) {
                re[i] = mag[i] * angRe[i];
                im[i] = mag[i] * angIm[i];
            }
            stft.inverse(re, im, frames, signal);
            stft.forward(signal, frames, re, im);
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
        stft.inverse(re, im, frames, out);
    }

    /**
     * Spectral convergence {@code ||S - |STFT(x)||| / ||S||} of a waveform against the target
     * magnitudes: 0 is perfect. Allocation-free.
     */
    public double spectralConvergence(float[] mag, float[] waveform) {
        stft.magnitude(waveform, frames, re);
        double num = 0;
        double den = 0;
        for (int i = 0, n = frames * bins; i < n; i++) {
            double d = mag[i] - re[i];
            num += d * d;
            den += (double) mag[i] * mag[i];
        }
        return den == 0 ? 0 : Math.sqrt(num / den);
    }

    /** Frame-major magnitudes of a waveform, for tests and the benchmark. */
    public void magnitude(float[] waveform, float[] magOut) {
        stft.magnitude(waveform, frames, magOut);
    }
}
