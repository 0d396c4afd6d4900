package io.latentkit.server.patterns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.DrumClass;
import io.latentkit.engine.sequence.Pattern;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The pattern model against its corpus, as the Hitloop paper measures its models against its
 * dataset: 1,000 generated bars are nearer to the corpus on empty ratio and unqualified notes than
 * every Hitloop model is to Hitloop's dataset, in absolute and in relative terms; variations stay
 * near their source, and density moves the hit count.
 */
class PatternGeneratorTest {
    // Hitloop's table: dataset, GAN 1, GAN 2, VAE.
    private static final double[] HITLOOP_EMPTY = {0.287, 0.358, 0.666, 0.188};
    private static final double[] HITLOOP_UNQUALIFIED = {0.056, 0.473, 0.239, 2.063};

    private static double nearestAbs(double[] t) {
        double best = Double.MAX_VALUE;
        for (int i = 1; i < t.length; i++) {
            best = Math.min(best, Math.abs(t[i] - t[0]));
        }
        return best;
    }

    private static double nearestRatio(double[] t) {
        double best = Double.MAX_VALUE;
        for (int i = 1; i < t.length; i++) {
            best = Math.min(best, Math.max(t[i], t[0]) / Math.min(t[i], t[0]));
        }
        return best;
    }

    @Test
    void aThousandGeneratedBarsAreNearerToTheCorpusThanEveryHitloopModelIsToItsDataset() {
        PatternGenerator g = PatternGenerator.shipped(1);
        List<Pattern> bars = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            bars.add(g.generate(Float.NaN));
        }
        PatternMetrics.Summary corpus = PatternMetrics.of(g.corpus());
        PatternMetrics.Summary gen = PatternMetrics.of(bars);
        double emptyAbs = Math.abs(gen.emptyRatio() - corpus.emptyRatio());
        double unqAbs = Math.abs(gen.unqualifiedNotes() - corpus.unqualifiedNotes());
        double emptyRatio = Math.max(gen.emptyRatio(), corpus.emptyRatio()) / Math.min(gen.emptyRatio(), corpus.emptyRatio());
        double unqRatio = Math.max(gen.unqualifiedNotes(), corpus.unqualifiedNotes())
                / Math.min(gen.unqualifiedNotes(), corpus.unqualifiedNotes());
        System.out.printf("corpus %s%ngenerated %s%n", corpus, gen);
        assertTrue(emptyAbs < nearestAbs(HITLOOP_EMPTY), "empty ratio off by " + emptyAbs);
        assertTrue(unqAbs < nearestAbs(HITLOOP_UNQUALIFIED), "unqualified notes off by " + unqAbs);
        assertTrue(emptyRatio < nearestRatio(HITLOOP_EMPTY), "empty ratio ratio " + emptyRatio);
        assertTrue(unqRatio < nearestRatio(HITLOOP_UNQUALIFIED), "unqualified notes ratio " + unqRatio);
        // Not copies: the average generated bar differs from its nearest corpus bar in several cells.
        assertTrue(PatternMetrics.novelty(bars, g.corpus()) > 3, "novelty");
        assertEquals(corpus.variation(), gen.variation(), 0.25 * corpus.variation(), "spread like the corpus");
    }

    @Test
    void aVariationStaysNearItsSourceAndGrowsWithTheAmountAsked() {
        PatternGenerator g = PatternGenerator.shipped(5);
        Pattern source = g.corpus().get(0);
        double small = 0;
        double large = 0;
        for (int i = 0; i < 200; i++) {
            small += PatternMetrics.distance(source, g.vary(source, 0.1f, Float.NaN));
            large += PatternMetrics.distance(source, g.vary(source, 0.9f, Float.NaN));
        }
        assertTrue(small / 200 < large / 200, "more variation, further away: " + small / 200 + " vs " + large / 200);
        assertTrue(small / 200 < 4, "a 10% variation changes a few cells: " + small / 200);
        assertEquals(source, g.vary(source, 0f, Float.NaN), "no variation, the same bar");
    }

    @Test
    void densityMovesTheNumberOfHits() {
        PatternGenerator g = PatternGenerator.shipped(9);
        double sparse = 0;
        double busy = 0;
        for (int i = 0; i < 300; i++) {
            sparse += g.generate(0.1f).hits();
            busy += g.generate(0.9f).hits();
        }
        assertTrue(busy > 1.5 * sparse, "busier at 0.9 (" + busy / 300 + ") than at 0.1 (" + sparse / 300 + ")");
    }

    @Test
    void theCorpusParsesIntoOneBarGroovesOfKnownClasses() {
        List<Pattern> corpus = PatternGenerator.shippedCorpus();
        assertTrue(corpus.size() >= 40, "bars: " + corpus.size());
        for (Pattern p : corpus) {
            assertEquals(1, p.bars());
            assertTrue(p.hits() > 0);
        }
        assertTrue(corpus.get(0).velocity(DrumClass.KICK.pad(), 0) > 0f, "rock-1 starts on the kick");
    }
}
