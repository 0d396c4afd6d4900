package io.latentkit.engine.control;

/**
 * A clock with a fixed epoch-to-frame mapping and no drift, for offline renders and tests: the
 * same timetag always maps to the same frame, whatever the machine is doing.
 *
 * <p>Immutable apart from {@link #advance}; any thread.
 */
final class FixedClock implements EngineClock, FrameCounter {
    private final long epochNanosAtFrameZero;
    private final long nanoTimeAtFrameZero;
    private final int sampleRateHz;
    private volatile long currentFrame;

    FixedClock(long epochNanosAtFrameZero, int sampleRateHz) {
        this.epochNanosAtFrameZero = epochNanosAtFrameZero;
        this.nanoTimeAtFrameZero = System.nanoTime();
        this.sampleRateHz = sampleRateHz;
    }

    @Override
    public int sampleRateHz() {
        return sampleRateHz;
    }

    @Override
    public long currentFrame() {
        return currentFrame;
    }

    @Override
    public long frameAtEpochNanos(long epochNanos) {
        return EngineClock.nanosToFrames(epochNanos - epochNanosAtFrameZero, sampleRateHz);
    }

    @Override
    public long frameAtNanoTime(long nanoTime) {
        return EngineClock.nanosToFrames(nanoTime - nanoTimeAtFrameZero, sampleRateHz);
    }

    @Override
    public void advance(long blockStartFrame, long nanoTime) {
        currentFrame = blockStartFrame;
    }
}
