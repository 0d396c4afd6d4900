package io.latentkit.midi;

import io.latentkit.engine.control.EngineProxy;
import java.util.concurrent.atomic.AtomicLong;
import javax.sound.midi.MidiMessage;
import javax.sound.midi.ShortMessage;

/**
 * Turns what a device sends into engine events: note-on into a pad trigger (through the
 * {@link NoteMap} and the {@link VelocityCurve}) at the frame the note was played
 * ({@link DeviceTimeline}, then {@link EventFrames}), control changes into knob moves
 * ({@link KnobMapping}) or channel-mode actions, and system messages into clock and transport
 * ({@link ClockInput}). Note-off only updates which notes a device holds: drums are one-shots.
 *
 * <p>Threading: {@link #accept} runs on each device's own delivery thread and publishes through
 * {@link EngineProxy}, which never blocks; notes take no lock and allocate nothing. A failure in
 * our own handling is counted and logged once, never thrown at the provider's thread (that would
 * stop the device).
 */
final class MessageTranslator implements DeviceConnection.Handler {
    /** Control numbers from here up are channel-mode messages, never knobs. */
    static final int FIRST_CHANNEL_MODE = 120;
    static final int ALL_SOUND_OFF = 120;
    static final int ALL_NOTES_OFF = 123;

    private final MidiConfig config;
    private final EngineProxy proxy;
    private final EventFrames frames;
    private final MidiCounters counters;
    private final NoteMap notes;
    private final KnobMapping knobs;
    private final ClockInput clock;
    private final AtomicLong tagSequence = new AtomicLong();

    MessageTranslator(MidiConfig config, EngineProxy proxy, EventFrames frames, MidiCounters counters,
            NoteMap notes, KnobMapping knobs, ClockInput clock) {
        this.config = config;
        this.proxy = proxy;
        this.frames = frames;
        this.counters = counters;
        this.notes = notes;
        this.knobs = knobs;
        this.clock = clock;
    }

    /**
     * Translates one message from device {@code c}, stamped {@code timestampMicros} on the device's
     * clock (or -1) and read off the wire at {@code arrivalNanos}.
     */
    @Override
    public void accept(DeviceConnection c, MidiMessage m, long timestampMicros, long arrivalNanos) {
        try {
            long eventNanos = c.timeline.eventNanos(timestampMicros, arrivalNanos);
            int status = m.getStatus();
            if (status >= 0xF0) {
                clock.onSystem(c, m, status, eventNanos, timestampMicros < 0 ? eventNanos : timestampMicros * 1000L);
                return;
            }
            if (!(m instanceof ShortMessage s)) {
                return;
            }
            int channel = s.getChannel() + 1;
            switch (s.getCommand()) {
                case ShortMessage.NOTE_ON -> {
                    if (s.getData2() == 0) {
                        onNoteOff(c, channel, s.getData1());
                    } else {
                        onNoteOn(c, channel, s.getData1(), s.getData2(), eventNanos);
                    }
                }
                case ShortMessage.NOTE_OFF -> onNoteOff(c, channel, s.getData1());
                case ShortMessage.CONTROL_CHANGE -> onControl(c, channel, s.getData1(), s.getData2(), eventNanos);
                default -> {
                    // Aftertouch, program change, pitch bend: nothing on a drum pad uses them.
                }
            }
        } catch (RuntimeException e) {
            counters.bug("msg:" + e.getClass().getName(), "MIDI in: message handling failed (counted; logged once)", e);
        }
    }

    private static boolean listens(DeviceConnection c, int channel) {
        return c.channel == MidiConfig.OMNI || c.channel == channel;
    }

    private void onNoteOn(DeviceConnection c, int channel, int note, int velocity, long eventNanos) {
        if (!listens(c, channel)) {
            counters.otherChannelNotes.incrementAndGet();
            return;
        }
        int pad = notes.padForNote(note);
        if (pad < 0) {
            counters.unmappedNotes.incrementAndGet();
            return;
        }
        c.noteOn(note);
        counters.notes.incrementAndGet();
        long tag = config.tagTriggers() ? tag(c.id, note, tagSequence.incrementAndGet()) : 0L;
        if (!proxy.trigger(pad, config.velocityCurve().apply(velocity), frames.frameAt(eventNanos), tag,
                c.sourceId())) {
            counters.droppedEvents.incrementAndGet();
        }
    }

    private static void onNoteOff(DeviceConnection c, int channel, int note) {
        if (listens(c, channel)) {
            c.noteOff(note);
        }
    }

    private void onControl(DeviceConnection c, int channel, int control, int value, long eventNanos) {
        if (control < FIRST_CHANNEL_MODE) {
            knobs.onControl(c.name, channel, control, value, eventNanos);
        } else if (listens(c, channel)) {
            if (control == ALL_SOUND_OFF) {
                if (!proxy.stopAll(frames.frameAt(eventNanos))) {
                    counters.droppedEvents.incrementAndGet();
                }
            } else if (control == ALL_NOTES_OFF) {
                c.clearHeld(); // one-shots ring out; only the held-note bookkeeping changes
            }
        }
    }

    /**
     * The device vanished holding notes: the voices it started are faded, one frame after anything
     * it sent; every other input's voices play on. Scanner thread.
     */
    void releaseHeldNotes(DeviceConnection c) {
        long at = frames.frameAt(System.nanoTime()) + 1;
        if (!proxy.releaseSource(c.sourceId(), at)) {
            counters.droppedEvents.incrementAndGet();
        }
        c.releases.incrementAndGet();
    }

    /**
     * A trigger tag (with {@link MidiConfig#tagTriggers}): device id in bits 40..55, note in bits
     * 32..39, a running number below.
     */
    static long tag(int deviceId, int note, long sequence) {
        return ((long) (deviceId & 0xffff) << 40) | ((long) note << 32) | (sequence & 0xffff_ffffL);
    }

    /** The note of a trigger tag. */
    static int noteOfTag(long tag) {
        return (int) ((tag >>> 32) & 0xff);
    }
}
