package io.latentkit.extract;

/**
 * Why an extraction produced no kit, in one line: the recording is unreadable, silent or holds no
 * usable hit ({@link Kind#BAD_INPUT}, exit 2 on the command line), or the models or the library
 * failed ({@link Kind#INTERNAL}, exit 1).
 *
 * <p>Immutable; any thread.
 */
public final class ExtractionException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Whose fault it is. */
    public enum Kind {
        /** The recording (or the request) cannot give a kit: the user's input. */
        BAD_INPUT,
        /** Something of ours failed: models, file system. */
        INTERNAL
    }

    private final Kind kind;

    public ExtractionException(Kind kind, String message) {
        super(message);
        this.kind = kind;
    }

    public ExtractionException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
