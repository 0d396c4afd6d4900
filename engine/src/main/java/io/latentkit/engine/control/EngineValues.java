package io.latentkit.engine.control;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.PadParam;
import io.latentkit.core.namespace.ValueBoard;

/**
 * Where the render thread publishes the current value of what it owns (every pad parameter of the
 * active kit, the tempo) for the control namespace: one {@link ValueBoard} slot each, readable from
 * any thread without a lock, and a telemetry record per change for followers.
 *
 * <p>Threading: the {@code publish*} methods are for the render thread only (before the render
 * thread starts, for the thread that creates the engine); the slot accessors from any thread.
 * Allocation-free.
 */
public final class EngineValues {
    private static final PadParam[] PARAMS = PadParam.values();

    private final ValueBoard board;
    private final int padBase;
    private final int tempoSlot;

    /** Reserves this engine's slots on {@code board}. */
    public EngineValues(ValueBoard board) {
        this.board = board;
        this.padBase = board.reserve(DrumClass.COUNT * PARAMS.length);
        this.tempoSlot = board.reserve(1);
    }

    public ValueBoard board() {
        return board;
    }

    /** The slot of a pad's parameter. */
    public int padSlot(int pad, PadParam param) {
        return padBase + pad * PARAMS.length + param.ordinal();
    }

    public int tempoSlot() {
        return tempoSlot;
    }

    /** Render thread: one pad parameter changed. */
    public void publishPad(int pad, int param, float value, long frame, Telemetry telemetry) {
        int slot = padBase + pad * PARAMS.length + param;
        if (board.read(slot) != value) {
            board.publish(slot, value);
            telemetry.publishParam(pad, param, value, frame);
        }
    }

    /** Render thread: a new kit is active; every pad parameter that differs is published. */
    public void publishKit(Kit kit, long frame, Telemetry telemetry) {
        for (int p = 0; p < DrumClass.COUNT; p++) {
            for (int k = 0; k < PARAMS.length; k++) {
                publishPad(p, k, kit.pad(p).get(PARAMS[k]), frame, telemetry);
            }
        }
    }

    /** Render thread: the tempo changed. */
    public void publishTempo(float bpm, long frame, Telemetry telemetry) {
        if (board.read(tempoSlot) != bpm) {
            board.publish(tempoSlot, bpm);
            telemetry.publishTempo(bpm, frame);
        }
    }
}
