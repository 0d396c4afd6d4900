package io.latentkit.listen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.models.Models;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@code --listen-latency-ms auto}: the choice is a deterministic function of measured costs
 * (constructed here), and the measurement runs the real detector and the shipped models.
 */
class LatencyCalibrationTest {
    private static final double[] LADDER = LatencyCalibration.LADDER_MS;

    /** Costs where every hit has the same placement and every rung the same decision time. */
    private static LatencyCalibration.Costs flat(int hits, double placementMs, double decideMs, double engineBlockMs,
                                                 double wakeMs) {
        double[] placement = new double[hits];
        Arrays.fill(placement, placementMs);
        return new LatencyCalibration.Costs(LADDER.clone(), placement, decide(hits, decideMs), 0.5, engineBlockMs, wakeMs);
    }

    private static double[][] decide(int hits, double ms) {
        double[][] d = new double[LADDER.length][hits];
        for (double[] r : d) {
            Arrays.fill(r, ms);
        }
        return d;
    }

    @Test
    void aFastMachineGetsTheSmallestRungThatHoldsAndTheOneBelowIsReported() {
        // Ready when the 10 ms window's last input block (0.5 ms) is in, as placement at 8 ms is
        // earlier; + 0.5 ms classifying + 1.5 ms engine block + 0.5 ms margin = 13 ms: 12 ms would
        // miss, 15 ms holds.
        LatencyCalibration.Choice c = LatencyCalibration.choose(flat(40, 8.0, 0.5, 1.5, 0.0));
        assertTrue(c.fits());
        assertEquals(15.0, c.latencyMs());
        assertEquals(10.0, c.chosen().windowMs());
        assertEquals(13.0, c.chosen().requiredMs(), 1e-9);
        assertEquals(12.0, c.below().latencyMs());
        assertFalse(c.below().fits());
        assertEquals(LADDER.length, c.rungs().size());
        assertTrue(c.describe().startsWith("L = 15 ms (auto: decision p99 11.0 ms [placement p99 8.0 ms, 10 ms window,"
                + " classifying p99 0.5 ms] + engine block 1.5 ms + margin 0.5 ms = 13.0 ms; 12 ms would miss: needs"
                + " 13.0 ms; 40 hits"), c.describe());
    }

    @Test
    void theSlowestPercentOfPlacementsDecidesAndTheWakeUpDelayWidensTheMargin() {
        // 100 hits: 98 reported 9 ms after their onset, 2 after 16 ms. The 99th percentile is 16 ms:
        // 16 + 0.5 + 1.5 + (0.5 + 0.4) = 18.9 ms, so 18 ms misses and 20 ms holds.
        double[] placement = new double[100];
        Arrays.fill(placement, 9.0);
        placement[17] = 16.0;
        placement[71] = 16.0;
        LatencyCalibration.Costs costs = new LatencyCalibration.Costs(LADDER.clone(), placement, decide(100, 0.5), 0.5,
                1.5, 0.4);
        LatencyCalibration.Choice c = LatencyCalibration.choose(costs);
        assertEquals(20.0, c.latencyMs());
        assertEquals(16.0, c.chosen().placementP99Ms());
        assertEquals(18.9, c.chosen().requiredMs(), 1e-9);
        assertEquals(0.9, c.marginMs(), 1e-9);
        assertEquals(18.0, c.below().latencyMs());
        assertEquals(18.9, c.below().requiredMs(), 1e-9);
        // One slow hit in a hundred is the 1 % the percentile leaves out: 18 ms then holds.
        placement[71] = 9.0;
        LatencyCalibration.Choice one = LatencyCalibration.choose(new LatencyCalibration.Costs(LADDER.clone(), placement,
                decide(100, 0.5), 0.5, 1.5, 0.4));
        assertEquals(15.0, one.latencyMs(), "max(9, 10 + 0.5) + 0.5 + 1.5 + 0.9 = 13.4 ms: over 12, within 15");
        assertEquals(13.4, one.chosen().requiredMs(), 1e-9);
        assertEquals(c, LatencyCalibration.choose(costs), "the same costs, the same choice");
    }

    @Test
    void aLongerRungsWiderWindowIsWhatItsDecisionWaitsFor() {
        // Classifying takes 12 ms on every window: 10 + 0.5 + 12 + 1.5 + 0.5 = 24.5 ms at 20 ms
        // (window 10), and at 25 ms the window is 15: 29.5 > 25; at 30 ms (window 20) 34.5 > 30 ...
        // the window grows with the rung, so the reserve of 10 ms must hold the rest: it never does.
        LatencyCalibration.Choice c = LatencyCalibration.choose(flat(20, 5.0, 12.0, 1.5, 0.0));
        assertFalse(c.fits());
        for (LatencyCalibration.Rung r : c.rungs()) {
            assertEquals(ListenConfig.windowFor(r.latencyMs()) + 0.5 + 12 + 1.5 + 0.5, r.requiredMs(), 1e-9, "rung " + r);
        }
    }

    @Test
    void aMachineTooSlowForEveryRungGetsTheLargestAndSaysSlotsWillBeMissed() {
        LatencyCalibration.Choice c = LatencyCalibration.choose(flat(30, 9.0, 35.0, 1.5, 3.0));
        assertFalse(c.fits());
        assertEquals(40.0, c.latencyMs());
        assertEquals(30.0, c.chosen().windowMs());
        assertFalse(c.chosen().fits());
        assertTrue(c.describe().contains("no rung up to 40 ms holds here: slots will be missed"), c.describe());
    }

    @Test
    void theSmallestRungWhenEvenItHolds() {
        LatencyCalibration.Choice c = LatencyCalibration.choose(flat(30, 4.0, 0.1, 0.5, 0.0));
        assertEquals(12.0, c.latencyMs());
        assertNull(c.below());
        assertTrue(c.describe().contains("the smallest rung"), c.describe());
    }

    @Test
    void badCostsAreRejectedWithAClearReason() {
        double[] ok = {9, 9, 9};
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> new LatencyCalibration.Costs(
                LADDER.clone(), new double[] {9, Double.NaN, 9}, decide(3, 0.5), 0.5, 2, 0));
        assertEquals("placement time must be 0..1000 ms, got NaN", nan.getMessage());
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> new LatencyCalibration.Costs(LADDER.clone(), ok, decide(3, -1), 0.5, 2, 0));
        assertEquals("decision time must be 0..1000 ms, got -1.0", negative.getMessage());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> new LatencyCalibration.Costs(LADDER.clone(), new double[0], new double[LADDER.length][0], 0.5, 2, 0));
        assertEquals("no calibration hits measured", none.getMessage());
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                () -> new LatencyCalibration.Costs(LADDER.clone(), ok, decide(2, 0.5), 0.5, 2, 0));
        assertEquals("decision times for 2 hits, placements for 3", mismatch.getMessage());
        IllegalArgumentException unsorted = assertThrows(IllegalArgumentException.class,
                () -> new LatencyCalibration.Costs(new double[] {20, 15}, ok, new double[][] {ok, ok}, 0.5, 2, 0));
        assertEquals("latency ladder must ascend within (0, 1000] ms, got [20.0, 15.0]", unsorted.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LatencyCalibration.Costs(LADDER.clone(), ok,
                decide(3, 0.5), 0.5, Double.POSITIVE_INFINITY, 0));
    }

    @Test
    void rungsAboveTheFirstThatHoldsNeedNotBeMeasured() {
        double[] placement = new double[20];
        Arrays.fill(placement, 15.0);
        double[][] d = decide(20, 0.5);
        for (int r = 4; r < d.length; r++) {
            d[r] = null; // 22 ms and up: not measured
        }
        // 15 + 0.5 + 1.5 + 0.5 = 17.5: 18 ms holds, whatever the larger rungs would cost.
        LatencyCalibration.Choice c = LatencyCalibration.choose(new LatencyCalibration.Costs(LADDER.clone(), placement, d,
                0.5, 1.5, 0));
        assertEquals(18.0, c.latencyMs());
        LatencyCalibration.Choice full = LatencyCalibration.choose(flat(20, 15.0, 0.5, 1.5, 0));
        assertEquals(full.chosen(), c.chosen(), "the same choice as with every rung measured");
        assertEquals(full.below(), c.below());
        assertEquals(4, c.rungs().size(), "the rungs measured: 12, 15, 18 and 20 ms");
        // Not measured before any rung held: an error, not a guess.
        double[] late = new double[20];
        Arrays.fill(late, 30.0);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LatencyCalibration.choose(
                new LatencyCalibration.Costs(LADDER.clone(), late, d, 0.5, 1.5, 0)));
        assertEquals("no rung up to 20.0 ms holds and 22.0 ms was not measured", e.getMessage());
        double[][] gap = decide(20, 0.5);
        gap[2] = null;
        IllegalArgumentException g = assertThrows(IllegalArgumentException.class,
                () -> new LatencyCalibration.Costs(LADDER.clone(), placement, gap, 0.5, 1.5, 0));
        assertEquals("rung 18.0 ms was not measured but 20.0 ms was: only the rungs above the first that holds may be"
                + " left out", g.getMessage());
    }

    @Test
    void theOptionTakesAutoOrANumberAndSaysWhatElseIsWrong() {
        ListenConfig auto = ListenConfig.parseLatency("auto");
        assertTrue(auto.autoLatency());
        assertEquals(ListenConfig.DEFAULT_LATENCY_MS, auto.latencyMs(), "provisional until measured");
        assertTrue(ListenConfig.parseLatency(" AUTO ").autoLatency());
        ListenConfig fixed = ListenConfig.parseLatency("25");
        assertFalse(fixed.autoLatency());
        assertEquals(25.0, fixed.latencyMs());
        assertEquals(15.0, fixed.windowMs());
        IllegalArgumentException word = assertThrows(IllegalArgumentException.class,
                () -> ListenConfig.parseLatency("fast"));
        assertEquals("--listen-latency-ms must be auto or 20..1000 ms, got 'fast'", word.getMessage());
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> ListenConfig.parseLatency("5"));
        assertTrue(small.getMessage().startsWith("--listen-latency-ms must be 20..1000"), small.getMessage());
        ListenConfig chosen = auto.chosen(18);
        assertFalse(chosen.autoLatency());
        assertEquals(18.0, chosen.latencyMs());
        assertEquals(10.0, chosen.windowMs(), "below 20 ms the shortest window; the rest is the reserve");
        assertFalse(auto.withLatencyMs(30).autoLatency(), "a latency set is a fixed one");
    }

    @Test
    void measuringRunsTheRealDetectorAndModelsOnTheCalibrationTake() throws Exception {
        try (Models models = ListenModels.load()) {
            ListenConfig auto = ListenConfig.auto();
            LatencyCalibration.Costs costs = LatencyCalibration.measure(models, auto, 48_000, 64);
            // The take strikes 51 steps of two bars twice and a crash: the detector finds most.
            int hits = costs.placementMs().length;
            assertTrue(hits >= LatencyCalibration.MIN_HITS && hits <= 51, "hits found: " + hits);
            for (double p : costs.placementMs()) {
                // Reported after the onset, by at least the look-ahead (2 hops, 2.7 ms), and at most
                // the design's bound: the 512-sample frame, 3 hops of flux lag and 2 of look-ahead.
                assertTrue(p >= 2 * 64 * 1000.0 / 48_000 && p <= (512 + 5 * 64) * 1000.0 / 48_000, "placement " + p + " ms");
            }
            for (double[] rung : costs.decideMs()) {
                for (double d : rung == null ? new double[0] : rung) {
                    assertTrue(d > 0, "a decision takes time");
                }
            }
            if (costs.decideMs()[3] != null) {
                assertArrayEquals(costs.decideMs()[0], costs.decideMs()[3], "12 and 20 ms share the 10 ms window: timed once");
            }
            assertEquals(32 * 1000.0 / 48_000, costs.inputBlockMs(), 1e-9);
            assertEquals(64 * 1000.0 / 48_000, costs.engineBlockMs(), 1e-9);
            LatencyCalibration.Choice c = LatencyCalibration.choose(costs);
            assertTrue(Arrays.stream(LADDER).anyMatch(l -> l == c.latencyMs()), "a rung: " + c.latencyMs());
            for (int r = 0; r < LADDER.length; r++) {
                // Measured up to the rung chosen, and no further.
                assertEquals(LADDER[r] <= c.latencyMs(), costs.decideMs()[r] != null, "rung " + LADDER[r] + " measured");
            }
            System.out.println("listen calibration here: " + LatencyCalibration.run(models, auto, 48_000, 64).describe());
        }
    }
}
