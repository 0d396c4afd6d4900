package io.latentkit.engine.control;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.PadParam;
import io.latentkit.engine.sequence.Pattern;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A copy of the render thread's performance state (the active kit, every pad parameter, the
 * tempo), for saving a preset. The caller allocates it, publishes it with
 * {@link EngineProxy#snapshot}, and waits with {@link #await}; the render thread fills it at the
 * next block boundary without allocating and marks it ready with a volatile write.
 *
 * <p>Threading: filled by the render thread only; read by the caller only after {@link #await}
 * returned {@code true} (the volatile read of the ready flag makes every field visible). Not
 * reusable.
 */
public final class EngineSnapshot {
    private final float[][] pads = new float[DrumClass.COUNT][PadParam.values().length];
    private Kit kit;
    private float tempoBpm;
    private long frame;
    private volatile boolean ready;
    // ---- patterns (issue 17): the sequencer's pattern and swing
    private final Pattern pattern = new Pattern();
    private float swing;

    /** Render thread only: where the sequencer copies its pattern. */
    public Pattern patternBuffer() {
        return pattern;
    }

    /** Render thread only: the sequencer's swing. */
    public void swing(float s) {
        swing = s;
    }

    /** The sequencer's pattern (after {@link #await}). */
    public Pattern pattern() {
        return pattern;
    }

    /** The sequencer's swing (after {@link #await}). */
    public float swing() {
        return swing;
    }
    // ----

    /** Render thread only: copies one pad's parameters. */
    public void setPad(int pad, int param, float value) {
        pads[pad][param] = value;
    }

    /** Render thread only: the kit, tempo and frame, then publishes the snapshot. */
    public void complete(Kit activeKit, float bpm, long atFrame) {
        kit = activeKit;
        tempoBpm = bpm;
        frame = atFrame;
        ready = true;
    }

    /**
     * Waits until the render thread has filled the snapshot, at most {@code timeout}.
     *
     * @return whether it is ready
     */
    public boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (!ready) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            LockSupport.parkNanos(200_000L);
        }
        return true;
    }

    /** The kit that was playing. */
    public Kit kit() {
        return kit;
    }

    /** The value of a pad's parameter, in the units {@link PadParam} documents. */
    public float pad(int pad, PadParam param) {
        return pads[pad][param.ordinal()];
    }

    public float tempoBpm() {
        return tempoBpm;
    }

    /** The engine frame at which the state was copied. */
    public long frame() {
        return frame;
    }
}
