package io.latentkit.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.PadParam;
import io.latentkit.core.kit.PadTarget;
import io.latentkit.core.permute.PadPermutation;
import io.latentkit.core.permute.PermutedKits;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.control.EngineSnapshot;
import io.latentkit.engine.control.Stage;
import io.latentkit.engine.control.StagedCommands;
import io.latentkit.listen.ListenControls;
import io.latentkit.listen.ListenPreset;
import io.latentkit.midi.MidiInput;
import io.latentkit.midi.MidiMap;
import io.latentkit.presets.LibraryException;
import io.latentkit.presets.preset.PadState;
import io.latentkit.presets.preset.Preset;
import io.latentkit.presets.preset.PresetStore;
import io.latentkit.presets.preset.PresetCodec;
import io.latentkit.presets.pattern.PatternCodec;
import io.latentkit.presets.store.AtomicJsonFile;
import io.latentkit.server.permute.PermutationCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saving and loading presets while the server plays, as staged commands: the work happens on the
 * engine's loader thread, the render thread only copies its state into a snapshot (save) or swaps
 * in, as one event, a kit that was built and configured completely beforehand together with the
 * preset's tempo (load).
 *
 * <p>A preset holds the kit's name, every pad parameter, the tempo and, under the {@code midi}
 * extension, the MIDI knob mapping; under {@code permutations}, the pads' sound permutations.
 *
 * <p>Threading: {@link #save} and {@link #load} from any thread; they return at once and complete
 * on the loader thread.
 */
public final class PresetActions {
    /** How long a save waits for the render thread's snapshot. */
    static final long SNAPSHOT_TIMEOUT_MS = 2_000;
    /** How long a synchronous {@link #apply} waits for the render thread. */
    static final long APPLY_TIMEOUT_MS = 15_000;
    private static final Logger LOG = LoggerFactory.getLogger(PresetActions.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The preset extension of listen mode's learned classes and map. */
    static final String LISTEN_EXTENSION = "listen";
    /** The preset extension that holds the sequencer's pattern (issue 17). */
    public static final String PATTERN_EXTENSION = "pattern";

    /** What a preset load carries back from its prepare step: the preset and the reply's detail. */
    private record Applied(Prepared prepared, String detail) {
    }

    private final EngineProxy proxy;
    private final StagedCommands commands;
    private final ServerKits kits;
    private final PresetStore store;
    private final MidiInput midi;
    private final List<PresetSection> sections = new CopyOnWriteArrayList<>();
    private volatile ListenControls listen;

    /**
     * @param midi the MIDI input whose mapping is saved and restored, or {@code null} without MIDI
     */
    public PresetActions(EngineProxy proxy, StagedCommands commands, ServerKits kits, PresetStore store, MidiInput midi) {
        this.proxy = proxy;
        this.commands = commands;
        this.kits = kits;
        this.store = store;
        this.midi = midi;
    }

    /** Adds a feature's section (the latent pads): saved, prepared and applied with every preset. */
    public PresetActions section(PresetSection s) {
        sections.add(s);
        return this;
    }

    /** What a preset's load prepared, for after the render thread applied it. */
    private record Prepared(Preset preset, List<Object> sections) {
    }

    /** Saves the performance as it is now under {@code name} (atomically, keeping a backup). */
    public CompletionStage<String> save(String name) {
        return commands.run("/preset/save " + name, () -> {
            try {
                store.save(name, capture());
            } catch (LibraryException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            return name;
        });
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
        return commands.submit("/preset/load " + name, () -> {
            try {
                AtomicJsonFile.Loaded<Preset> loaded = store.loadDetailed(name);
                String detail = name;
                if (loaded.fromBackup()) {
                    // Say so: the performer's last save is not what plays.
                    detail = name + " (from its backup: the preset file was unreadable"
                            + (loaded.corruptMovedTo() == null ? "" : " and is kept as " + loaded.corruptMovedTo().getFileName())
                            + ")";
                }
                Stage stage = prepare(loaded.value(), name);
                return stage.attach(new Applied((Prepared) stage.attachment(), detail));
            } catch (LibraryException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        }).thenApply(stage -> {
            Applied a = (Applied) stage.attachment();
            afterApplied(a.prepared(), name);
            return a.detail();
        });
    }

    /**
     * Puts {@code preset} into effect and waits for the render thread to apply it (start-up
     * recovery). Any thread but the render thread.
     *
     * @throws IllegalStateException or IllegalArgumentException with the reason
     */
    public void apply(Preset preset, String name) {
        CompletableFuture<Stage> f = commands.submit("/preset/apply " + name, () -> prepare(preset, name));
        Stage applied;
        try {
            applied = f.get(APPLY_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("the engine did not apply preset '" + name + "' in time");
        }
        afterApplied((Prepared) applied.attachment(), name);
    }

    /**
     * The loader thread's part: builds the preset's kit, configures its pads (before the handoff:
     * after it only the render thread touches pads) and checks the MIDI mapping can be read and
     * names only targets MIDI knows.
     */
    private Stage prepare(Preset preset, String name) {
        MidiMap m = mapping(preset, name);
        if (midi != null && m != null) {
            try {
                midi.check(m);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("preset '" + name + "' has an unusable MIDI mapping: " + e.getMessage());
            }
        }
        Stage stage = presetStage(preset, kits);
        List<Object> prepared = new ArrayList<>();
        for (PresetSection s : sections) {
            try {
                prepared.add(s.prepare(preset.extensions().get(s.name()), stage));
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new IllegalArgumentException("preset '" + name + "': " + e.getMessage(), e);
            }
        }
        return stage.attach(new Prepared(preset, prepared));
    }

    /**
     * The stage a preset applies: its kit with the pads configured, its tempo, and (issue 17) its
     * swing and, under the {@code pattern} extension, its pattern; with the replay description a
     * recorded session's re-render prepares it from again. Presets without a pattern leave the
     * sequencer's pattern as it is. Loader thread (or an offline caller).
     */
    public static Stage presetStage(Preset preset, ServerKits kits) {
        String kitName = preset.kit() == null ? ServerKits.DEFAULT : preset.kit();
        Kit loaded = kits.loadNow(kitName);
        preset.applyTo(loaded);
        // The pads' sound permutations (issue 17): a kit built from the loaded one, same parameters.
        PadPermutation[] perms = PermutationCodec.fromJson(preset.extensions().get(PermutationCodec.EXTENSION));
        Kit kit = Arrays.stream(perms).allMatch(PadPermutation::isNone) ? loaded
                : PermutedKits.build(loaded, perms, (p, param) -> loaded.pad(p).get(param));
        Stage stage = new Stage(null).kit(kit).tempo((float) preset.tempoBpm()).swing((float) preset.swing());
        JsonNode pattern = preset.extensions().get(PATTERN_EXTENSION);
        if (pattern != null) {
            try {
                stage.pattern(PatternCodec.fromObject(pattern));
            } catch (LibraryException e) {
                throw new IllegalArgumentException("preset has an unreadable pattern: " + e.getMessage(), e);
            }
        }
        ObjectNode replay = JSON.createObjectNode();
        replay.put("op", "preset");
        replay.set("preset", PresetCodec.INSTANCE.toJson(preset));
        return stage.replay(replay.toString());
    }

    /** After the render thread applied it: the sections, MIDI pick-up values, note overrides and knob mapping. */
    private void afterApplied(Prepared prepared, String name) {
        for (int i = 0; i < sections.size() && i < prepared.sections().size(); i++) {
            sections.get(i).applied(prepared.sections().get(i));
        }
        Preset preset = prepared.preset();
        restoreListen(preset, name); // issue 15
        if (midi == null) {
            return;
        }
        // Pick-up knobs start from the values the preset set, not from fresh-pad defaults.
        for (DrumClass c : DrumClass.values()) {
            for (PadParam p : PadParam.values()) {
                midi.parameterValue(new PadTarget(c.pad(), p), preset.pad(c).get(p));
            }
        }
        Map<Integer, Integer> notes = new TreeMap<>();
        preset.midiNotes().forEach((note, cls) -> notes.put(note, cls.pad()));
        midi.noteOverrides(notes);
        MidiMap m = mapping(preset, name);
        if (m != null) {
            midi.mapping(m);
        }
    }

    /** Listen mode's learned examples and map from the preset's {@code listen} extension, if both exist. */
    private void restoreListen(Preset preset, String name) {
        ListenControls l = listen;
        JsonNode saved = preset.extensions().get(LISTEN_EXTENSION);
        if (l == null || saved == null) {
            return;
        }
        try {
            JSON.treeToValue(saved, ListenPreset.class).applyTo(l).whenComplete((summary, error) -> {
                if (error != null) {
                    LOG.warn("preset '{}': listen mode's learned classes not restored: {}", name,
                            error.getCause() != null ? error.getCause().getMessage() : error.getMessage());
                }
            });
        } catch (JsonProcessingException | IllegalArgumentException e) {
            LOG.warn("preset '{}': its listen section is unreadable and was skipped: {}", name,
                    e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage());
        }
    }

    /** Listen mode's controls, so presets keep its learned classes and map (issue 15); {@code null}: none. Any thread. */
    public void listen(ListenControls controls) {
        this.listen = controls;
    }

    private static MidiMap mapping(Preset preset, String name) {
        JsonNode mapping = preset.extensions().get("midi");
        if (mapping == null) {
            return null;
        }
        try {
            return JSON.treeToValue(mapping, MidiMap.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("preset '" + name + "' has an unreadable MIDI mapping: "
                    + e.getOriginalMessage());
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
        extensions.put(PATTERN_EXTENSION, PatternCodec.toObject(snapshot.pattern()));
        for (PresetSection s : sections) {
            JsonNode section = s.capture();
            if (section != null) {
                extensions.put(s.name(), section);
            }
        }
        ListenControls l = listen;
        if (l != null) {
            extensions.put(LISTEN_EXTENSION, JSON.valueToTree(ListenPreset.of(l)));
        }
        ObjectNode perms = PermutationCodec.toJson(PermutedKits.permutationsOf(snapshot.kit()));
        if (perms != null) {
            extensions.put(PermutationCodec.EXTENSION, perms);
        }
        String kitName = snapshot.kit().name();
        return new Preset(ServerKits.DEFAULT.equals(kitName) ? null : kitName, pads, Map.of(),
                Math.max(Preset.MIN_TEMPO_BPM, Math.min(Preset.MAX_TEMPO_BPM, snapshot.tempoBpm())),
                Math.max(0.0, Math.min(1.0, snapshot.swing())), extensions);
    }
}
