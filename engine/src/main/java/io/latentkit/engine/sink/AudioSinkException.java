package io.latentkit.engine.sink;

/** A sink could not be opened; the message is one line a user can act on. */
public final class AudioSinkException extends Exception {
    private static final long serialVersionUID = 1L;

    public AudioSinkException(String message) {
        super(message);
    }

    public AudioSinkException(String message, Throwable cause) {
        super(message, cause);
    }
}
