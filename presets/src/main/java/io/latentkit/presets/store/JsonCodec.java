package io.latentkit.presets.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latentkit.presets.LibraryException;

/**
 * How one kind of versioned JSON document (a preset, a kit manifest) is read and written. Every
 * document is an object with {@code "format"} (the document type) and {@code "version"} (its
 * schema version); {@link #fromJson} receives documents of any version up to
 * {@link #currentVersion()} and migrates older ones.
 *
 * <p>Implementations are stateless; any thread.
 */
public interface JsonCodec<T> {
    /** The value of the {@code "format"} field, e.g. {@code latentkit-preset}. */
    String format();

    /** The schema version this build writes. */
    int currentVersion();

    /**
     * Builds the value from a document of {@code version <= currentVersion()}, migrating older
     * layouts.
     *
     * @throws LibraryException of kind {@link LibraryException.Kind#BAD_INPUT} if the document is
     *     not a valid one
     */
    T fromJson(JsonNode root, int version) throws LibraryException;

    /** The document for a value, without the {@code format} and {@code version} fields. */
    ObjectNode toJson(T value);
}
