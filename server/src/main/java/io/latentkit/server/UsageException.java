package io.latentkit.server;

/**
 * Bad usage or bad input: the command prints the one-line message and exits with status 2.
 *
 * <p>Immutable; any thread.
 */
public final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
