package io.latentkit.presets.preset;

import com.fasterxml.jackson.databind.JsonNode;
import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Kit;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The whole performance state a performer saves and recalls: which kit, every pad's parameters,
 * the MIDI note mapping, tempo and swing, and named extension sections that later features add
 * (the latent pad, patterns, ...) and that this version carries through unchanged.
 *
 * <p>Immutable; any thread.
 */
public final class Preset {
    /** Tempo range accepted, BPM. */
    public static final double MIN_TEMPO_BPM = 20;
    public static final double MAX_TEMPO_BPM = 400;

    private final String kit;
    private final List<PadState> pads;
    private final Map<Integer, DrumClass> midiNotes;
    private final double tempoBpm;
    private final double swing;
    private final Map<String, JsonNode> extensions;

    /**
     * @param kit kit name in the library, or {@code null} for the built-in kit
     * @param pads one state per class, in pad order (exactly {@link DrumClass#COUNT})
     * @param midiNotes MIDI note to pad overrides (notes not listed follow the GM map)
     * @param extensions named sections owned by other features; values are kept as given
     */
    public Preset(String kit, List<PadState> pads, Map<Integer, DrumClass> midiNotes, double tempoBpm, double swing,
            Map<String, JsonNode> extensions) {
        Objects.requireNonNull(pads, "pads");
        if (pads.size() != DrumClass.COUNT) {
            throw new IllegalArgumentException("a preset has " + DrumClass.COUNT + " pads, got " + pads.size());
        }
        for (int i = 0; i < pads.size(); i++) {
            if (pads.get(i).drumClass() != DrumClass.ofPad(i)) {
                throw new IllegalArgumentException("pad " + i + " must be " + DrumClass.ofPad(i).oscName());
            }
        }
        if (!(tempoBpm >= MIN_TEMPO_BPM && tempoBpm <= MAX_TEMPO_BPM)) {
            throw new IllegalArgumentException("tempo out of range: " + tempoBpm);
        }
        if (!(swing >= 0 && swing <= 1)) {
            throw new IllegalArgumentException("swing out of range: " + swing);
        }
        for (Integer n : midiNotes.keySet()) {
            if (n < 0 || n > 127) {
                throw new IllegalArgumentException("MIDI note out of range: " + n);
            }
        }
        this.kit = kit;
        this.pads = List.copyOf(pads);
        this.midiNotes = Collections.unmodifiableMap(new TreeMap<>(midiNotes));
        this.tempoBpm = tempoBpm;
        this.swing = swing;
        this.extensions = Collections.unmodifiableMap(new TreeMap<>(extensions));
    }

    /** Defaults: the built-in kit, default pads, GM mapping, 120 BPM, no swing. */
    public static Preset defaults() {
        PadState[] pads = new PadState[DrumClass.COUNT];
        for (DrumClass c : DrumClass.values()) {
            pads[c.ordinal()] = PadState.defaults(c);
        }
        return new Preset(null, List.of(pads), Map.of(), 120, 0, Map.of());
    }

    /** The state of a kit's pads (read before handoff), with everything else from this preset. */
    public Preset withKit(Kit k) {
        PadState[] p = new PadState[DrumClass.COUNT];
        for (int i = 0; i < p.length; i++) {
            p[i] = PadState.of(k.pad(i));
        }
        return new Preset(k.name(), List.of(p), midiNotes, tempoBpm, swing, extensions);
    }

    public Preset withTempo(double bpm) {
        return new Preset(kit, pads, midiNotes, bpm, swing, extensions);
    }

    public Preset withExtension(String name, JsonNode value) {
        Map<String, JsonNode> e = new TreeMap<>(extensions);
        e.put(name, value);
        return new Preset(kit, pads, midiNotes, tempoBpm, swing, e);
    }

    /** Writes the pad parameters into a freshly loaded kit (before it is handed to the engine). */
    public void applyTo(Kit k) {
        for (int i = 0; i < DrumClass.COUNT; i++) {
            pads.get(i).applyTo(k.pad(i));
        }
    }

    public String kit() {
        return kit;
    }

    public List<PadState> pads() {
        return pads;
    }

    public PadState pad(DrumClass c) {
        return pads.get(c.ordinal());
    }

    public Map<Integer, DrumClass> midiNotes() {
        return midiNotes;
    }

    public double tempoBpm() {
        return tempoBpm;
    }

    public double swing() {
        return swing;
    }

    public Map<String, JsonNode> extensions() {
        return extensions;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Preset p && Objects.equals(p.kit, kit) && p.pads.equals(pads)
                && p.midiNotes.equals(midiNotes) && p.tempoBpm == tempoBpm && p.swing == swing
                && p.extensions.equals(extensions);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kit, pads, midiNotes, tempoBpm, swing, extensions);
    }

    @Override
    public String toString() {
        return "Preset[kit=" + kit + ", tempo=" + tempoBpm + ", swing=" + swing + ", pads=" + pads + ", midi=" + midiNotes
                + ", extensions=" + extensions.keySet() + "]";
    }
}
