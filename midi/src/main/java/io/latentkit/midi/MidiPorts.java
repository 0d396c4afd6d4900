package io.latentkit.midi;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.sound.midi.MidiDevice;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.MidiUnavailableException;
import javax.sound.midi.Sequencer;
import javax.sound.midi.Synthesizer;

/**
 * The MIDI ports the Java Sound providers report, as latentkit sees them: inputs are devices that
 * have transmitters and are neither a synthesizer nor a sequencer (so the JDK's own Gervill and
 * Real Time Sequencer are never opened); outputs are devices with receivers under the same rule.
 * Two inputs (or two outputs) of the same name are told apart by a {@code " #2"}, {@code " #3"}
 * suffix, in the order the providers list them; an input and an output of one interface keep the
 * same name.
 *
 * <p>Threading: any thread; each call enumerates afresh (providers may list new devices).
 */
public final class MidiPorts {
    private MidiPorts() {
    }

    /**
     * One device as {@code latentkit midi list} prints it.
     *
     * @param name unique name (see the class comment)
     * @param vendor provider's vendor string
     * @param description provider's description
     * @param kind {@code input}, {@code output}, {@code input+output}, {@code synthesizer} or
     *     {@code sequencer} (the last two are never opened)
     */
    public record Entry(String name, String vendor, String description, String kind) {
        /** Whether latentkit opens it as an input. */
        public boolean isInput() {
            return kind.startsWith("input");
        }

        /** Whether clock out can send to it. */
        public boolean isOutput() {
            return kind.endsWith("output");
        }
    }

    /** A device found by a scan, with its unique name. */
    record Found(String name, MidiDevice device) {
    }

    /** Every device every provider reports, inputs and outputs marked. */
    public static List<Entry> list() {
        List<Entry> out = new ArrayList<>();
        Map<String, Integer> seenIn = new HashMap<>();
        Map<String, Integer> seenOut = new HashMap<>();
        Map<String, Integer> seenOther = new HashMap<>();
        for (MidiDevice d : all()) {
            MidiDevice.Info i = d.getDeviceInfo();
            Map<String, Integer> seen = isInput(d) ? seenIn : isOutput(d) ? seenOut : seenOther;
            out.add(new Entry(unique(seen, i.getName()), i.getVendor(), i.getDescription(), kind(d)));
        }
        return out;
    }

    /** The input devices present now. */
    static List<Found> inputs() {
        List<Found> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (MidiDevice d : all()) {
            if (isInput(d)) {
                out.add(new Found(unique(seen, d.getDeviceInfo().getName()), d));
            }
        }
        return out;
    }

    /** The output devices present now. */
    static List<Found> outputs() {
        List<Found> out = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        for (MidiDevice d : all()) {
            if (isOutput(d)) {
                out.add(new Found(unique(seen, d.getDeviceInfo().getName()), d));
            }
        }
        return out;
    }

    private static String unique(Map<String, Integer> seen, String base) {
        int n = seen.merge(base, 1, Integer::sum);
        return n == 1 ? base : base + " #" + n;
    }

    static boolean isInput(MidiDevice d) {
        return d.getMaxTransmitters() != 0 && !(d instanceof Synthesizer) && !(d instanceof Sequencer);
    }

    static boolean isOutput(MidiDevice d) {
        return d.getMaxReceivers() != 0 && !(d instanceof Synthesizer) && !(d instanceof Sequencer);
    }

    private static String kind(MidiDevice d) {
        if (d instanceof Synthesizer) {
            return "synthesizer";
        }
        if (d instanceof Sequencer) {
            return "sequencer";
        }
        boolean in = isInput(d);
        boolean out = isOutput(d);
        return in && out ? "input+output" : in ? "input" : out ? "output" : "none";
    }

    private static List<MidiDevice> all() {
        List<MidiDevice> out = new ArrayList<>();
        for (MidiDevice.Info info : MidiSystem.getMidiDeviceInfo()) {
            try {
                out.add(MidiSystem.getMidiDevice(info));
            } catch (MidiUnavailableException | IllegalArgumentException e) {
                // Vanished between listing and lookup: the next scan will tell.
            }
        }
        return out;
    }
}
