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

    @Test
    void thePromptestBlockSetsTheOffsetAndLaterDeliveriesDoNotMoveIt() {
        EngineClock clock = EngineClock.fixed(0, RATE);
        InputTimeline t = new InputTimeline(clock, RATE);
        assertFalse(t.anchored());
        long start = System.nanoTime();
        Random r = new Random(1);
        long promptBound = Long.MAX_VALUE;
        for (int b = 1; b <= 500; b++) {
            long captured = start + b * BLOCK_NANOS;
            // Delivered 0.1 to 3 ms after capture, except block 250, delivered at once.
            long arrival = captured + (b == 250 ? 0 : 100_000 + r.nextInt(2_900_000));
            if (b == 250) {
                promptBound = clock.frameAtNanoTime(arrival) - 64L * b;
            }
            t.observe(64L * b, arrival);
        }
        assertTrue(t.anchored());
        // Creep over 250 blocks (0.33 s) at 200 ppm is at most 66 frames, but block 250 pinned the
        // minimum and every later bound was above it by less than the creep needs to pass.
        long offset = t.offsetFrames();
        assertTrue(offset >= promptBound && offset <= promptBound + 66, "offset " + offset + ", prompt bound " + promptBound);
        assertEquals(offset + 1000, t.toEngineFrame(1000));
        assertEquals(0, t.reanchors());
    }

    @Test
    void aBlockFarLaterThanPredictedReanchorsAtOnce() {
        EngineClock clock = EngineClock.fixed(0, RATE);
        InputTimeline t = new InputTimeline(clock, RATE);
        long start = System.nanoTime();
        for (int b = 1; b <= 100; b++) {
            t.observe(64L * b, start + b * BLOCK_NANOS);
        }
        long before = t.offsetFrames();
        // The input stalled for 300 ms and lost those frames: frame 6464 arrives 300 ms late.
        long arrival = start + 101 * BLOCK_NANOS + 300_000_000L;
        t.observe(64L * 101, arrival);
        assertEquals(1, t.reanchors());
        assertEquals(clock.frameAtNanoTime(arrival) - 64L * 101, t.offsetFrames());
        assertTrue(t.offsetFrames() - before >= RATE * 3 / 10 - 1, "moved by the stall");
    }

    @Test
    void anInputClockRunningSlowIsFollowedByCreepingAtMostTwoHundredPpm() {
        EngineClock clock = EngineClock.fixed(0, RATE);
        InputTimeline t = new InputTimeline(clock, RATE);
        long start = System.nanoTime();
        // The input runs 100 ppm slow: its frames arrive ever later on the engine clock.
        for (int b = 1; b <= 75_000; b++) { // 100 s of blocks
            long captured = start + (long) (b * BLOCK_NANOS * (1 + 100e-6));
            t.observe(64L * b, captured);
        }
        long drift = t.offsetFrames() - (clock.frameAtNanoTime(start + (long) (BLOCK_NANOS * (1 + 100e-6))) - 64);
        // 100 ppm of 100 s is 480 frames; the estimate follows to within a few frames.
        assertTrue(drift > 470 && drift <= 481, "followed the drift: " + drift);
        assertEquals(0, t.reanchors());
    }

    @Test
    void inputFramesScaleToAnEngineAtAnotherRate() {
        EngineClock clock = EngineClock.fixed(0, 96_000);
        InputTimeline t = new InputTimeline(clock, RATE);
        t.observe(48_000, System.nanoTime());
        assertEquals(t.offsetFrames() + 96_000, t.toEngineFrame(48_000));
        assertEquals(t.offsetFrames() + 1, t.toEngineFrame(1) - 1);
    }
}
