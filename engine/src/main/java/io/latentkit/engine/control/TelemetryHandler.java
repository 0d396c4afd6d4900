package io.latentkit.engine.control;

/**
 * Receives what the render thread reports. Called on the thread that polls a
 * {@link TelemetryReader}; every method has an empty default, so a follower implements only what
 * it follows.
 */
public interface TelemetryHandler {
    /** Every event published before the sync request with {@code id} has been handled. */
    default void onSynced(long id, long frame) {
    }

    /** A trigger carrying {@code tag} started a voice at {@code frame}, in the block just rendered. */
    default void onVoiceStarted(long tag, int pad, long frame) {
    }

    /** Output peaks since the previous meter report, after the output guard, and sounding voices. */
    default void onMeter(float peakLeft, float peakRight, int voices, long frame) {
    }

    /** Beat {@code beat} of the engine's tempo clock falls at {@code frame}. */
    default void onBeat(long beat, long frame) {
    }

    /** Pad parameter {@code param} (a {@code PadParam} ordinal) of {@code pad} is now {@code value}. */
    default void onParam(int pad, int param, float value, long frame) {
    }

    /** The sequencer played the beat at {@code tick} (0, 32, 64, 96) of bar {@code bar} of its chain. */
    default void onPatternStep(int bar, int tick, long frame) {
    }

    /** The tempo clock now runs at {@code bpm}. */
    default void onTempo(float bpm, long frame) {
    }
}
