package io.latentkit.engine.sequence;

import java.util.concurrent.CompletionStage;

/**
 * The sequencer's library commands, provided by the server (the pattern store and the generator
 * live outside the engine): each returns at once and completes, as a staged command, after the
 * render thread applied what it changed, with a one-line detail; or fails with the reason.
 *
 * <p>Threading: called on a transport's thread; completes on any thread.
 */
public interface PatternActions {
    /** Loads pattern {@code name}; while playing it takes over at the next bar line. */
    CompletionStage<String> load(String name);

    /** Saves the pattern playing as {@code name} (atomically, versioned JSON). */
    CompletionStage<String> save(String name);

    /**
     * Generates one bar into chain bar {@code slot}: a fresh one, or (variation above 0) a variation
     * of the bar now in that slot; {@code density} 0..1 asks for fewer or more hits (NaN: as the
     * model likes), {@code variation} 0..1 how far from the current bar.
     */
    CompletionStage<String> generate(int slot, float density, float variation);
}
