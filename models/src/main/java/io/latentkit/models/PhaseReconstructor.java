package io.latentkit.models;

import io.latentkit.core.dsp.Stft;
import java.util.Arrays;

/**
 * Rebuilds a waveform from a magnitude spectrogram, with {@link Stft}'s framing (frame {@code t}
 * covers samples {@code [t*hop - nFft/2, t*hop + nFft/2)}, periodic Hann window, least-squares
 * inverse).
 *
 * <ul>
 *   <li>{@link #pghiFastGriffinLim}: what latentkit uses. Phase-gradient heap integration
 *   ({@link Pghi}: a non-iterative estimate of the phase from the magnitude's gradients), then fast
 *   Griffin-Lim (Perraudin, Balazs, Søndergaard 2013: Griffin-Lim with an inertial "momentum" step)
 *   from that phase.</li>
 *   <li>{@link #fastGriffinLim}: fast Griffin-Lim from a phase-vocoder initial phase, in which each
 *   bin's phase advances by {@code 2 pi k hop / nFft} per frame (latentkit's method before 1.2).</li>
 *   <li>{@link #griffinLimZeroPhase}: SampleVAE's method (plain Griffin-Lim from zero phase), the
 *   baseline the report compares against.</li>
 * </ul>
 *
 * <p>Each iteration transforms all frames in one batch through a {@link FrameFft} (FFTW where it
 * loads). Spectra are kept interleaved (re, im) and frame-major: bin {@code k} of frame {@code t} at
 * {@code 2*(t*bins + k)}.
 *
 * <p>Not thread-safe (owns the transforms and scratch); one instance per thread. Construction
 * allocates and plans; calls do not allocate. {@link #close} frees the native transforms.
 */
public final class PhaseReconstructor implements AutoCloseable {
    /** Momentum of fast Griffin-Lim; 0.99 is the value its authors and librosa recommend. */
    public static final float MOMENTUM = 0.99f;

    private final int frames;
    private final int bins;
    private final BatchStft stft;
    private final Pghi pghi;
    /** Phase-vocoder initial phase as unit complex numbers; depends only on the shape, so built once. */
    private final float[] initRe;
    private final float[] initIm;
    /** The current phase as unit complex numbers, frame-major, real and imaginary parts apart. */
    private final float[] angleRe;
    private final float[] angleIm;
    /** The previous iteration's rebuilt spectrum (the momentum term), parts apart. */
    private final float[] previousRe;
    private final float[] previousIm;
    /** The rebuilt spectrum, parts apart. */
    private final float[] splitRe;
    private final float[] splitIm;
    private final float[] signal;

    public PhaseReconstructor(int nFft, int hop, int frames, int samples) {
        this(nFft, hop, frames, samples, null);
    }

    /** With a given transform (closed by {@link #close}), or {@code null} for {@link FrameFft#create}. */
    PhaseReconstructor(int nFft, int hop, int frames, int samples, FrameFft transform) {
        this.frames = frames;
        this.stft = new BatchStft(nFft, hop, frames, transform);
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
        this.angleRe = new float[n];
        this.angleIm = new float[n];
        this.previousRe = new float[n];
        this.previousIm = new float[n];
        this.splitRe = new float[n];
        this.splitIm = new float[n];
        this.signal = new float[samples];
        this.pghi = new Pghi(nFft, hop, frames);
    }

    public int frames() {
        return frames;
    }

    public int bins() {
        return bins;
    }

    /** The FFT implementation in use, for reports. */
    public String fftName() {
        return stft.fftName();
    }

    /**
     * latentkit's reconstruction: phase-gradient heap integration for the initial phase, then
     * {@code iterations} of fast Griffin-Lim from it.
     *
     * @param mag frame-major magnitudes ({@code frames * bins})
     * @param out receives the waveform ({@code samples} long)
     */
    public void pghiFastGriffinLim(float[] mag, int iterations, float[] out) {
        pghi.phase(mag, initRe, initIm, angleRe, angleIm);
        iterate(mag, iterations, MOMENTUM, out);
    }

    /** Fast Griffin-Lim from a phase-vocoder initial phase. */
    public void fastGriffinLim(float[] mag, int iterations, float[] out) {
        System.arraycopy(initRe, 0, angleRe, 0, initRe.length);
        System.arraycopy(initIm, 0, angleIm, 0, initIm.length);
        iterate(mag, iterations, MOMENTUM, out);
    }

    /** SampleVAE's reconstruction: plain Griffin-Lim (no momentum) from zero phase. */
    public void griffinLimZeroPhase(float[] mag, int iterations, float[] out) {
        Arrays.fill(angleRe, 1f);
        Arrays.fill(angleIm, 0f);
        iterate(mag, iterations, 0f, out);
    }

    /**
     * Each iteration is one inverse STFT of {@code mag * angle}, one forward STFT of the result, and
     * the projection of the rebuilt spectrum (with momentum) back to unit phases.
     */
    private void iterate(float[] mag, int iterations, float momentum, float[] out) {
        final float m = momentum / (1f + momentum);
        final float[] x = stft.spectrum();
        final float[] xr = splitRe;
        final float[] xi = splitIm;
        final float[] pr = previousRe;
        final float[] pi = previousIm;
        final float[] ar = angleRe;
        final float[] ai = angleIm;
        Arrays.fill(pr, 0f);
        Arrays.fill(pi, 0f);
        for (int it = 0; it < iterations; it++) {
            synthesize(mag, signal);
            stft.forward(signal);
            final int bins = xr.length;
            for (int j = 0; j < bins; j++) {
                xr[j] = x[2 * j];
                xi[j] = x[2 * j + 1];
            }
            // Unit-stride over split arrays, so that C2 can vectorise the square roots and divisions.
            for (int j = 0; j < bins; j++) {
                final float re = xr[j];
                final float im = xi[j];
                final float u = re - m * pr[j];
                final float v = im - m * pi[j];
                pr[j] = re;
                pi[j] = im;
                final float inv = 1f / ((float) Math.sqrt(u * u + v * v) + 1e-16f);
                ar[j] = u * inv;
                ai[j] = v * inv;
            }
        }
        synthesize(mag, out);
    }

    /** Least-squares inverse STFT of {@code mag * angle} into {@code out}. */
    private void synthesize(float[] mag, float[] out) {
        final float[] x = stft.spectrum();
        final float[] ar = angleRe;
        final float[] ai = angleIm;
        for (int j = 0, n = ar.length; j < n; j++) {
            final float g = mag[j];
            x[2 * j] = g * ar[j];
            x[2 * j + 1] = g * ai[j];
        }
        stft.inverse(x, out);
    }

    /**
     * Spectral convergence {@code ||S - |STFT(x)||| / ||S||} of a waveform against the target
     * magnitudes: 0 is perfect. Allocation-free.
     */
    public double spectralConvergence(float[] mag, float[] waveform) {
        stft.forward(waveform);
        final float[] spectrum = stft.spectrum();
        double num = 0;
        double den = 0;
        for (int i = 0, n = frames * bins; i < n; i++) {
            float re = spectrum[2 * i];
            float im = spectrum[2 * i + 1];
            double d = mag[i] - Math.sqrt(re * re + im * im);
            num += d * d;
            den += (double) mag[i] * mag[i];
        }
        return den == 0 ? 0 : Math.sqrt(num / den);
    }

    /** Frame-major magnitudes of a waveform, for tests and the benchmark. */
    public void magnitude(float[] waveform, float[] magOut) {
        stft.magnitude(waveform, magOut);
    }

    @Override
    public void close() {
        stft.close();
    }
}
