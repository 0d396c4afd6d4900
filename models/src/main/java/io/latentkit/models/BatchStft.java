package io.latentkit.models;

import io.latentkit.core.dsp.Stft;
import java.util.Arrays;

/**
 * {@link Stft}'s framing (frame {@code t} covers samples {@code [t*hop - nFft/2, t*hop + nFft/2)},
 * zero outside the signal, periodic Hann window, least-squares inverse) over a fixed number of
 * frames, with all frames transformed in one batch by a {@link FrameFft}: FFTW where it loads. The
 * models' features and phase reconstruction both run on it.
 *
 * <p>Spectra are interleaved and frame-major: bin {@code k} of frame {@code t} at
 * {@code 2*(t*bins + k)} (real) and {@code +1} (imaginary).
 *
 * <p>Not thread-safe; one instance per thread. Construction allocates (and plans); calls do not.
 */
final class BatchStft implements AutoCloseable {
    /** Frames per block of the bin-major transpose: 16 floats, one 64-byte cache line. */
    private static final int TRANSPOSE_BLOCK = 16;
    private final int nFft;
    private final int hop;
    private final int frames;
    private final int bins;
    private final FrameFft fft;
    private final float[] window;
    /** Synthesis window with the inverse FFT's 1/nFft folded in. */
    private final float[] synthesisWindow;
    private final float[] frameBuffer;
    private final float[] spectrum;
    private float[] invNorm = new float[0];

    BatchStft(int nFft, int hop, int frames, FrameFft transform) {
        if (nFft < 4 || Integer.bitCount(nFft) != 1) {
            throw new IllegalArgumentException("nFft must be a power of two: " + nFft);
        }
        if (hop <= 0 || hop > nFft) {
            throw new IllegalArgumentException("hop must be in 1.." + nFft + ": " + hop);
        }
        this.nFft = nFft;
        this.hop = hop;
        this.frames = frames;
        this.bins = nFft / 2 + 1;
        this.window = Stft.hann(nFft);
        this.synthesisWindow = new float[nFft];
        for (int i = 0; i < nFft; i++) {
            synthesisWindow[i] = window[i] / nFft;
        }
        this.frameBuffer = new float[frames * nFft];
        this.spectrum = new float[2 * frames * bins];
        this.fft = transform != null ? transform : FrameFft.create(nFft, frames);
    }

    int frames() {
        return frames;
    }

    int bins() {
        return bins;
    }

    String fftName() {
        return fft.name();
    }

    /** The spectrum of the last {@link #forward}; scratch the caller may read and write. */
    float[] spectrum() {
        return spectrum;
    }

    /** Windows every frame of {@code x} and transforms them into {@link #spectrum()}. */
    void forward(float[] x) {
        for (int t = 0; t < frames; t++) {
            Stft.windowFrame(x, t, hop, window, frameBuffer, t * nFft);
        }
        fft.forward(frameBuffer, spectrum);
    }

    /** Frame-major magnitudes of {@code x} ({@code frames * bins}). */
    void magnitude(float[] x, float[] magOut) {
        forward(x);
        for (int i = 0, n = frames * bins; i < n; i++) {
            float re = spectrum[2 * i];
            float im = spectrum[2 * i + 1];
            magOut[i] = (float) Math.sqrt(re * re + im * im);
        }
    }

    /** Bin-major magnitudes of {@code x} ({@code [bin][frame]}, {@code bins * frames}). */
    void magnitudeBinMajor(float[] x, float[] magOut) {
        forward(x);
        final int b = bins;
        // Transposed in blocks of frames, so that each bin's writes stay in one cache line.
        for (int t0 = 0; t0 < frames; t0 += TRANSPOSE_BLOCK) {
            final int t1 = Math.min(frames, t0 + TRANSPOSE_BLOCK);
            for (int k = 0; k < b; k++) {
                final int row = k * frames;
                for (int t = t0; t < t1; t++) {
                    final int i = 2 * (t * b + k);
                    final float re = spectrum[i];
                    final float im = spectrum[i + 1];
                    magOut[row + t] = (float) Math.sqrt(re * re + im * im);
                }
            }
        }
    }

    /**
     * Least-squares inverse of the interleaved {@code spec} (overwritten) into {@code out}. Samples no
     * frame reaches with a non-zero window are zero. The first call for an output length allocates
     * its normalisation table; later calls with that length do not allocate.
     */
    void inverse(float[] spec, float[] out) {
        final float[] inv = inverseNorm(out.length);
        fft.inverse(spec, frameBuffer);
        Arrays.fill(out, 0f);
        final float[] w = synthesisWindow;
        final int n = out.length;
        for (int t = 0; t < frames; t++) {
            final int start = t * hop - nFft / 2;
            final int from = Math.max(0, -start);
            final int to = Math.min(nFft, n - start);
            final int f = t * nFft;
            for (int i = from; i < to; i++) {
                out[start + i] += frameBuffer[f + i] * w[i];
            }
        }
        for (int i = 0; i < n; i++) {
            out[i] *= inv[i];
        }
    }

    /** 1 / (summed squared window) per output sample, cached for the last length asked for. */
    private float[] inverseNorm(int n) {
        if (invNorm.length != n) {
            invNorm = Stft.inverseNormalisation(window, hop, frames, n);
        }
        return invNorm;
    }

    @Override
    public void close() {
        fft.close();
    }
}
