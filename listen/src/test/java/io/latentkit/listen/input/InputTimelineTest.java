package io.latentkit.listen.input;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.engine.control.EngineClock;
import java.util.Random;
import org.junit.jupiter.api.Test;

class InputTimelineTest {
    private static final int RATE = 48_000;
    private static final long BLOCK_NANOS = 64 * 1_000_000_000L / RATE;
    private static final long FRAME_NANOS = 1_000_000_000L / RATE;

    @Test
    void thePromptestBlockSetsTheCaptureTimesAndLaterDeliveriesDoNotMoveThem() {
        EngineClock clock = EngineClock.fixed(0, RATE);
        InputTimeline t = new InputTimeline(clock, RATE);
        assertFalse(t.anchored());
        long start = System.nanoTime();
        Random r = new Random(1);
        for (int b = 1; b <= 500; b++) {
            long captured = start + Math.floorDiv(64L * b * 1_000_000_000L, RATE);
            // Delivered 0.1 to 3 ms after capture, except block 250, delivered at once.
            t.observe(64L * b, captured + (b == 250 ? 0 : 100_000 + r.nextInt(2_900_000)));
        }
        assertTrue(t.anchored());
        // 250 blocks (0.33 s) after the prompt one, 200 ppm creep is at most 67 us, yet every later
        // bound was at least 100 us later than block 250's.
        long error = t.captureNanos(0) - start;
        assertTrue(error >= 0 && error <= 67_000, "capture time of frame 0 off by " + error + " ns");
        assertEquals(t.captureNanos(0) + 1_000_000_000L, t.captureNanos(RATE));
        assertEquals(clock.frameAtNanoTime(t.captureNanos(4_800)), t.toEngineFrame(4_800));
        assertEquals(0, t.reanchors());
    }

    @Test
    void aBlockFarLaterThanPredictedReanchorsAtOnce() {
        InputTimeline t = new InputTimeline(EngineClock.fixed(0, RATE), RATE);
        long start = System.nanoTime();
        for (int b = 1; b <= 100; b++) {
            t.observe(64L * b, start + b * BLOCK_NANOS);
        }
        long before = t.captureNanos(0);
        // The input stalled for 300 ms and lost those frames: frame 6464 arrives 300 ms late.
        long arrival = start + 101 * BLOCK_NANOS + 300_000_000L;
        t.observe(64L * 101, arrival);
        assertEquals(1, t.reanchors());
        assertEquals(arrival, t.captureNanos(64L * 101), FRAME_NANOS);
        assertTrue(t.captureNanos(0) - before >= 299_000_000L, "moved by the stall");
    }

    @Test
    void anInputClockRunningSlowIsFollowedByCreepingAtMostTwoHundredPpm() {
        InputTimeline t = new InputTimeline(EngineClock.fixed(0, RATE), RATE);
        long start = System.nanoTime();
        // The input runs 100 ppm slow: its frames arrive ever later.
        for (int b = 1; b <= 75_000; b++) { // 100 s of blocks
            t.observe(64L * b, start + (long) (b * BLOCK_NANOS * (1 + 100e-6)));
        }
        long lastCapture = start + (long) (75_000 * BLOCK_NANOS * (1 + 100e-6));
        long error = lastCapture - t.captureNanos(64L * 75_000);
        // 100 ppm of 100 s is 10 ms; the estimate follows to within a block.
        assertTrue(Math.abs(error) < BLOCK_NANOS, "followed the drift to within " + error + " ns");
        assertEquals(0, t.reanchors());
    }

    @Test
    void inputFramesMapOntoAnEngineAtAnotherRate() {
        EngineClock clock = EngineClock.fixed(0, 96_000);
        InputTimeline t = new InputTimeline(clock, RATE);
        t.observe(48_000, System.nanoTime());
        assertEquals(t.toEngineFrame(0) + 96_000, t.toEngineFrame(48_000));
    }
}
