package io.latentkit.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.latentkit.engine.control.Stage;

/**
 * A feature's part of a preset (an extension section, e.g. the latent pads): what it saves, what a
 * load prepares into the preset's stage (off the render thread), and what it does once the render
 * thread applied that stage.
 *
 * <p>Threading: {@link #capture} on the saving thread (loader or conductor), {@link #prepare} on the
 * loader thread, {@link #applied} on the thread that completes the load.
 */
public interface PresetSection {
    /** The extension's name in the preset file. */
    String name();

    /** The section as it is now, or {@code null} to save none. */
    JsonNode capture();

    /**
     * Prepares {@code section} (the preset's, or {@code null} when it has none: an older preset)
     * into {@code stage} and returns what {@link #applied} needs.
     *
     * @throws IllegalArgumentException or IllegalStateException with the reason; nothing is applied
     */
    Object prepare(JsonNode section, Stage stage);

    /** The render thread applied the stage that {@link #prepare} filled. */
    void applied(Object prepared);
}
