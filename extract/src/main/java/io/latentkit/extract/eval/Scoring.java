package io.latentkit.extract.eval;

import io.latentkit.extract.Extraction;
import io.latentkit.extract.Hit;
import io.latentkit.extract.PadChoice;
import java.util.ArrayList;
import java.util.List;

/**
 * Scores an extraction against the groove it was rendered from: onset F1 (detected onsets matched
 * one to one with true onsets within a tolerance; true onsets closer than {@value #MERGE_MS} ms,
 * which are heard as one hit, count as one), and how many pads hold a hit of their class, under
 * two rules: strict (a note of the pad's class starts within the tolerance of the pad's sample
 * start) and lenient (one starts within [-tolerance, {@value #LENIENT_MS} ms] of it, so a sample
 * that starts a little before its hit still counts).
 *
 * <p>Stateless; any thread.
 */
public final class Scoring {
    /** True onsets closer than this are one event. */
    public static final double MERGE_MS = 30;
    /** Lenient pad rule: how late after the sample start the hit may begin. */
    public static final double LENIENT_MS = 100;

    private Scoring() {
    }

    /**
     * Onset counts.
     *
     * <p>Immutable; any thread.
     */
    public record Onsets(int truth, int detected, int matched) {
        public double precision() {
            return detected == 0 ? 0 : (double) matched / detected;
        }

        public double recall() {
            return truth == 0 ? 0 : (double) matched / truth;
        }

        public double f1() {
            double p = precision();
            double r = recall();
            return p + r == 0 ? 0 : 2 * p * r / (p + r);
        }
    }

    /**
     * Pad counts.
     *
     * <p>Immutable; any thread.
     *
     * @param classes classes the groove played
     * @param filled pads the extraction filled
     * @param strict filled pads right by the strict rule
     * @param lenient filled pads right by the lenient rule
     */
    public record Pads(int classes, int filled, int strict, int lenient) {
        /** Share of filled pads right (strict). */
        public double strictShare() {
            return filled == 0 ? 0 : (double) strict / filled;
        }

        /** Share of filled pads right (lenient). */
        public double lenientShare() {
            return filled == 0 ? 0 : (double) lenient / filled;
        }
    }

    /** Onset events: the notes' true onsets ({@link GrooveRender#trueOnsets}) merged within {@link #MERGE_MS}. */
    public static long[] events(long[] noteOnsets, int rateHz) {
        List<Long> all = new ArrayList<>();
        for (long t : noteOnsets) {
            all.add(t);
        }
        all.sort(Long::compare);
        long merge = Math.round(MERGE_MS * rateHz / 1000);
        List<Long> events = new ArrayList<>();
        for (long t : all) {
            if (events.isEmpty() || t - events.get(events.size() - 1) >= merge) {
                events.add(t);
            }
        }
        return events.stream().mapToLong(Long::longValue).toArray();
    }

    /** Onset F1 of {@code detected} (sorted frames) against {@code truth} within {@code toleranceMs}. */
    public static Onsets onsets(long[] truth, long[] detected, double toleranceMs, int rateHz) {
        long tol = Math.round(toleranceMs * rateHz / 1000);
        boolean[] used = new boolean[truth.length];
        int matched = 0;
        int j = 0;
        for (long d : detected) {
            while (j < truth.length && truth[j] < d - tol) {
                j++;
            }
            int best = -1;
            for (int k = j; k < truth.length && truth[k] <= d + tol; k++) {
                if (!used[k] && (best < 0 || Math.abs(truth[k] - d) < Math.abs(truth[best] - d))) {
                    best = k;
                }
            }
            if (best >= 0) {
                used[best] = true;
                matched++;
            }
        }
        return new Onsets(truth.length, detected.length, matched);
    }

    /** The onsets an extraction found in recording 0 (each distinct hit start), sorted. */
    public static long[] detected(Extraction e) {
        return e.hits().stream().filter(h -> h.recording() == 0).mapToLong(Hit::onset).distinct().sorted().toArray();
    }

    /** Pad counts of {@code e} (recording 0) against the groove. */
    public static Pads pads(Extraction e, Groove g, long[] noteOnsets, double toleranceMs, int rateHz) {
        long tol = Math.round(toleranceMs * rateHz / 1000);
        long late = Math.round(LENIENT_MS * rateHz / 1000);
        int strict = 0;
        int lenient = 0;
        for (PadChoice p : e.pads().values()) {
            long start = p.chosen().onset();
            boolean s = false;
            boolean l = false;
            for (int i = 0; i < noteOnsets.length; i++) {
                if (g.notes().get(i).drumClass() != p.pad()) {
                    continue;
                }
                long t = noteOnsets[i];
                s |= Math.abs(t - start) <= tol;
                l |= t >= start - tol && t <= start + late;
            }
            strict += s ? 1 : 0;
            lenient += l ? 1 : 0;
        }
        int classes = (int) g.notes().stream().map(Groove.Note::drumClass).distinct().count();
        return new Pads(classes, e.pads().size(), strict, lenient);
    }
}
