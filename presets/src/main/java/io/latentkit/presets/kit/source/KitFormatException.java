package io.latentkit.presets.kit.source;

import io.latentkit.presets.LibraryException;

/**
 * A kit source (a Hydrogen {@code drumkit.xml}, an SFZ file, a folder) that cannot be imported:
 * malformed, unsupported, or with nothing playable in it. Always
 * {@link LibraryException.Kind#BAD_INPUT}, with a one-line reason. The parsers let nothing else
 * out for any input.
 *
 * <p>Immutable; any thread.
 */
public final class KitFormatException extends LibraryException {
    private static final long serialVersionUID = 1L;

    public KitFormatException(String reason) {
        super(Kind.BAD_INPUT, reason);
    }

    public KitFormatException(String reason, Throwable cause) {
        super(Kind.BAD_INPUT, reason, cause);
    }
}
