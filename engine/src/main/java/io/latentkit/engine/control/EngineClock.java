package io.latentkit.engine.control;

/**
 * Maps wall time onto engine frame time, so that timestamped control (an OSC bundle's timetag, a
 * MIDI timestamp) lands at its exact sample. The engine's own clock is its frame count; this is
 * the smoothed model of how that count relates to the wall clock.
 *
 * <p>Threading: readers on any thread; the render thread alone updates the live clock.
 */
public interface EngineClock {
    /** Engine sample rate. */
    int sampleRateHz();

    /** The first frame of the block being rendered (or about to be). */
    long currentFrame();

    /** The engine frame that corresponds to a wall-clock instant in nanoseconds since the Unix epoch. */
    long frameAtEpochNanos(long epochNanos);

    /** The engine frame that corresponds to a {@link System#nanoTime()} reading. */
    long frameAtNanoTime(long nanoTime);

    /**
     * Frames in a (possibly negative) span of nanoseconds, rounded to the nearest frame. Exact and
     * free of overflow for any span a long can hold. Allocation-free.
     */
    static long nanosToFrames(long nanos, int sampleRateHz) {
        long q = Math.floorDiv(nanos, 1_000_000_000L);
        long r = Math.floorMod(nanos, 1_000_000_000L);
        return q * sampleRateHz + (r * sampleRateHz + 500_000_000L) / 1_000_000_000L;
    }

    /** A fixed mapping: frame 0 is at {@code epochNanosAtFrameZero}. For offline, deterministic runs. */
    static EngineClock fixed(long epochNanosAtFrameZero, int sampleRateHz) {
        return new FixedClock(epochNanosAtFrameZero, sampleRateHz);
    }
}
