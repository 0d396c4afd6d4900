package io.latentkit.models;

/**
 * Something a model operation refused or could not do, with a one-line, user-facing message. The
 * subclasses say whose fault it was: the model file ({@link ModelLoadException}), the audio given
 * ({@link BadAudioException}) or the model's answer ({@link NonFiniteOutputException}).
 *
 * <p>Immutable; any thread.
 */
public class ModelException extends Exception {
    private static final long serialVersionUID = 1L;

    public ModelException(String message) {
        super(message);
    }

    public ModelException(String message, Throwable cause) {
        super(message, cause);
    }
}
