package io.latentkit.midi;

/**
 * Receives MIDI transport messages (Start, Stop, Continue, Song Position Pointer) for the sequencer
 * that follows them. Each call carries the engine frame at which the message takes effect (the
 * message's device time mapped onto the engine clock, plus the MIDI safety latency), so a
 * sequencer can start on the exact frame.
 *
 * <p>Threading: called on the thread of the device that sent the message; implementations must
 * be quick and must not block (publish to the engine through its proxy, or hand off).
 */
public interface MidiTransportListener {
    /** Start (0xFA): play from the beginning at {@code frame}. */
    default void onStart(long frame) {
    }

    /** Stop (0xFC) at {@code frame}. */
    default void onStop(long frame) {
    }

    /** Continue (0xFB): resume from the current position at {@code frame}. */
    default void onContinue(long frame) {
    }

    /** Song Position Pointer (0xF2): the position in sixteenth notes since the start. */
    default void onSongPosition(int sixteenths, long frame) {
    }

    /**
     * A Timing Clock pulse (0xF8) followed while running: song position {@code pulse} (24 per beat,
     * 0 for the first pulse after Start) falls on {@code frame}. Only with clock in enabled.
     */
    default void onClock(long pulse, long frame) {
    }
}
