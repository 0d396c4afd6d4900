package io.latentkit.midi;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sound.midi.MidiDevice;
import javax.sound.midi.MidiUnavailableException;
import javax.sound.midi.Receiver;
import javax.sound.midi.Transmitter;
import javax.sound.midi.spi.MidiDeviceProvider;

/**
 * A Java Sound provider (test scope, registered beside test-support's virtual controllers) of
 * input devices that are listed but refuse to open, as a port held exclusively by another program
 * does, until a test lets them open.
 *
 * <p>Threading: any thread.
 */
public final class BrokenMidiDeviceProvider extends MidiDeviceProvider {
    private static final Map<String, Port> PLUGGED = new ConcurrentHashMap<>();

    /** Plugs in an input called {@code name} that refuses to open. */
    static Port plug(String name) {
        Port p = new Port(name);
        PLUGGED.put(name, p);
        return p;
    }

    /** Unplugs everything (test cleanup). */
    static void unplugAll() {
        PLUGGED.clear();
    }

    @Override
    public MidiDevice.Info[] getDeviceInfo() {
        return PLUGGED.values().stream().map(Port::getDeviceInfo).toArray(MidiDevice.Info[]::new);
    }

    @Override
    public MidiDevice getDevice(MidiDevice.Info info) {
        for (Port p : PLUGGED.values()) {
            if (p.getDeviceInfo() == info) {
                return p;
            }
        }
        throw new IllegalArgumentException("no such broken device: " + info);
    }

    /** An input port whose {@link #open} fails while {@link #busy} is set. */
    static final class Port implements MidiDevice {
        private final Info info;
        volatile boolean busy = true;
        private volatile boolean open;

        Port(String name) {
            this.info = new Info(name, "latentkit tests", "input held by another program", "1.0") { };
        }

        @Override
        public Info getDeviceInfo() {
            return info;
        }

        @Override
        public void open() throws MidiUnavailableException {
            if (busy) {
                throw new MidiUnavailableException("device busy (held by another program)");
            }
            open = true;
        }

        @Override
        public void close() {
            open = false;
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public long getMicrosecondPosition() {
            return -1;
        }

        @Override
        public int getMaxReceivers() {
            return 0;
        }

        @Override
        public int getMaxTransmitters() {
            return -1;
        }

        @Override
        public Receiver getReceiver() throws MidiUnavailableException {
            throw new MidiUnavailableException("an input only");
        }

        @Override
        public List<Receiver> getReceivers() {
            return List.of();
        }

        @Override
        public Transmitter getTransmitter() {
            return new Transmitter() {
                private Receiver receiver;

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
                    receiver = null;
                }
            };
        }

        @Override
        public List<Transmitter> getTransmitters() {
            return List.of();
        }
    }
}
