package io.latentkit.midi;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import javax.sound.midi.MidiDevice;
import javax.sound.midi.MidiMessage;
import javax.sound.midi.Receiver;
import javax.sound.midi.Transmitter;

/**
 * One input device known by name: the device and transmitter while it is connected, the notes it
 * holds, its timestamp mapping and its counters. It outlives unplugging, so that the device is
 * reconnected by name and its counters carry on.
 *
 * <p>Threading: the scanner thread connects and disconnects (under {@link MidiDevices}' scan lock);
 * the device's own delivery thread runs {@link Link#send}, which touches the timeline (that
 * thread only) and the held-note counts (atomics, also cleared by the scanner on unplug).
 */
final class DeviceConnection {
    /** What a connected device's messages are handed to, on its delivery thread. */
    interface Handler {
        /** One message, stamped {@code timestampMicros} by the device (or -1), read at {@code arrivalNanos}. */
        void accept(DeviceConnection c, MidiMessage m, long timestampMicros, long arrivalNanos);
    }

    /** Where a device stands. */
    enum State {
        CONNECTED, UNPLUGGED, FAILED, IGNORED;

        String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    final String name;
    final int channel;
    final int id;
    final DeviceTimeline timeline = new DeviceTimeline();
    final AtomicLong notes = new AtomicLong();
    final AtomicLong connects = new AtomicLong();
    final AtomicLong releases = new AtomicLong();
    /** Notes (0..127) that had a note-on and no note-off yet, counted per note. */
    private final AtomicIntegerArray held = new AtomicIntegerArray(128);
    private volatile State state = State.UNPLUGGED;
    private MidiDevice device;
    private Transmitter transmitter;
    private Link link;

    DeviceConnection(String name, int channel, int id) {
        this.name = name;
        this.channel = channel;
        this.id = id;
    }

    State state() {
        return state;
    }

    void state(State s) {
        state = s;
    }

    MidiDevice device() {
        return device;
    }

    /** The engine source id of this device's voices: one per connection id, never 0 (no source). */
    int sourceId() {
        return 1 + id;
    }

    /** Scanner thread: routes {@code t}'s messages to {@code handler} through a fresh link. */
    void attach(Handler handler, MidiDevice d, Transmitter t) {
        Link l = new Link(handler, this);
        device = d;
        transmitter = t;
        link = l;
        t.setReceiver(l);
        connects.incrementAndGet();
        state = State.CONNECTED;
    }

    /**
     * Scanner thread: stops routing (a late message from the old transmitter is ignored), closes
     * transmitter and device, and returns how many held notes were cleared.
     */
    int detach(State next) {
        state = next;
        if (link != null) {
            link.open = false;
        }
        closeQuietly();
        link = null;
        transmitter = null;
        device = null;
        return clearHeld();
    }

    private void closeQuietly() {
        try {
            if (transmitter != null) {
                transmitter.close();
            }
        } catch (RuntimeException e) {
            // A vanished device may fail to close; it is gone either way.
        }
        try {
            if (device != null && device.isOpen()) {
                device.close();
            }
        } catch (RuntimeException e) {
            // As above.
        }
    }

    void noteOn(int note) {
        held.incrementAndGet(note);
        notes.incrementAndGet();
    }

    void noteOff(int note) {
        held.updateAndGet(note, n -> n > 0 ? n - 1 : 0);
    }

    /** Clears every held note; returns how many there were. */
    int clearHeld() {
        int total = 0;
        for (int i = 0; i < 128; i++) {
            total += held.getAndSet(i, 0);
        }
        return total;
    }

    /** Notes held now (for tests and status). */
    int heldNotes() {
        int total = 0;
        for (int i = 0; i < 128; i++) {
            total += held.get(i);
        }
        return total;
    }

    MidiDeviceStatus status() {
        return new MidiDeviceStatus(name, state.jsonName(), channel, notes.get(), connects.get(), releases.get());
    }

    /**
     * The receiver handed to one transmitter. A new one per connection, so that a transmitter of
     * an unplugged device that still delivers a message after it was replaced cannot reach us.
     *
     * <p>Threading: {@link #send} on the device's delivery thread.
     */
    static final class Link implements Receiver {
        private final Handler handler;
        private final DeviceConnection connection;
        volatile boolean open = true;

        Link(Handler handler, DeviceConnection connection) {
            this.handler = handler;
            this.connection = connection;
        }

        @Override
        public void send(MidiMessage message, long timeStamp) {
            // Read the clock first: everything after this is our own processing delay.
            long arrival = System.nanoTime();
            if (open) {
                handler.accept(connection, message, timeStamp, arrival);
            }
        }

        @Override
        public void close() {
            open = false;
        }
    }
}
