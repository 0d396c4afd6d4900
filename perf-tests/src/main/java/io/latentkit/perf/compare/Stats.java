package io.latentkit.perf.compare;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Medians and spreads of repeated runs, and the interpolation of "voices at 70% of a core".
 *
 * <p>Threading: static methods, any thread.
 */
public final class Stats {
    private Stats() {
    }

    public static double median(List<Double> xs) {
        double[] a = xs.stream().filter(d -> !Double.isNaN(d)).mapToDouble(Double::doubleValue).sorted().toArray();
        if (a.length == 0) {
            return Double.NaN;
        }
        return a.length % 2 == 1 ? a[a.length / 2] : 0.5 * (a[a.length / 2 - 1] + a[a.length / 2]);
    }

    public static double min(List<Double> xs) {
        return xs.stream().filter(d -> !Double.isNaN(d)).mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    public static double max(List<Double> xs) {
        return xs.stream().filter(d -> !Double.isNaN(d)).mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** "median (min–max, n=k)". */
    public static String spread(List<Double> xs, String fmt) {
        long n = xs.stream().filter(d -> !Double.isNaN(d)).count();
        if (n == 0) {
            return "n/a";
        }
        return String.format(Locale.ROOT, fmt + " (%s–%s, n=%d)", median(xs), f(fmt, min(xs)), f(fmt, max(xs)), n);
    }

    static String f(String fmt, double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, fmt, v);
    }

    /**
     * The voice count at which the load (fraction of one core: 1 / real-time factor) reaches
     * {@code target}, by linear interpolation between measured points, or extrapolation from the
     * last two (or from the origin with one point). Returns {value, how} where how is 0 for
     * interpolated, 1 for extrapolated above, 2 for extrapolated below the range.
     */
    public static double[] voicesAtLoad(int[] voices, double[] load, double target) {
        int n = voices.length;
        double[] v = new double[n];
        double[] l = new double[n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (!Double.isNaN(load[i]) && load[i] > 0) {
                v[k] = voices[i];
                l[k] = load[i];
                k++;
            }
        }
        if (k == 0) {
            return new double[] {Double.NaN, 0};
        }
        v = Arrays.copyOf(v, k);
        l = Arrays.copyOf(l, k);
        for (int i = 0; i + 1 < k; i++) {
            if ((l[i] - target) * (l[i + 1] - target) <= 0 && l[i] != l[i + 1]) {
                return new double[] {v[i] + (target - l[i]) * (v[i + 1] - v[i]) / (l[i + 1] - l[i]), 0};
            }
        }
        if (k == 1) {
            return new double[] {v[0] * target / l[0], l[0] < target ? 1 : 2};
        }
        if (l[k - 1] < target) {
            double slope = (l[k - 1] - l[k - 2]) / (v[k - 1] - v[k - 2]);
            double perVoice = slope > 0 ? slope : l[k - 1] / v[k - 1];
            return new double[] {v[k - 1] + (target - l[k - 1]) / perVoice, 1};
        }
        return new double[] {v[0] * target / l[0], 2};
    }
}
