package io.latentkit.testsupport.midi;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sound.midi.MidiDevice;
import javax.sound.midi.spi.MidiDeviceProvider;

/**
 * A Java Sound MIDI device provider (registered in test scope through
 * {@code META-INF/services/javax.sound.midi.spi.MidiDeviceProvider}) whose devices tests plug and
 * unplug: {@code MidiSystem} lists exactly the {@link VirtualController}s plugged now. Java Sound
 * makes a new provider instance per lookup, so the plugged set is static.
 *
 * <p>Threading: any thread.
 */
public final class VirtualMidiDeviceProvider extends MidiDeviceProvider {
    private static final Map<String, VirtualController> PLUGGED = new ConcurrentHashMap<>();

    /** Plugs in a controller called {@code name} (a new device object, as a real replug gives). */
    public static VirtualController plug(String name) {
        VirtualController c = new VirtualController(name);
        VirtualController old = PLUGGED.put(name, c);
        if (old != null) {
            old.pull();
        }
        return c;
    }

    /** Pulls the controller's cable: it stops delivering and vanishes from the device list. */
    public static void unplug(String name) {
        VirtualController c = PLUGGED.remove(name);
        if (c != null) {
            c.pull();
        }
    }

    /** Unplugs everything (test cleanup). */
    public static void unplugAll() {
        for (String n : new ArrayList<>(PLUGGED.keySet())) {
            unplug(n);
        }
    }

    @Override
    public MidiDevice.Info[] getDeviceInfo() {
        List<MidiDevice.Info> out = new ArrayList<>();
        for (VirtualController c : PLUGGED.values()) {
            out.add(c.getDeviceInfo());
        }
        return out.toArray(new MidiDevice.Info[0]);
    }

    @Override
    public MidiDevice getDevice(MidiDevice.Info info) {
        for (VirtualController c : PLUGGED.values()) {
            if (c.getDeviceInfo() == info) {
                return c;
            }
        }
        throw new IllegalArgumentException("no such virtual device: " + info);
    }
}
