package io.latentkit.server.patterns;

import io.latentkit.engine.sequence.Pattern;
import java.util.List;

/**
 * Measures of a set of one-bar patterns, to compare generated bars with the corpus as the Hitloop
 * paper compares its models with its dataset.
 *
 * <ul>
 *   <li><b>empty ratio</b>: the fraction of (bar, row) pairs with no hit, over the twelve rows;
 *   <li><b>unqualified notes</b>: hits per bar off the sixteenth-note grid (tick not a multiple of 8);
 *   <li><b>drum-pattern consistency</b> (MuseGAN's DP): the fraction of hits on the sixteenth grid;
 *   <li><b>variation</b>: the mean pairwise Hamming distance between bars over the 12 x 32 grid of
 *       thirty-second steps (how different two bars of the set are, in cells);
 *   <li><b>novelty</b>: the mean Hamming distance from each bar to its nearest bar of a reference
 *       set (0 would mean every bar is copied from the corpus).
 * </ul>
 *
 * <p>Stateless; any thread.
 */
public final class PatternMetrics {
    private PatternMetrics() {
    }

    /** The measures of a set. */
    public record Summary(double emptyRatio, double unqualifiedNotes, double drumPattern, double variation,
            double hitsPerBar) {
    }

    public static Summary of(List<Pattern> bars) {
        long empty = 0;
        long offGrid = 0;
        long hits = 0;
        for (Pattern p : bars) {
            for (int r = 0; r < Pattern.ROWS; r++) {
                boolean any = false;
                for (int t = 0; t < Pattern.TICKS_PER_BAR; t++) {
                    if (p.velocity(r, t) > 0f) {
                        any = true;
                        hits++;
                        if (t % 8 != 0) {
                            offGrid++;
                        }
                    }
                }
                if (!any) {
                    empty++;
                }
            }
        }
        int n = bars.size();
        return new Summary((double) empty / (n * (long) Pattern.ROWS), (double) offGrid / n,
                hits == 0 ? 0 : 1.0 - (double) offGrid / hits, variation(bars), (double) hits / n);
    }

    /** Cells (of 12 x 32) in which two bars differ. */
    public static int distance(Pattern a, Pattern b) {
        int d = 0;
        for (int r = 0; r < Pattern.ROWS; r++) {
            for (int s = 0; s < PatternGenerator.STEPS; s++) {
                int t = s * (Pattern.TICKS_PER_BAR / PatternGenerator.STEPS);
                if ((a.velocity(r, t) > 0f) != (b.velocity(r, t) > 0f)) {
                    d++;
                }
            }
        }
        return d;
    }

    static double variation(List<Pattern> bars) {
        long sum = 0;
        long pairs = 0;
        for (int i = 0; i < bars.size(); i++) {
            for (int j = i + 1; j < bars.size(); j++) {
                sum += distance(bars.get(i), bars.get(j));
                pairs++;
            }
        }
        return pairs == 0 ? 0 : (double) sum / pairs;
    }

    /** Mean distance from each bar to its nearest bar of {@code reference}. */
    public static double novelty(List<Pattern> bars, List<Pattern> reference) {
        double sum = 0;
        for (Pattern p : bars) {
            int best = Integer.MAX_VALUE;
            for (Pattern q : reference) {
                best = Math.min(best, distance(p, q));
            }
            sum += best;
        }
        return sum / bars.size();
    }
}
