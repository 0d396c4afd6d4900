package io.latentkit.models;

import org.jtransforms.fft.FloatFFT_1D;

/** {@link FrameFft} in pure Java: JTransforms, one frame at a time, repacked to the interleaved layout. */
final class JTransformsFrameFft implements FrameFft {
    private final int n;
    private final int count;
    private final int bins;
    private final FloatFFT_1D fft;
    private final float[] frame;

    JTransformsFrameFft(int n, int count) {
        if (n < 4 || Integer.bitCount(n) != 1) {
            throw new IllegalArgumentException("frame length must be a power of two: " + n);
        }
        this.n = n;
        this.count = count;
        this.bins = n / 2 + 1;
        this.fft = new FloatFFT_1D(n);
        this.frame = new float[n];
    }

    @Override
    public void forward(float[] frames, float[] spectra) {
        final int half = n / 2;
        for (int t = 0; t < count; t++) {
            System.arraycopy(frames, t * n, frame, 0, n);
            fft.realForward(frame);
            // JTransforms packs DC in [0] and Nyquist in [1]; bins 1..n/2-1 are already interleaved.
            final int base = 2 * t * bins;
            spectra[base] = frame[0];
            spectra[base + 1] = 0f;
            System.arraycopy(frame, 2, spectra, base + 2, n - 2);
            spectra[base + 2 * half] = frame[1];
            spectra[base + 2 * half + 1] = 0f;
        }
    }

    @Override
    public void inverse(float[] spectra, float[] frames) {
        final int half = n / 2;
        for (int t = 0; t < count; t++) {
            final int base = 2 * t * bins;
            frame[0] = spectra[base];
            frame[1] = spectra[base + 2 * half];
            System.arraycopy(spectra, base + 2, frame, 2, n - 2);
            fft.realInverse(frame, false);
            // JTransforms' unscaled real inverse is half the plain sum FFTW's c2r computes.
            final int out = t * n;
            for (int i = 0; i < n; i++) {
                frames[out + i] = 2f * frame[i];
            }
        }
    }

    @Override
    public String name() {
        return "JTransforms";
    }

    @Override
    public void close() {
    }
}
