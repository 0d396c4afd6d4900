package io.latentkit.midi;

import io.latentkit.engine.control.EngineProxy;
import java.util.Objects;
import javax.sound.midi.MidiMessage;
import javax.sound.midi.ShortMessage;

/**
 * MIDI clock and transport in: Timing Clock pulses drive the {@link ClockFollower}, whose tempo
 * estimates go to the engine ({@link EngineProxy#setTempo}) at the frame of the pulse; Start,
 * Stop, Continue and Song Position Pointer go to the {@link MidiTransportListener} with the frame
 * at which each takes effect.
 *
 * <p>Threading: {@link #onSystem} on the delivery thread of whichever device sent the message
 * (the follower is synchronized, the listener is published through a volatile field); the other
 * methods from any thread.
 */
final class ClockInput {
    /** Tempi outside this range are not passed on (the engine refuses them too). */
    static final double MIN_BPM = 20.0;
    static final double MAX_BPM = 400.0;

    private final EngineProxy proxy;
    private final EventFrames frames;
    private final MidiCounters counters;
    private final boolean clockIn;
    private final ClockFollower follower;
    private volatile MidiTransportListener transport = new MidiTransportListener() { };

    ClockInput(EngineProxy proxy, EventFrames frames, MidiCounters counters, boolean clockIn) {
        this.proxy = proxy;
        this.frames = frames;
        this.counters = counters;
        this.clockIn = clockIn;
        this.follower = new ClockFollower(this::onTempo);
    }

    /**
     * Handles one system message (status 0xF0..0xFF) from {@code source}: {@code eventNanos} is its
     * instant on our clock, {@code deviceNanos} the instant pulses are timed by (the device's own
     * timestamp where it sent one). Messages other than clock and transport (active sensing,
     * system exclusive, reset) are not for a drum pad and are ignored. Allocation-free.
     */
    void onSystem(Object source, MidiMessage m, int status, long eventNanos, long deviceNanos) {
        switch (status) {
            case ShortMessage.TIMING_CLOCK -> {
                if (clockIn && follower.pulse(source, eventNanos, deviceNanos) && follower.running()) {
                    // The pulse that brings the count to n is the onset of song position n - 1.
                    transport.onClock(follower.positionPulses() - 1, frames.frameAt(eventNanos));
                }
            }
            case ShortMessage.START -> {
                follower.start();
                transport.onStart(frames.frameAt(eventNanos));
            }
            case ShortMessage.CONTINUE -> {
                follower.resume();
                transport.onContinue(frames.frameAt(eventNanos));
            }
            case ShortMessage.STOP -> {
                follower.stop();
                transport.onStop(frames.frameAt(eventNanos));
            }
            case ShortMessage.SONG_POSITION_POINTER -> {
                int position = songPosition(m);
                if (position >= 0) {
                    follower.songPosition(position);
                    transport.onSongPosition(position, frames.frameAt(eventNanos));
                }
            }
            default -> {
                // Not for a drum pad.
            }
        }
    }

    /**
     * The position a Song Position Pointer carries, in MIDI beats (sixteenth notes, six clock
     * pulses each): the 14-bit value of its two data bytes, least significant first; -1 for a
     * message too short to carry one. Allocation-free for a {@link ShortMessage}.
     */
    static int songPosition(MidiMessage m) {
        if (m instanceof ShortMessage s) {
            return (s.getData1() & 0x7f) | ((s.getData2() & 0x7f) << 7);
        }
        if (m.getLength() < 3) {
            return -1;
        }
        byte[] b = m.getMessage();
        return (b[1] & 0x7f) | ((b[2] & 0x7f) << 7);
    }

    private void onTempo(double bpm, long eventNanos) {
        if (bpm >= MIN_BPM && bpm <= MAX_BPM) {
            if (!proxy.setTempo((float) bpm, frames.frameAt(eventNanos))) {
                counters.droppedEvents.incrementAndGet();
            }
        }
    }

    /** Replaces the transport listener. */
    void transportListener(MidiTransportListener listener) {
        transport = Objects.requireNonNull(listener, "listener");
    }

    /** The followed tempo, or NaN when no clock has been heard. */
    double tempoBpm() {
        return follower.bpm();
    }

    /** Whether the last transport message was Start or Continue. */
    boolean running() {
        return follower.running();
    }

    /** The song position in clock pulses (see {@link ClockFollower#positionPulses}). */
    long positionPulses() {
        return follower.positionPulses();
    }
}
