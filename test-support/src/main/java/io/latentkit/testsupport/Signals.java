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
}
