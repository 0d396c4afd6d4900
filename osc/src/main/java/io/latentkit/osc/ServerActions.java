package io.latentkit.osc;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The server's staged actions that OSC can ask for by name: presets and MIDI learn. Like
 * {@link KitLoader}, every method returns at once and completes on another thread; OSC replies
 * {@code /done <address> <detail>} or {@code /fail <address> <name> <reason>}.
 *
 * <p>Threading: called on the OSC receiver thread; stages may complete on any thread.
 */
public interface ServerActions {
    /** Saves the performance as preset {@code name}; completes with the name. */
    CompletionStage<String> presetSave(String name);

    /** Loads preset {@code name}; completes with the name. */
    CompletionStage<String> presetLoad(String name);

    /** Names of the saved presets. */
    CompletionStage<List<String>> presetList();

    /**
     * Binds the next MIDI control moved to {@code parameter} (e.g. {@code snare/pitch});
     * completes with a description of the binding once a control was moved.
     */
    CompletionStage<String> midiLearn(String parameter);

    /** Whether the ONNX models are loaded (reported in {@code /status.reply}). */
    boolean modelsAvailable();

    /**
     * Extra {@code ,si} pairs for {@code /status.reply} (e.g. {@code "midi Pad Controller: connected"}
     * with its note count), reported before the models' pair.
     */
    default List<Map.Entry<String, Integer>> statusPairs() {
        return List.of();
    }
}
