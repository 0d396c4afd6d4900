package io.latentkit.server;

import io.latentkit.engine.sink.AudioSink;
import io.latentkit.engine.sink.RecoveringJavaSoundSink;
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
    private volatile RecoveringJavaSoundSink recovering;
    private volatile ServeModels serveModels;

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

    /** Serve's models: their reload and health counters join {@code /status.reply} (issue 20). */
    public void serveModels(ServeModels m) {
        this.serveModels = m;
        m.actions(this);
    }

    /**
     * The audio sink the engine plays to: a recovering Java Sound output adds its device-loss
     * counters to {@code /status.reply} ({@code audio_losses}, {@code audio_reopens},
     * {@code audio_null_blocks}); any other sink adds nothing.
     */
    public void audioSink(AudioSink sink) {
        this.recovering = sink instanceof RecoveringJavaSoundSink r ? r : null;
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

    /**
     * Serve's model counters (reloads done and refused; over the models in use: results discarded as
     * non-finite, models bypassed now, runs over budget), the recovering audio output's counters
     * (times its device was lost, times it was reopened, blocks played into nothing meanwhile), then
     * one pair per MIDI device:
     * {@code "midi <name>: <state>"} and the notes it played.
     */
    @Override
    public List<Map.Entry<String, Integer>> statusPairs() {
        List<Map.Entry<String, Integer>> pairs = new ArrayList<>();
        ServeModels sm = serveModels;
        if (sm != null) {
            pairs.addAll(sm.statusPairs());
        }
        RecoveringJavaSoundSink r = recovering;
        if (r != null) {
            pairs.add(Map.entry("audio_losses", saturate(r.losses())));
            pairs.add(Map.entry("audio_reopens", saturate(r.reopens())));
            pairs.add(Map.entry("audio_null_blocks", saturate(r.nullBlocks())));
        }
        if (midi == null) {
            return pairs;
        }
        for (MidiDeviceStatus d : midi.devices()) {
            pairs.add(Map.entry("midi " + d.name() + ": " + d.state(), (int) Math.min(Integer.MAX_VALUE, d.notes())));
        }
        return pairs;
    }

    private static int saturate(long n) {
        return (int) Math.min(Integer.MAX_VALUE, n);
    }
}
