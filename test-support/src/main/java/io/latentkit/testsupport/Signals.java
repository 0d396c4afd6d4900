package io.latentkit.testsupport;

/**
 * What tests measure on rendered audio: where a sound starts and how large its largest step is.
 *
 * <p>Stateless; any thread.
 */
public final class Signals {
    private Signals() {
    }

    /** The first index at which {@code x} is non-zero, or -1. */
    public static int firstNonZero(float[] x) {
        for (int i = 0; i < x.length; i++) {
            if (x[i] != 0f) {
                return i;
            }
        }
        return -1;
    }

    /** The largest absolute difference between neighbouring samples in {@code [from, to)}. */
    public static float largestStep(float[] x, int from, int to) {
        float max = 0f;
        for (int i = Math.max(1, from); i < to; i++) {
            max = Math.max(max, Math.abs(x[i] - x[i - 1]));
        }
        return max;
    }

    /** Root mean square of {@code [from, to)}. */
    public static double rms(float[] x, int from, int to) {
        double e = 0;
        for (int i = from; i < to; i++) {
            e += (double) x[i] * x[i];
        }
        return Math.sqrt(e / Math.max(1, to - from));
    }

    /**
     * Dominant frequency by counting rising zero crossings over [from, to), with hysteresis at 5%
     * of the peak so that quantisation noise in a fade-out does not count.
     */
    public static double zeroCrossingHz(float[] x, int from, int to, int rateHz) {
        float peak = 0;
        for (int i = from; i < to; i++) {
            peak = Math.max(peak, Math.abs(x[i]));
        }
        float thr = 0.05f * peak;
        int first = -1;
        int last = -1;
        int n = 0;
        boolean armed = false;
        for (int i = from; i < to; i++) {
            if (x[i] < -thr) {
                armed = true;
            } else if (armed && x[i] > thr) {
                armed = false;
                if (first < 0) {
                    first = i;
                }
                last = i;
                n++;
            }
        }
        return n < 2 ? 0 : (double) (n - 1) * rateHz / (last - first);
    }
}
