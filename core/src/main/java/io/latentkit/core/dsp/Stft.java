package io.latentkit.core.dsp;

import java.util.Arrays;
import org.jtransforms.fft.FloatFFT_1D;

/**
 * Short-time Fourier transform with a periodic Hann window, frames centred on multiples of the hop
 * (the signal is treated as zero outside its bounds), and its least-squares inverse (windowed
 * overlap-add divided by the summed squared window). This framing is the one the models were
 * trained with: frame {@code t} covers samples {@code [t*hop - nFft/2, t*hop + nFft/2)}.
 *
 * <p>Spectra are stored frame-major: bin {@code k} of frame {@code t} is at {@code t * bins() + k}.
 *
 * <p>Not thread-safe: an instance owns scratch buffers, so it belongs to one thread at a time (the
 * inference worker, a loader, or a test). Create one per thread; construction allocates, calls do not.
 */
public final class Stft {
    private final int nFft;
    private final int hop;
    private final int bins;
    private final float[] window;
    private final float[] frame;
    private final FloatFFT_1D fft;
    private float[] invNorm = new float[0];
    private int invNormFrames = -1;

    /**
     * @param nFft FFT size and window length, a power of two
     * @param hop  frame advance in samples, at most {@code nFft}
     */
    public Stft(int nFft, int hop) {
        if (nFft < 2 || Integer.bitCount(nFft) != 1) {
            throw new IllegalArgumentException("nFft must be a power of two: " + nFft);
        }
        if (hop <= 0 || hop > nFft) {
            throw new IllegalArgumentException("hop must be in 1.." + nFft + ": " + hop);
        }
        this.nFft = nFft;
        this.hop = hop;
        this.bins = nFft / 2 + 1;
        this.window = hann(nFft);
        this.frame = new float[nFft];
        this.fft = new FloatFFT_1D(nFft);
    }

    /** Periodic Hann window of length n (the DFT-even form, as numpy/torch {@code periodic=True}). */
    public static float[] hann(int n) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) (0.5 - 0.5 * Math.cos(2.0 * Math.PI * i / n));
        }
        return w;
    }

    public int nFft() {
        return nFft;
    }

    public int hop() {
        return hop;
    }

    /** Number of frequency bins, {@code nFft/2 + 1}. */
    public int bins() {
        return bins;
    }

    /** The analysis window; do not write. */
    public float[] window() {
        return window;
    }

    /** Frames needed to cover {@code samples} so that every sample lies in a frame centre's hop. */
    public int framesFor(int samples) {
        return (samples + hop - 1) / hop;
    }

    /**
     * Complex STFT of {@code signal} into frame-major {@code re} and {@code im}, each at least
     * {@code frames * bins()} long.
     */
    public void forward(float[] signal, int frames, float[] re, float[] im) {
        for (int t = 0; t < frames; t++) {
            transformFrame(signal, t);
            int base = t * bins;
            re[base] = frame[0];
            im[base] = 0f;
            re[base + bins - 1] = frame[1];
            im[base + bins - 1] = 0f;
            for (int k = 1; k < bins - 1; k++) {
                re[base + k] = frame[2 * k];
                im[base + k] = frame[2 * k + 1];
            }
        }
    }

    /** Magnitude STFT of {@code signal} into frame-major {@code mag} ({@code frames * bins()}). */
    public void magnitude(float[] signal, int frames, float[] mag) {
        for (int t = 0; t < frames; t++) {
            transformFrame(signal, t);
            int base = t * bins;
            mag[base] = Math.abs(frame[0]);
            mag[base + bins - 1] = Math.abs(frame[1]);
            for (int k = 1; k < bins - 1; k++) {
                float a = frame[2 * k];
                float b = frame[2 * k + 1];
                mag[base + k] = (float) Math.sqrt(a * a + b * b);
            }
        }
    }

    private void transformFrame(float[] signal, int t) {
        windowFrame(signal, t, hop, window, frame, 0);
        fft.realForward(frame);
    }

    /**
     * Writes frame {@code t} of {@code signal}, windowed, at {@code dest[offset ..]}: this framing's
     * samples {@code [t*hop - n/2, t*hop + n/2)} ({@code n = window.length}), zero outside the signal.
     * Shared with the models' batched STFT so that both frame alike.
     */
    public static void windowFrame(float[] signal, int t, int hop, float[] window, float[] dest, int offset) {
        final int n = window.length;
        final int start = t * hop - n / 2;
        final int len = signal.length;
        if (start >= 0 && start + n <= len) {
            for (int i = 0; i < n; i++) {
                dest[offset + i] = signal[start + i] * window[i];
            }
        } else {
            for (int i = 0; i < n; i++) {
                int s = start + i;
                dest[offset + i] = s >= 0 && s < len ? signal[s] * window[i] : 0f;
            }
        }
    }

    /**
     * Least-squares inverse STFT: writes {@code out.length} samples from {@code frames} frame-major
     * complex frames. Samples that no frame covers with a non-zero window are written as zero.
     * The first call for a given output length and frame count allocates the normalisation table;
     * later calls with the same shape do not allocate.
     */
    public void inverse(float[] re, float[] im, int frames, float[] out) {
        final int n = out.length;
        final float[] inv = inverseNorm(n, frames);
        Arrays.fill(out, 0f);
        for (int t = 0; t < frames; t++) {
            int base = t * bins;
            frame[0] = re[base];
            frame[1] = re[base + bins - 1];
            for (int k = 1; k < bins - 1; k++) {
                frame[2 * k] = re[base + k];
                frame[2 * k + 1] = im[base + k];
            }
            fft.realInverse(frame, true);
            int start = t * hop - nFft / 2;
            int from = Math.max(0, -start);
            int to = Math.min(nFft, n - start);
            for (int i = from; i < to; i++) {
                out[start + i] += frame[i] * window[i];
            }
        }
        for (int i = 0; i < n; i++) {
            out[i] *= inv[i];
        }
    }

    /** 1 / (summed squared window) per output sample, cached for the last shape asked for. */
    private float[] inverseNorm(int n, int frames) {
        if (invNorm.length == n && invNormFrames == frames) {
            return invNorm;
        }
        invNorm = inverseNormalisation(window, hop, frames, n);
        invNormFrames = frames;
        return invNorm;
    }

    /**
     * The least-squares inverse's normalisation for this framing: 1 / (summed squared window) per
     * output sample of an {@code n}-sample signal rebuilt from {@code frames} frames. Allocates the
     * table; shared with the models' batched STFT.
     */
    public static float[] inverseNormalisation(float[] window, int hop, int frames, int n) {
        final int size = window.length;
        float[] norm = new float[n];
        for (int t = 0; t < frames; t++) {
            int start = t * hop - size / 2;
            for (int i = Math.max(0, -start); i < Math.min(size, n - start); i++) {
                norm[start + i] += window[i] * window[i];
            }
        }
        for (int i = 0; i < n; i++) {
            // The window sum vanishes only where no frame reaches with a non-zero weight (Hann is
            // zero at its first sample); there the reconstruction has no information and zero is
            // the honest answer.
            norm[i] = norm[i] > 1e-8f ? 1f / norm[i] : 0f;
        }
        return norm;
    }
}
