package io.latentkit.osc;

import io.latentkit.core.kit.Kit;
import java.util.List;

/**
 * What {@code /kit/load} and {@code /kit/list} need from the kit library: kits by name. Both methods
 * do their work on the calling thread, which is the engine's loader thread (the staged command's
 * prepare step), never the OSC receiver or the render thread. The server wires the real library;
 * tests use a small in-memory one.
 *
 * <p>Threading: the loader thread. A kit handed over must be fully built, at the engine's sample
 * rate, and not shared with another engine.
 */
public interface KitLoader {
    /**
     * Builds the kit called {@code name} (a name inside the library, never a path), or returns
     * {@code null} when there is none.
     *
     * @throws RuntimeException with a one-line message as the reason when it cannot be read
     */
    Kit loadNow(String name);

    /** Names of the kits in the library, in display order. */
    List<String> list();
}
