package io.latentkit.listen.input;

import io.latentkit.engine.control.EngineClock;

/**
 * Places input frames on the engine's frame clock.
 *
 * <p>Input frame {@code n} (counted from the first frame read) is engine frame
 * {@code offset + n * engineRate / inputRate}. The offset is learned from the blocks as they
 * arrive: a block whose last frame is {@code n} cannot arrive before that frame was captured, so
 * {@code clock.frameAtNanoTime(arrival) - scaled(n)} is an upper bound of the offset, and the
 * running minimum of these bounds is the estimate (the promptest delivery seen). It may creep
 * upwards by at most {@value #CREEP_PPM} ppm of elapsed time, to follow an input clock that runs
 * slower than the engine's, and is re-anchored at once when a block arrives more than
 * {@value #RESET_MS} ms later than the estimate predicts (the input stalled and lost frames, or
 * the device restarted). This is the MIDI input's device-timeline idea applied to audio blocks.
 *
 * <p>What the mapping means physically: an engine frame is the one the render thread is rendering
 * at that instant, so a drum scheduled {@code L} frames after an onset's engine frame leaves the
 * engine {@code L} after the sound arrived, and is heard {@code L} plus the output buffer
 * ({@code AudioSink#latencyFrames}) plus the input device's own buffering after the performer made
 * it. Those two are constant for a running device; only {@code L} is ours.
 *
 * <p>Threading: {@link #observe} by the input agent only; {@link #toEngineFrame} and the
 * accessors from any thread (the offset is published through a volatile field). Allocation-free.
 */
public final class InputTimeline {
    /** Largest upward creep of the offset, in parts per million of elapsed engine time. */
    public static final int CREEP_PPM = 200;
    /** A block this much later than the estimate predicts re-anchors it. */
    public static final int RESET_MS = 50;

    private final EngineClock clock;
    private final int inputRateHz;
    private final int engineRateHz;
    private final long resetFrames;
    private volatile long offsetFrames;
    private volatile boolean anchored;
    private volatile long reanchors;
    private long lastEngineFrame;
    private long creepMicros;

    public InputTimeline(EngineClock clock, int inputRateHz) {
        this.clock = clock;
        this.inputRateHz = inputRateHz;
        this.engineRateHz = clock.sampleRateHz();
        this.resetFrames = (long) engineRateHz * RESET_MS / 1000;
    }

    /** Input frames scaled to engine frames (exact when the rates are equal). */
    public long scale(long inputFrames) {
        return engineRateHz == inputRateHz ? inputFrames : Math.floorDiv(inputFrames * engineRateHz, inputRateHz);
    }

    /**
     * Takes note of a block whose last frame is {@code endInputFrame - 1} (so {@code endInputFrame}
     * frames have been read in all), delivered at {@code arrivalNanoTime}. Input agent only.
     */
    public void observe(long endInputFrame, long arrivalNanoTime) {
        long engineNow = clock.frameAtNanoTime(arrivalNanoTime);
        long bound = engineNow - scale(endInputFrame);
        if (!anchored) {
            offsetFrames = bound;
            lastEngineFrame = engineNow;
            anchored = true; // volatile write after the offset: a reader that sees it sees the offset
            return;
        }
        long elapsed = Math.max(0L, engineNow - lastEngineFrame);
        lastEngineFrame = engineNow;
        long offset = offsetFrames;
        if (bound <= offset) {
            creepMicros = 0;
            offsetFrames = bound;
        } else if (bound - offset > resetFrames) {
            creepMicros = 0;
            offsetFrames = bound;
            reanchors++;
        } else {
            creepMicros += elapsed * CREEP_PPM;
            long creep = creepMicros / 1_000_000L;
            creepMicros -= creep * 1_000_000L;
            offsetFrames = Math.min(bound, offset + creep);
        }
    }

    /** Whether a block has been observed (before that, {@link #toEngineFrame} is meaningless). */
    public boolean anchored() {
        return anchored;
    }

    /** The engine frame of input frame {@code inputFrame}. Any thread. */
    public long toEngineFrame(long inputFrame) {
        return offsetFrames + scale(inputFrame);
    }

    /** The current offset (engine frame of input frame 0). Any thread. */
    public long offsetFrames() {
        return offsetFrames;
    }

    /** Times the estimate was re-anchored after a late block. Any thread. */
    public long reanchors() {
        return reanchors;
    }
}
