package io.latentkit.listen.input;

/**
 * An input that cannot be opened: no such device, the device refuses the format, a file that is
 * missing or not a sound file. The message is the one line a user sees.
 *
 * <p>Immutable; any thread.
 */
public final class AudioSourceException extends Exception {
    private static final long serialVersionUID = 1L;

    public AudioSourceException(String message) {
        super(message);
    }

    public AudioSourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
