package io.latentkit.core.audio;

import java.io.IOException;

/**
 * A sound file that cannot be decoded: not a supported format, truncated, inconsistent, or too
 * large. The message is one line that names the file and the reason, fit for a CLI error or an OSC
 * {@code /fail} reply. Every failure to decode bad input surfaces as this type (never a runtime
 * exception from a parser or a codec library).
 *
 * <p>Immutable; any thread.
 */
public final class AudioFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public AudioFormatException(String message) {
        super(message);
    }

    public AudioFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
