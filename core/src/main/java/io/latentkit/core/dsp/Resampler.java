package io.latentkit.core.dsp;

/**
 * Band-limited sample-rate conversion of a whole buffer: a Kaiser-windowed sinc low-pass evaluated
 * as a polyphase filter. Used to bring decoded samples to the engine rate before they reach a kit,
 * so the render thread never converts rates.
 *
 * <p>Design: the low-pass cuts off at half the lower of the two rates; its transition band runs
 * from 0.45 to 0.55 of the lower rate, so everything up to 0.45 of the lower rate passes (ripple
 * below 0.001 dB) and images and aliases that would fold into that band are attenuated by at least
 * {@value #STOPBAND_DB} dB. Where the reduced ratio {@code toHz/fromHz = L/M} has
 * {@code L <= }{@value #MAX_EXACT_PHASES}, one exact filter phase per output position is tabulated;
 * otherwise the kernel is tabulated at {@value #INTERPOLATED_PHASES} phases per input sample and
 * interpolated linearly between phases (interpolation error below -100 dB). Samples outside the
 * input are taken as zero, so the output is a filtered version of a zero-padded signal.
 *
 * <p>Allocates its output and tables; never call it on the render thread. Stateless; any thread.
 */
public final class Resampler {
    /** Stop-band attenuation the Kaiser window is designed for. */
    static final double STOPBAND_DB = 110.0;
    /** Largest interpolation factor L for which exact polyphase tables are built. */
    static final int MAX_EXACT_PHASES = 4096;
    /** Phases per input sample of the interpolated kernel table. */
    static final int INTERPOLATED_PHASES = 2048;
    /** Lowest and highest rates accepted; beyond them a rate is a bug or a corrupt header. */
    public static final int MIN_RATE_HZ = 1000;
    public static final int MAX_RATE_HZ = 1_536_000;

    private Resampler() {
    }

    /**
     * Resamples a mono buffer from {@code fromHz} to {@code toHz}. The output has
     * {@code ceil(in.length * toHz / fromHz)} frames; output frame {@code n} is the band-limited
     * input at time {@code n / toHz}. Equal rates return a copy.
     *
     * @throws IllegalArgumentException if a rate is outside {@link #MIN_RATE_HZ}..{@link #MAX_RATE_HZ}
     */
    public static float[] resample(float[] in, int fromHz, int toHz) {
        checkRate(fromHz);
        checkRate(toHz);
        if (fromHz == toHz) {
            return in.clone();
        }
        long outLen = ((long) in.length * toHz + fromHz - 1) / fromHz;
        if (outLen > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("resampled length too large: " + outLen);
        }
        float[] out = new float[(int) outLen];
        if (in.length == 0) {
            return out;
        }
        Kernel k = new Kernel(fromHz, toHz);
        int g = gcd(fromHz, toHz);
        int phasesL = toHz / g;
        if (phasesL <= MAX_EXACT_PHASES) {
            exactPolyphase(in, out, fromHz, toHz, g, k);
        } else {
            interpolatedPhase(in, out, fromHz, toHz, k);
        }
        return out;
    }

    private static void checkRate(int hz) {
        if (hz < MIN_RATE_HZ || hz > MAX_RATE_HZ) {
            throw new IllegalArgumentException("sample rate out of range " + MIN_RATE_HZ + ".." + MAX_RATE_HZ
                    + " Hz: " + hz);
        }
    }

    /**
     * Output n sits at input time t = n*M/L. With t = i + p/L, the taps are h(p/L + j) for
     * j = -half+1 .. half, applied to in[i - j]: one table row per phase p.
     */
    private static void exactPolyphase(float[] in, float[] out, int fromHz, int toHz, int g, Kernel k) {
        final int phasesL = toHz / g;
        final int stepM = fromHz / g;
        final int half = k.half;
        final int taps = 2 * half;
        final double[] table = new double[phasesL * taps];
        for (int p = 0; p < phasesL; p++) {
            double frac = (double) p / phasesL;
            for (int j = 0; j < taps; j++) {
                // Offset of tap j from the output time, in input samples: frac + (half - 1 - j)
                // pairs with input index i - (half - 1 - j).
                table[p * taps + j] = k.value(frac + (half - 1 - j));
            }
        }
        final int n = in.length;
        // Input time n*M/L kept as i + p/L in integers: no drift and no overflow over long outputs.
        int i = 0;
        int p = 0;
        for (int o = 0; o < out.length; o++) {
            int first = i - (half - 1);
            int row = p * taps;
            double acc = 0;
            if (first >= 0 && first + taps <= n) {
                for (int j = 0; j < taps; j++) {
                    acc += in[first + j] * table[row + j];
                }
            } else {
                for (int j = 0; j < taps; j++) {
                    int idx = first + j;
                    if (idx >= 0 && idx < n) {
                        acc += in[idx] * table[row + j];
                    }
                }
            }
            out[o] = (float) acc;
            p += stepM;
            while (p >= phasesL) {
                p -= phasesL;
                i++;
            }
        }
    }

    /** As {@link #exactPolyphase} but the phase is continuous: the kernel is interpolated. */
    private static void interpolatedPhase(float[] in, float[] out, int fromHz, int toHz, Kernel k) {
        final int half = k.half;
        final int taps = 2 * half;
        final int phases = INTERPOLATED_PHASES;
        // Kernel sampled at offsets d = m/phases for d in [-half, half]; index m + half*phases.
        final int size = 2 * half * phases + 1;
        final double[] table = new double[size + 1];
        for (int m = 0; m < size; m++) {
            table[m] = k.value((double) (m - half * phases) / phases);
        }
        final int n = in.length;
        for (int o = 0; o < out.length; o++) {
            long num = (long) o * fromHz;
            int i = (int) (num / toHz);
            double frac = (double) (num % toHz) / toHz;
            int first = i - (half - 1);
            double acc = 0;
            for (int j = 0; j < taps; j++) {
                int idx = first + j;
                if (idx < 0 || idx >= n) {
                    continue;
                }
                double d = frac + (half - 1 - j);
                double x = (d + half) * phases;
                int m = (int) x;
                double f = x - m;
                double h = table[m] + (table[m + 1] - table[m]) * f;
                acc += in[idx] * h;
            }
            out[o] = (float) acc;
        }
    }

    static int gcd(int a, int b) {
        while (b != 0) {
            int t = a % b;
            a = b;
            b = t;
        }
        return a;
    }

    /** The windowed-sinc low-pass as a function of offset in input samples. */
    private static final class Kernel {
        final double cutoff; // cycles per input sample
        final double beta;
        final double i0Beta;
        final int half; // taps each side, in input samples
        final double halfWidth;

        Kernel(int fromHz, int toHz) {
            double lower = Math.min(fromHz, toHz);
            cutoff = 0.5 * lower / fromHz;
            double transition = 0.1 * lower / fromHz; // 0.45 .. 0.55 of the lower rate
            double a = STOPBAND_DB;
            beta = 0.1102 * (a - 8.7);
            i0Beta = besselI0(beta);
            // Kaiser's estimate of the filter order for attenuation a and this transition width.
            double order = (a - 7.95) / (2.285 * 2 * Math.PI * transition);
            half = (int) Math.ceil(order / 2) + 1;
            halfWidth = half;
        }

        double value(double d) {
            double ad = Math.abs(d);
            if (ad >= halfWidth) {
                return 0;
            }
            double x = 2 * cutoff * d;
            double sinc = x == 0 ? 1 : Math.sin(Math.PI * x) / (Math.PI * x);
            double r = d / halfWidth;
            double w = besselI0(beta * Math.sqrt(1 - r * r)) / i0Beta;
            return 2 * cutoff * sinc * w;
        }

        private static double besselI0(double x) {
            double sum = 1;
            double term = 1;
            double q = x * x / 4;
            for (int k = 1; k < 200; k++) {
                term *= q / ((double) k * k);
                sum += term;
                if (term < sum * 1e-17) {
                    break;
                }
            }
            return sum;
        }
    }
}
