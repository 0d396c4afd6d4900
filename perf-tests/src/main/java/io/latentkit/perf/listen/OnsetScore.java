package io.latentkit.perf.listen;

import java.util.Arrays;

/**
 * Onset detection scored against the truth: each detection matches at most one true onset within
 * a tolerance (greedy in time order, nearest first), and F1 is the harmonic mean of precision and
 * recall over the summed counts of several takes.
 *
 * <p>Mutable accumulator; single-threaded.
 */
final class OnsetScore {
    long truePositives;
    long falsePositives;
    long falseNegatives;

    /** Adds one take; returns, per true onset, the index of its matched detection or -1. */
    int[] add(long[] truth, long[] detected, long toleranceFrames) {
        int[] match = new int[truth.length];
        Arrays.fill(match, -1);
        boolean[] used = new boolean[detected.length];
        int j0 = 0;
        for (int i = 0; i < truth.length; i++) {
            while (j0 < detected.length && detected[j0] < truth[i] - toleranceFrames) {
                j0++;
            }
            int best = -1;
            long bestD = Long.MAX_VALUE;
            for (int j = j0; j < detected.length && detected[j] <= truth[i] + toleranceFrames; j++) {
                long d = Math.abs(detected[j] - truth[i]);
                if (!used[j] && d < bestD) {
                    bestD = d;
                    best = j;
                }
            }
            if (best >= 0) {
                used[best] = true;
                match[i] = best;
                truePositives++;
            } else {
                falseNegatives++;
            }
        }
        for (boolean u : used) {
            if (!u) {
                falsePositives++;
            }
        }
        return match;
    }

    double precision() {
        return truePositives + falsePositives == 0 ? 0 : truePositives / (double) (truePositives + falsePositives);
    }

    double recall() {
        return truePositives + falseNegatives == 0 ? 0 : truePositives / (double) (truePositives + falseNegatives);
    }

    double f1() {
        double p = precision();
        double r = recall();
        return p + r == 0 ? 0 : 2 * p * r / (p + r);
    }
}
