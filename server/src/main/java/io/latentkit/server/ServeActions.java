package io.latentkit.server;

import io.latentkit.midi.MidiBinding;
import io.latentkit.midi.MidiDeviceStatus;
import io.latentkit.midi.MidiInput;
import io.latentkit.models.Models;
import io.latentkit.osc.ServerActions;
import io.latentkit.presets.LibraryException;
import io.latentkit.presets.preset.PresetStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * What {@code latentkit serve} offers OSC beyond the engine: presets, MIDI learn and the models'
 * availability. The models are loaded on their own thread after start-up, so the server plays at
 * once and reports them as available when they are.
 *
 * <p>Threading: any thread; every action returns at once.
 */
public final class ServeActions implements ServerActions {
    private final PresetActions presets;
    private final PresetStore store;
    private final MidiInput midi;
    private volatile Models models = Models.unavailable("loading");

    public ServeActions(PresetActions presets, PresetStore store, MidiInput midi) {
        this.presets = presets;
        this.store = store;
        this.midi = midi;
    }

    /** Sets the models once loaded (or the reason they are not). */
    public void models(Models loaded) {
        this.models = loaded;
    }

    public Models models() {
        return models;
    }

    @Override
    public CompletionStage<String> presetSave(String name) {
        return presets.save(name);
    }

    @Override
    public CompletionStage<String> presetLoad(String name) {
        return presets.load(name);
    }

    @Override
    public CompletionStage<List<String>> presetList() {
        try {
            return CompletableFuture.completedFuture(store.list());
        } catch (LibraryException e) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(e.getMessage(), e));
        }
    }

    @Override
    public CompletionStage<String> midiLearn(String parameter) {
        if (midi == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("MIDI is off (--no-midi)"));
        }
        CompletableFuture<MidiBinding> learning;
        try {
            learning = midi.learn(parameter);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        return learning.thenApply(b -> b.target() + " <- " + b.device() + " channel " + b.channel()
                + " control " + b.control() + " (" + b.takeover().name().toLowerCase(Locale.ROOT) + ")");
    }

    @Override
    public boolean modelsAvailable() {
        return models.isAvailable();
    }

    /** One pair per MIDI device: {@code "midi <name>: <state>"} and the notes it played. */
    @Override
    public List<Map.Entry<String, Integer>> statusPairs() {
        if (midi == null) {
            return List.of();
        }
        List<Map.Entry<String, Integer>> pairs = new ArrayList<>();
        for (MidiDeviceStatus d : midi.devices()) {
            pairs.add(Map.entry("midi " + d.name() + ": " + d.state(), (int) Math.min(Integer.MAX_VALUE, d.notes())));
        }
        return pairs;
    }
}
