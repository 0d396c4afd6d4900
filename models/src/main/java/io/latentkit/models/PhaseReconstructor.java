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
    /** Phase-vocoder initial phase as unit complex numbers; depends only on the shape, so built once. */
    private final float[] initRe;
    private final float[] initIm;
    private final float[] scratch;
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
        this.initRe = new float[n];
        this.initIm = new float[n];
        for (int t = 0; t < frames; t++) {
            for (int k = 0; k < bins; k++) {
                // Reduce k * hop * t modulo nFft in exact integer arithmetic before scaling to radians.
                long cycles = ((long) k * hop * t) % nFft;
                double phase = 2.0 * Math.PI * cycles / nFft;
                initRe[t * bins + k] = (float) Math.cos(phase);
                initIm[t * bins + k] = (float) Math.sin(phase);
            }
        }
        this.scratch = new float[n];
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
        System.arraycopy(initRe, 0, angRe, 0, initRe.length);
        System.arraycopy(initIm, 0, angIm, 0, initIm.length);
        iterate(mag, iterations, MOMENTUM, out);
    }

    /** SampleVAE's reconstruction: plain Griffin-Lim (no momentum) from zero phase. */
    public void griffinLimZeroPhase(float[] mag, int iterations, float[] out) {
        Arrays.fill(angRe, 1f);
        Arrays.fill(angIm, 0f);
        iterate(mag, iterations, 0f, out);
    }

    /**
     * Each iteration is one inverse STFT of {@code mag * angle} and one forward STFT whose frames are
     * projected straight into the next angle (no frame-major copy of the rebuilt spectrum). Phases are
     * kept as unit complex numbers and renormalised by their modulus, so no trigonometry runs here.
     */
    private void iterate(float[] mag, int iterations, float momentum, float[] out) {
        final float m = momentum / (1f + momentum);
        final int b = bins;
        final float[] aRe = angRe;
        final float[] aIm = angIm;
        final float[] pRe = prevRe;
        final float[] pIm = prevIm;
        Arrays.fill(pRe, 0f);
        Arrays.fill(pIm, 0f);
        for (int it = 0; it < iterations; it++) {
            stft.inversePolar(mag, aRe, aIm, frames, signal);
            for (int t = 0; t < frames; t++) {
                final float[] f = stft.forwardFrame(signal, t);
                final int base = t * b;
                // DC and Nyquist are real in a real signal's spectrum: their angle is a sign.
                project(f[0], 0f, base, m);
                project(f[1], 0f, base + b - 1, m);
                for (int k = 1; k < b - 1; k++) {
                    final int i = base + k;
                    final float re = f[2 * k];
                    final float im = f[2 * k + 1];
                    final float x = re - m * pRe[i];
                    final float y = im - m * pIm[i];
                    pRe[i] = re;
                    pIm[i] = im;
                    final float inv = 1f / ((float) Math.sqrt(x * x + y * y) + 1e-16f);
                    aRe[i] = x * inv;
                    aIm[i] = y * inv;
                }
            }
        }
        stft.inversePolar(mag, aRe, aIm, frames, out);
    }

    private void project(float re, float im, int i, float m) {
        float x = re - m * prevRe[i];
        float y = im - m * prevIm[i];
        prevRe[i] = re;
        prevIm[i] = im;
        float inv = 1f / ((float) Math.sqrt(x * x + y * y) + 1e-16f);
        angRe[i] = x * inv;
        angIm[i] = y * inv;
    }

    /**
     * Spectral convergence {@code ||S - |STFT(x)||| / ||S||} of a waveform against the target
     * magnitudes: 0 is perfect. Allocation-free.
     */
    public double spectralConvergence(float[] mag, float[] waveform) {
        stft.magnitude(waveform, frames, scratch);
        double num = 0;
        double den = 0;
        for (int i = 0, n = frames * bins; i < n; i++) {
            double d = mag[i] - scratch[i];
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
