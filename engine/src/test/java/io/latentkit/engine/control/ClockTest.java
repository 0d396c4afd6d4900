package io.latentkit.engine.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ClockTest {
    @Test
    void nanosecondsConvertToTheNearestFrameWithoutOverflow() {
        assertEquals(48_000, EngineClock.nanosToFrames(1_000_000_000L, 48_000));
        assertEquals(1, EngineClock.nanosToFrames(20_834L, 48_000));  // 1.00003 frames
        assertEquals(0, EngineClock.nanosToFrames(10_416L, 48_000));  // 0.49997 frames
        assertEquals(-48_000, EngineClock.nanosToFrames(-1_000_000_000L, 48_000));
        long year = 365L * 24 * 3600 * 1_000_000_000L;
        assertEquals(365L * 24 * 3600 * 96_000, EngineClock.nanosToFrames(year, 96_000));
    }

    @Test
    void fixedClockMapsEpochTimeToFramesExactly() {
        long t0 = 1_700_000_000_000_000_000L;
        EngineClock clock = EngineClock.fixed(t0, 48_000);
        assertEquals(0, clock.frameAtEpochNanos(t0));
        assertEquals(24_000, clock.frameAtEpochNanos(t0 + 500_000_000L));
        assertEquals(-48, clock.frameAtEpochNanos(t0 - 1_000_000L));
    }

    @Test
    void liveClockSmoothsJitterAndReanchorsAfterAStall() {
        LiveClock clock = new LiveClock(48_000);
        long blockNanos = 64 * 1_000_000_000L / 48_000;
        for (int i = 0; i < 1_000; i++) {
            long jitter = (i % 2 == 0 ? 1 : -1) * 200_000L; // +-0.2 ms scheduling jitter
            clock.advance(i * 64L, 1_000_000_000L + i * blockNanos + jitter);
        }
        long base = 1_000_000_000L + 1_000 * blockNanos;
        // The model stays within a few frames of the true line despite +-10 frames of jitter.
        long frame = clock.frameAtNanoTime(base);
        assertEquals(64_000, frame, 3);
        // A 200 ms stall re-anchors at once.
        clock.advance(64_000, base + 200_000_000L);
        assertEquals(64_000, clock.frameAtNanoTime(base + 200_000_000L));
    }
}
