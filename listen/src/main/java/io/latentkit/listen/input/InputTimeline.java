package io.latentkit.listen.input;

import io.latentkit.engine.control.EngineClock;

/**
 * Places input frames on the engine's frame clock, in two steps.
 *
 * <ol>
 *   <li><b>Input frame to wall time.</b> Input frame {@code n} (counted from the first frame read)
 *       was captured at {@code start + n / inputRate} on {@link System#nanoTime()}. A block whose
 *       last frame is {@code n - 1} cannot arrive before that frame was captured, so
 *       {@code arrival - n / inputRate} is an upper bound of {@code start}, and the running minimum
 *       of these bounds is the estimate (the promptest delivery seen). It may creep later by at
 *       most {@value #CREEP_PPM} ppm of elapsed time, to follow an input clock that runs slower
 *       than the system's, and is re-anchored at once when a block arrives more than
 *       {@value #RESET_MS} ms later than it predicts (the input stalled and lost frames, or the
 *       device restarted). This is the MIDI input's device-timeline idea applied to audio blocks.</li>
 *   <li><b>Wall time to engine frame.</b> {@link EngineClock#frameAtNanoTime}, the engine's
 *       smoothed clock model, at the moment the frame is asked for.</li>
 * </ol>
 *
 * <p>The minimum is taken in wall time, where delivery delays are one-sided, and not in engine
 * frames, where the clock model's own error on a busy machine goes both ways and a minimum would
 * keep its worst moment.
 *
 * <p>What the mapping means physically: an engine frame is the one the render thread renders at
 * that instant, so a drum scheduled {@code L} frames after an onset's engine frame leaves the
 * engine {@code L} after the sound arrived, and is heard {@code L} plus the output buffer
 * ({@code AudioSink#latencyFrames}) plus the input device's own buffering after the performer made
 * it. Those two are constant for a running device; only {@code L} is ours.
 *
 * <p>Threading: {@link #observe} by the input agent only; {@link #toEngineFrame} and the
 * accessors from any thread (the estimate is published through a volatile field). Allocation-free.
 */
public final class InputTimeline {
    /** Largest creep of the estimate, in parts per million of elapsed time. */
    public static final int CREEP_PPM = 200;
    /** A block this much later than the estimate predicts re-anchors it. */
    public static final int RESET_MS = 50;
    private static final long RESET_NANOS = RESET_MS * 1_000_000L;

    private final EngineClock clock;
    private final int inputRateHz;
    private volatile long startNanos;
    private volatile boolean anchored;
    private volatile long reanchors;
    private long lastEndFrame;
    private long creepRemainder;

    public InputTimeline(EngineClock clock, int inputRateHz) {
        this.clock = clock;
        this.inputRateHz = inputRateHz;
    }

    /** Nanoseconds spanned by {@code frames} input frames. */
    private long nanos(long frames) {
        return Math.floorDiv(frames * 1_000_000_000L, inputRateHz);
    }

    /**
     * Takes note of a block whose last frame is {@code endInputFrame - 1} (so {@code endInputFrame}
     * frames have been read in all), delivered at {@code arrivalNanoTime}. Input agent only.
     */
    public void observe(long endInputFrame, long arrivalNanoTime) {
        long bound = arrivalNanoTime - nanos(endInputFrame);
        if (!anchored) {
            startNanos = bound;
            lastEndFrame = endInputFrame;
            anchored = true; // volatile write after the estimate: a reader that sees it sees the estimate
            return;
        }
        // Elapsed time in captured frames: arrival times jitter both ways from block to block.
        long elapsed = nanos(endInputFrame - lastEndFrame);
        lastEndFrame = endInputFrame;
        long start = startNanos;
        if (bound <= start) {
            creepRemainder = 0;
            startNanos = bound;
        } else if (bound - start > RESET_NANOS) {
            creepRemainder = 0;
            startNanos = bound;
            reanchors++;
        } else {
            // elapsed ns times ppm is in units of 1e-6 ns: whole nanoseconds of creep are carried out.
            creepRemainder += elapsed * CREEP_PPM;
            long creep = creepRemainder / 1_000_000L;
            creepRemainder -= creep * 1_000_000L;
            startNanos = Math.min(bound, start + creep);
        }
    }

    /** Whether a block has been observed (before that, the mapping is meaningless). */
    public boolean anchored() {
        return anchored;
    }

    /** {@link System#nanoTime()} at which input frame {@code inputFrame} was captured. Any thread. */
    public long captureNanos(long inputFrame) {
        return startNanos + nanos(inputFrame);
    }

    /** The engine frame of input frame {@code inputFrame}, on the engine's clock model now. Any thread. */
    public long toEngineFrame(long inputFrame) {
        return clock.frameAtNanoTime(captureNanos(inputFrame));
    }

    /** Times the estimate was re-anchored after a late block. Any thread. */
    public long reanchors() {
        return reanchors;
    }
}
