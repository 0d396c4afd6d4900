package io.latentkit.testsupport.midi;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sound.midi.MidiDevice;
import javax.sound.midi.MidiMessage;
import javax.sound.midi.Receiver;
import javax.sound.midi.Transmitter;

/**
 * A simulated USB MIDI port that a test plugs in, plays and pulls out: an input device (its
 * transmitters deliver what {@link #play} is given, on the calling thread, as a device's delivery
 * thread would) that also accepts messages through its receiver and passes them on, like ALSA's
 * "Midi Through" port or a loopback cable that a DAW plays into. Once unplugged, the cable is out
 * and nothing is delivered any more.
 *
 * <p>Threading: any thread.
 */
public final class VirtualController implements MidiDevice {
    private final Info info;
    private final List<Tx> transmitters = new CopyOnWriteArrayList<>();
    private volatile boolean open;
    private volatile boolean plugged = true;
    private final long openedAtNanos = System.nanoTime();

    VirtualController(String name) {
        this.info = new Info(name, "latentkit tests", "virtual pad controller", "1.0") { };
    }

    /** Sends {@code m} with device timestamp {@code timestampMicros} (or -1) to every open transmitter. */
    public void play(MidiMessage m, long timestampMicros) {
        if (!plugged || !open) {
            return;
        }
        for (Tx t : transmitters) {
            Receiver r = t.receiver;
            if (t.open && r != null) {
                r.send(m, timestampMicros);
            }
        }
    }

    void pull() {
        plugged = false;
    }

    /** Whether a transmitter has a receiver attached (someone listens). */
    public boolean isListenedTo() {
        for (Tx t : transmitters) {
            if (t.open && t.receiver != null) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Info getDeviceInfo() {
        return info;
    }

    @Override
    public void open() {
        open = true;
    }

    @Override
    public void close() {
        open = false;
        for (Tx t : transmitters) {
            t.close();
        }
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public long getMicrosecondPosition() {
        return (System.nanoTime() - openedAtNanos) / 1000L;
    }

    @Override
    public int getMaxReceivers() {
        return -1;
    }

    @Override
    public int getMaxTransmitters() {
        return -1;
    }

    /** The through side: what is sent here comes out of the transmitters, timestamp and all. */
    @Override
    public Receiver getReceiver() {
        return new Receiver() {
            @Override
            public void send(MidiMessage message, long timeStamp) {
                play(message, timeStamp);
            }

            @Override
            public void close() {
                // Nothing held.
            }
        };
    }

    @Override
    public List<Receiver> getReceivers() {
        return List.of();
    }

    @Override
    public Transmitter getTransmitter() {
        Tx t = new Tx();
        transmitters.add(t);
        return t;
    }

    @Override
    public List<Transmitter> getTransmitters() {
        return List.copyOf(transmitters);
    }

    private final class Tx implements Transmitter {
        volatile Receiver receiver;
        volatile boolean open = true;

        @Override
        public void setReceiver(Receiver r) {
            receiver = r;
        }

        @Override
        public Receiver getReceiver() {
            return receiver;
        }

        @Override
        public void close() {
            open = false;
            transmitters.remove(this);
        }
    }
}
