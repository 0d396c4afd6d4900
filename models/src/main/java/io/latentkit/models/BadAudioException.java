package io.latentkit.models;

/**
 * The audio handed to a model cannot be used: silent, too short, too long, or not decodable. The
 * message says which, in one line, for the person who chose the file.
 *
 * <p>Immutable; any thread.
 */
public final class BadAudioException extends ModelException {
    private static final long serialVersionUID = 1L;

    public BadAudioException(String message) {
        super(message);
    }

    public BadAudioException(String message, Throwable cause) {
        super(message, cause);
    }
}
