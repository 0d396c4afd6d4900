package io.latentkit.osc;

import io.latentkit.core.kit.Kit;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What {@code /kit/load} and {@code /kit/list} need from the kit library: kits by name, loaded off the
 * OSC and render threads. The server wires the real library; tests use a small in-memory one.
 *
 * <p>Threading: both methods are called on the OSC receiver thread and must return at once (do the
 * work on a loader thread); the stages may complete on any thread. A kit handed over must be fully
 * built, at the engine's sample rate, and not shared with another engine.
 */
public interface KitLoader {
    /**
     * Loads the kit called {@code name} (a name inside the library, never a path). Completes
     * exceptionally with a one-line message as the reason when there is no such kit or it cannot be
     * read.
     */
    CompletionStage<Kit> load(String name);

    /** Names of the kits in the library, in display order. */
    CompletionStage<List<String>> list();
}
