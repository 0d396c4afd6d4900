package io.latentkit.core.dsp;

import io.latentkit.core.TomSize;
import java.util.Arrays;
import java.util.Map;
import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Tom size by pitch rank within a kit: the one ranking kit import, extraction, listen mode and
 * {@code latentkit classify --kit} use. A tom's pitch is the lowest strong spectral peak in the
 * first {@value #WINDOW_S} s after its onset; a kit's toms sorted by it, lowest first, are its low,
 * mid and high toms. The steps and constants are those of {@code models/training/tom_pitch.py},
 * which measured them on the training kits (REPORT.md).
 *
 * <p>{@link #pitchHz}: start {@value #PREROLL} samples before the first sample reaching
 * {@value #ONSET_FRACTION} of the peak (the clip start of the models), take {@value #WINDOW_S} s,
 * periodic Hann window, magnitude of an {@value #N_FFT}-point FFT; the peaks are bins between
 * {@value #F_LO_HZ} and {@value #F_HI_HZ} Hz larger than both neighbours and at least
 * {@value #THRESHOLD} of the largest magnitude in that range; the pitch is the lowest, refined by
 * parabolic interpolation of the log magnitudes (with no such peak, the largest bin in the range).
 *
 * <p>Not thread-safe (owns the FFT and its buffer); one instance per thread. The static ranking
 * methods are pure and any-thread.
 */
public final class TomRanker {
    private static final TomSize[] SIZES = TomSize.values();
    public static final double WINDOW_S = 0.2;
    public static final int N_FFT = 16384;
    public static final double F_LO_HZ = 40.0;
    public static final double F_HI_HZ = 1000.0;
    public static final double THRESHOLD = 0.2;
    public static final double ONSET_FRACTION = 0.05;
    public static final int PREROLL = 64;
    /** Peak below which a sound is silent and has no pitch (-80 dBFS). */
    public static final double SILENCE_PEAK = 1e-4;

    private final int sampleRateHz;
    private final int windowSamples;
    private final double[] window;
    private final double[] buffer = new double[N_FFT];
    private final double[] magnitude = new double[N_FFT / 2 + 1];
    private final DoubleFFT_1D fft = new DoubleFFT_1D(N_FFT);

    public TomRanker(int sampleRateHz) {
        if (sampleRateHz < 8000) {
            throw new IllegalArgumentException("sample rate " + sampleRateHz + " Hz is too low to rank toms");
        }
        this.sampleRateHz = sampleRateHz;
        this.windowSamples = Math.min(N_FFT, (int) Math.round(WINDOW_S * sampleRateHz));
        this.window = new double[windowSamples];
        for (int i = 0; i < windowSamples; i++) {
            window[i] = 0.5 - 0.5 * Math.cos(2.0 * Math.PI * i / windowSamples);
        }
    }

    /** The rate of the sounds this ranker measures. */
    public int sampleRateHz() {
        return sampleRateHz;
    }

    /** The pitch of a whole sound; see {@link #pitchHz(float[], int, int)}. */
    public double pitchHz(float[] samples) {
        return pitchHz(samples, 0, samples.length);
    }

    /**
     * The pitch (Hz) of the hit in {@code samples[from, to)} (mono, at this ranker's rate), or NaN if
     * it is silent. Allocation-free.
     */
    public double pitchHz(float[] samples, int from, int to) {
        double peak = 0;
        for (int i = from; i < to; i++) {
            peak = Math.max(peak, Math.abs((double) samples[i]));
        }
        if (!(peak >= SILENCE_PEAK) || Double.isInfinite(peak)) {
            return Double.NaN;
        }
        int first = from;
        double threshold = ONSET_FRACTION * peak;
        while (Math.abs((double) samples[first]) < threshold) {
            first++;
        }
        int start = Math.max(from, first - PREROLL);
        Arrays.fill(buffer, 0.0);
        int n = Math.min(windowSamples, to - start);
        for (int i = 0; i < n; i++) {
            buffer[i] = samples[start + i] * window[i];
        }
        fft.realForward(buffer);
        // JTransforms' packed layout: [re0, re(n/2), re1, im1, re2, im2, ...]
        magnitude[0] = Math.abs(buffer[0]);
        magnitude[N_FFT / 2] = Math.abs(buffer[1]);
        for (int k = 1; k < N_FFT / 2; k++) {
            magnitude[k] = Math.hypot(buffer[2 * k], buffer[2 * k + 1]);
        }
        int lo = (int) Math.ceil(F_LO_HZ * N_FFT / sampleRateHz);
        int hi = Math.min(N_FFT / 2 - 1, (int) Math.floor(F_HI_HZ * N_FFT / sampleRateHz));
        double top = 0;
        int topBin = lo;
        for (int k = lo; k <= hi; k++) {
            if (magnitude[k] > top) {
                top = magnitude[k];
                topBin = k;
            }
        }
        if (top <= 0) {
            return Double.NaN;
        }
        for (int k = Math.max(lo, 1); k <= hi; k++) {
            double m = magnitude[k];
            if (m > magnitude[k - 1] && m >= magnitude[k + 1] && m >= THRESHOLD * top) {
                double a = Math.log(magnitude[k - 1] + 1e-30);
                double b = Math.log(m + 1e-30);
                double c = Math.log(magnitude[k + 1] + 1e-30);
                double d = a - 2 * b + c;
                double offset = d < 0 ? 0.5 * (a - c) / d : 0.0;
                return (k + offset) * sampleRateHz / N_FFT;
            }
        }
        // No interior peak (the energy falls away from an edge of the range): the largest bin.
        return (double) topBin * sampleRateHz / N_FFT;
    }

    /**
     * Sizes of a kit's toms from their pitches, in input order: ranked lowest first, two toms are
     * low and high, three low, mid and high; more are split into thirds by rank (the lowest third low);
     * one alone is mid. A NaN pitch (a silent sound) ranks as the highest. Ties keep input order.
     */
    public static TomSize[] sizes(double[] pitchesHz) {
        int n = pitchesHz.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> {
            int c = Double.compare(key(pitchesHz[a]), key(pitchesHz[b]));
            return c != 0 ? c : Integer.compare(a, b);
        });
        TomSize[] out = new TomSize[n];
        for (int r = 0; r < n; r++) {
            out[order[r]] = sizeOfRank(r, n);
        }
        return out;
    }

    private static double key(double p) {
        return Double.isNaN(p) ? Double.POSITIVE_INFINITY : p;
    }

    /** The size of rank {@code r} (0 = lowest) among {@code n} toms. */
    public static TomSize sizeOfRank(int r, int n) {
        if (r < 0 || r >= n) {
            throw new IllegalArgumentException("rank " + r + " of " + n);
        }
        if (n == 1) {
            return TomSize.MID;
        }
        if (n == 2) {
            return r == 0 ? TomSize.LOW : TomSize.HIGH;
        }
        return SIZES[Math.min(2, 3 * r / n)];
    }

    /**
     * The size of one tom against a kit's toms: the size whose reference pitch is nearest in
     * octaves (log frequency). {@code referencePitchesHz} maps the kit's tom pads to their pitches;
     * absent or NaN entries are pads without a tom. With no reference at all the tom is mid; a NaN
     * pitch (silence) is mid too.
     */
    public static TomSize sizeAgainst(double pitchHz, Map<TomSize, Double> referencePitchesHz) {
        return sizeAgainst(pitchHz, ref(referencePitchesHz, TomSize.LOW), ref(referencePitchesHz, TomSize.MID),
                ref(referencePitchesHz, TomSize.HIGH));
    }

    private static double ref(Map<TomSize, Double> m, TomSize s) {
        Double v = m.get(s);
        return v == null ? Double.NaN : v;
    }

    /**
     * {@link #sizeAgainst(double, Map)} with the three pads' pitches (NaN for an empty pad);
     * allocation-free.
     */
    public static TomSize sizeAgainst(double pitchHz, double lowHz, double midHz, double highHz) {
        if (Double.isNaN(pitchHz)) {
            return TomSize.MID;
        }
        TomSize best = TomSize.MID;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int i = 0; i < SIZES.length; i++) {
            double ref = i == 0 ? lowHz : i == 1 ? midHz : highHz;
            if (!(ref > 0)) {
                continue;
            }
            double d = Math.abs(Math.log(pitchHz / ref));
            if (d < bestDistance) {
                bestDistance = d;
                best = SIZES[i];
            }
        }
        return best;
    }
}
