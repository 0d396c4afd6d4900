package io.latentkit.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latentkit.core.DrumClass;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.control.EngineSnapshot;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.PadParam;
import io.latentkit.midi.MidiInput;
import io.latentkit.midi.MidiMap;
import io.latentkit.core.kit.PadTarget;
import io.latentkit.presets.LibraryException;
import io.latentkit.presets.preset.PadState;
import io.latentkit.presets.preset.Preset;
import io.latentkit.presets.preset.PresetStore;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * Saving and loading presets while the server plays, staged as scsynth stages buffer loads: the
 * work happens on the loader thread, the render thread only copies its state into a snapshot (save)
 * or swaps in a kit that was built and configured completely beforehand (load).
 *
 * <p>A preset holds the kit's name, every pad parameter, the tempo and, under the {@code midi}
 * extension, the MIDI knob mapping.
 *
 * <p>Threading: {@link #save} and {@link #load} from any thread; they return at once and complete
 * on the loader thread.
 */
public final class PresetActions {
    /** How long a save waits for the render thread's snapshot. */
    static final long SNAPSHOT_TIMEOUT_MS = 2_000;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final EngineProxy proxy;
    private final ServerKits kits;
    private final PresetStore store;
    private final MidiInput midi;
    private final Executor loader;

    /**
     * @param midi the MIDI input whose mapping is saved and restored, or {@code null} without MIDI
     */
    public PresetActions(EngineProxy proxy, ServerKits kits, PresetStore store, MidiInput midi, Executor loader) {
        this.proxy = proxy;
        this.kits = kits;
        this.store = store;
        this.midi = midi;
        this.loader = loader;
    }

    /** Saves the performance as it is now under {@code name} (atomically, keeping a backup). */
    public CompletionStage<String> save(String name) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                store.save(name, capture());
            } catch (LibraryException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            return name;
        }, loader);
    }

    /**
     * The performance as it is now, as a preset: waits (at most {@value #SNAPSHOT_TIMEOUT_MS} ms)
     * for the render thread to copy its state. Any thread but the render thread.
     *
     * @throws IllegalStateException when the engine does not answer
     */
    public Preset capture() {
        EngineSnapshot snapshot = new EngineSnapshot();
        if (!proxy.snapshot(snapshot)) {
            throw new IllegalStateException("engine busy (control ring full); try again");
        }
        try {
            if (!snapshot.await(SNAPSHOT_TIMEOUT_MS, TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("engine did not answer within " + SNAPSHOT_TIMEOUT_MS + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
        return toPreset(snapshot);
    }

    /** Loads preset {@code name}: its kit with its pad settings, its tempo and its MIDI mapping. */
    public CompletionStage<String> load(String name) {
        return CompletableFuture.supplyAsync(() -> {
            Preset preset;
            try {
                preset = store.load(name);
            } catch (LibraryException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            apply(preset, name);
            return name;
        }, loader);
    }

    /**
     * Puts {@code preset} into effect on the calling thread (a loader-role thread): builds its kit,
     * configures the pads, then hands the kit and the tempo to the render thread.
     */
    public void apply(Preset preset, String name) {
            String kitName = preset.kit() == null ? ServerKits.DEFAULT : preset.kit();
            Kit kit = kits.loadNow(kitName);
            // Configured here, before the handoff: after it only the render thread touches pads.
            preset.applyTo(kit);
            if (!proxy.swapKit(kit, EngineProxy.ASAP)
                    || !proxy.setTempo((float) preset.tempoBpm(), EngineProxy.ASAP)) {
                throw new IllegalStateException("engine busy (control ring full); try again");
            }
            if (midi != null) {
                // Pick-up knobs start from the values the preset set, not from fresh-pad defaults.
                for (DrumClass c : DrumClass.values()) {
                    for (PadParam p : PadParam.values()) {
                        midi.parameterValue(new PadTarget(c.pad(), p), preset.pad(c).get(p));
                    }
                }
                Map<Integer, Integer> notes = new TreeMap<>();
                preset.midiNotes().forEach((note, cls) -> notes.put(note, cls.pad()));
                midi.noteOverrides(notes);
            }
            JsonNode mapping = preset.extensions().get("midi");
            if (midi != null && mapping != null) {
                try {
                    midi.mapping(JSON.treeToValue(mapping, MidiMap.class));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalArgumentException("preset '" + name + "' has an unreadable MIDI mapping: "
                            + e.getOriginalMessage());
                }
            }
    }

    private Preset toPreset(EngineSnapshot snapshot) {
        List<PadState> pads = new ArrayList<>(DrumClass.COUNT);
        for (DrumClass c : DrumClass.values()) {
            Map<PadParam, Float> values = new EnumMap<>(PadParam.class);
            for (PadParam p : PadParam.values()) {
                values.put(p, snapshot.pad(c.pad(), p));
            }
            pads.add(PadState.of(c, values));
        }
        Map<String, JsonNode> extensions = new TreeMap<>();
        if (midi != null) {
            extensions.put("midi", JSON.valueToTree(midi.mapping()));
        }
        String kitName = snapshot.kit().name();
        return new Preset(ServerKits.DEFAULT.equals(kitName) ? null : kitName, pads, Map.of(),
                Math.max(Preset.MIN_TEMPO_BPM, Math.min(Preset.MAX_TEMPO_BPM, snapshot.tempoBpm())), 0.0, extensions);
    }
}
