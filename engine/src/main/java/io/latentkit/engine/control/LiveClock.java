package io.latentkit.engine.control;

import java.lang.invoke.VarHandle;
import java.time.Instant;

/**
 * The real-time clock model: at every block start the render thread reports (frame, nanoTime),
 * and the model keeps a smoothed estimate of the nanoTime at which frame 0 was rendered, so that
 * scheduling jitter of single blocks does not move timestamped events. A jump larger than
 * {@link #RESET_NANOS} (a stall, a device restart) re-anchors the model at once.
 *
 * <p>Threading: the render thread writes ({@link #advance}); any thread reads. The estimate is
 * published with a sequence lock: the single writer makes the version odd, writes, makes it even;
 * readers retry while it is odd or changed. The writer never waits.
 */
public final class LiveClock implements EngineClock, FrameCounter {
    /** Deviations above this re-anchor the model instead of being smoothed. */
    public static final long RESET_NANOS = 50_000_000L;
    /** Weight of one new observation; ~1/64 smooths jitter over about a hundred blocks. */
    private static final double ALPHA = 1.0 / 64.0;

    private final int sampleRateHz;
    private final long epochMinusNanoTime;

    private volatile long version;
    private long anchorNanoTime;
    private long anchorFrame;
    private volatile long currentFrame;
    private boolean anchored;

    public LiveClock(int sampleRateHz) {
        this.sampleRateHz = sampleRateHz;
        // The offset between the Unix epoch and the monotonic clock, read once: timetags are wall
        // time, the engine measures with nanoTime, which does not jump with NTP steps.
        Instant now = Instant.now();
        long nano = System.nanoTime();
        this.epochMinusNanoTime = now.getEpochSecond() * 1_000_000_000L + now.getNano() - nano;
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
        return frameAtNanoTime(epochNanos - epochMinusNanoTime);
    }

    @Override
    public long frameAtNanoTime(long nanoTime) {
        long v;
        long aNanos;
        long aFrame;
        do {
            v = version;
            aNanos = anchorNanoTime;
            aFrame = anchorFrame;
            // Keeps the two plain reads above from moving below the re-read of version.
            VarHandle.loadLoadFence();
        } while ((v & 1L) != 0 || v != version);
        if (v == 0) {
            return currentFrame;
        }
        return aFrame + EngineClock.nanosToFrames(nanoTime - aNanos, sampleRateHz);
    }

    @Override
    public void advance(long blockStartFrame, long nanoTime) {
        currentFrame = blockStartFrame;
        long newAnchorNanos;
        if (!anchored) {
            newAnchorNanos = nanoTime;
            anchored = true;
        } else {
            long predicted = anchorNanoTime + (blockStartFrame - anchorFrame) * 1_000_000_000L / sampleRateHz;
            long err = nanoTime - predicted;
            if (Math.abs(err) > RESET_NANOS) {
                newAnchorNanos = nanoTime;
            } else {
                newAnchorNanos = predicted + (long) (err * ALPHA);
            }
        }
        long v = version;
        version = v + 1; // odd: readers retry
        // Keeps the plain writes below from moving above the odd version.
        VarHandle.storeStoreFence();
        anchorNanoTime = newAnchorNanos;
        anchorFrame = blockStartFrame;
        version = v + 2; // even: the volatile write publishes the two plain writes above
    }
}
