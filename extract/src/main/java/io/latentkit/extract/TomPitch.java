package io.latentkit.extract;

import org.jtransforms.fft.FloatFFT_1D;

/**
 * A tom's pitch, to rank the toms of one extraction (lowest pitch on the low tom pad): the lowest
 * strong spectral peak of its first 200 ms, the steps and constants of
 * {@code models/training/tom_pitch.py} (Hann window, 16384-point FFT, peaks in 40..1000 Hz at
 * least 0.2 of the largest, parabolic refinement in log magnitude). The models module is to gain a
 * {@code TomRanker} with the same steps; until then this is the extraction's own.
 *
 * <p>Stateless; any thread.
 */
public final class TomPitch {
    static final double WINDOW_S = 0.200;
    static final int N_FFT = 16384;
    static final double F_LO = 40.0;
    static final double F_HI = 1000.0;
    static final double THRESHOLD = 0.2;

    private TomPitch() {
    }

    /** Pitch in Hz of the hit {@code x[from, to)}, or 0 for silence. */
    public static double pitchHz(float[] x, int from, int to, int rateHz) {
        int n = (int) Math.round(WINDOW_S * rateHz);
        float[] seg = new float[Math.max(N_FFT, n)];
        int len = Math.min(n, to - from);
        for (int i = 0; i < len; i++) {
            seg[i] = x[from + i] * (float) (0.5 - 0.5 * Math.cos(2 * Math.PI * i / n));
        }
        int size = seg.length;
        new FloatFFT_1D(size).realForward(seg);
        int lo = (int) Math.ceil(F_LO * size / rateHz);
        int hi = (int) Math.floor(F_HI * size / rateHz);
        double[] mag = new double[hi + 2];
        double top = 0;
        for (int k = Math.max(1, lo - 1); k <= hi + 1 && 2 * k + 1 < size; k++) {
            mag[k] = Math.hypot(seg[2 * k], seg[2 * k + 1]);
            if (k >= lo && k <= hi) {
                top = Math.max(top, mag[k]);
            }
        }
        if (top <= 0) {
            return 0;
        }
        int argmax = lo;
        for (int k = Math.max(lo, 1); k <= hi; k++) {
            if (mag[k] > mag[k - 1] && mag[k] >= mag[k + 1] && mag[k] >= THRESHOLD * top) {
                double a = Math.log(mag[k - 1] + 1e-30);
                double b = Math.log(mag[k] + 1e-30);
                double c = Math.log(mag[k + 1] + 1e-30);
                double d = a - 2 * b + c;
                double off = d < 0 ? 0.5 * (a - c) / d : 0;
                return (k + off) * rateHz / size;
            }
            if (mag[k] > mag[argmax]) {
                argmax = k;
            }
        }
        return (double) argmax * rateHz / size;
    }
}
