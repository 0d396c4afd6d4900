package io.latentkit.core.dsp;

import java.util.Arrays;

/**
 * Triangular mel filterbank on the HTK mel scale ({@code 2595 log10(1 + f/700)}), band edges equally
 * spaced in mel from 0 Hz to Nyquist, each filter scaled by {@code 2 / (fHigh - fLow)} (Slaney's
 * area normalisation). Stored sparsely: each band keeps only its non-zero weights.
 *
 * <p>Immutable after construction; any thread.
 */
public final class MelFilterbank {
    private final int bands;
    private final int bins;
    private final int[] firstBin;
    private final float[][] weights;

    public MelFilterbank(int sampleRateHz, int nFft, int bands) {
        if (bands <= 0) {
            throw new IllegalArgumentException("bands must be positive: " + bands);
        }
        this.bands = bands;
        this.bins = nFft / 2 + 1;
        this.firstBin = new int[bands];
        this.weights = new float[bands][];
        double melMax = hzToMel(sampleRateHz / 2.0);
        double[] edges = new double[bands + 2];
        for (int i = 0; i < bands + 2; i++) {
            // Same evaluation order as numpy.linspace: start + i * step.
            edges[i] = melToHz(i * (melMax / (bands + 1)));
        }
        for (int m = 0; m < bands; m++) {
            double lo = edges[m];
            double c = edges[m + 1];
            double hi = edges[m + 2];
            double scale = 2.0 / (hi - lo);
            int first = -1;
            int last = -1;
            double[] w = new double[bins];
            for (int k = 0; k < bins; k++) {
                double f = (double) k * sampleRateHz / nFft;
                double v = Math.max(0.0, Math.min((f - lo) / (c - lo), (hi - f) / (hi - c))) * scale;
                w[k] = v;
                if (v > 0) {
                    if (first < 0) {
                        first = k;
                    }
                    last = k;
                }
            }
            if (first < 0) {
                throw new IllegalArgumentException("mel band " + m + " covers no FFT bin; use fewer bands");
            }
            firstBin[m] = first;
            weights[m] = new float[last - first + 1];
            for (int k = first; k <= last; k++) {
                weights[m][k - first] = (float) w[k];
            }
        }
    }

    public static double hzToMel(double hz) {
        return 2595.0 * Math.log10(1.0 + hz / 700.0);
    }

    public static double melToHz(double mel) {
        return 700.0 * (Math.pow(10.0, mel / 2595.0) - 1.0);
    }

    public int bands() {
        return bands;
    }

    public int bins() {
        return bins;
    }

    /** Weight of FFT bin {@code bin} in band {@code band}. */
    public float weight(int band, int bin) {
        int i = bin - firstBin[band];
        return i >= 0 && i < weights[band].length ? weights[band][i] : 0f;
    }

    /**
     * Applies the bank to frame-major magnitudes ({@code frames * bins}) and writes band-major
     * output: band {@code m} of frame {@code t} at {@code m * frames + t} (the models' layout).
     */
    public void apply(float[] magFrameMajor, int frames, float[] outBandMajor) {
        for (int m = 0; m < bands; m++) {
            final float[] w = weights[m];
            final int first = firstBin[m];
            for (int t = 0; t < frames; t++) {
                int base = t * bins + first;
                double acc = 0;
                for (int i = 0; i < w.length; i++) {
                    acc += w[i] * magFrameMajor[base + i];
                }
                outBandMajor[m * frames + t] = (float) acc;
            }
        }
    }

    /**
     * As {@link #apply} but from bin-major magnitudes ({@code [bin][frame]}): every band is a sum of
     * whole rows, which the JIT vectorises. Accumulates in float (the result differs from
     * {@link #apply}'s double sums by float rounding, about 1e-7 relative).
     */
    public void applyBinMajor(float[] magBinMajor, int frames, float[] outBandMajor) {
        Arrays.fill(outBandMajor, 0, bands * frames, 0f);
        for (int m = 0; m < bands; m++) {
            final float[] w = weights[m];
            final int out = m * frames;
            for (int i = 0; i < w.length; i++) {
                final float wi = w[i];
                final int row = (firstBin[m] + i) * frames;
                for (int t = 0; t < frames; t++) {
                    outBandMajor[out + t] += wi * magBinMajor[row + t];
                }
            }
        }
    }
}
