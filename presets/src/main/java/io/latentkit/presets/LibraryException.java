package io.latentkit.presets;

import java.util.Locale;

/**
 * A library operation that did not happen, with a one-line reason fit for a CLI error line or an
 * OSC {@code /fail <reason>} reply, and a {@link Kind} that says whose fault it is (the CLI maps
 * {@link Kind#isBadInput() bad input} to exit code 2 and the rest to 1).
 *
 * <p>Immutable; any thread.
 */
public class LibraryException extends Exception {
    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    public enum Kind {
        /** The name is not a plain library name, or resolves outside the library. */
        BAD_NAME(true),
        /** No kit or preset of that name. */
        NOT_FOUND(true),
        /** The input (a kit source, a preset file, a sound) is malformed or unsupported. */
        BAD_INPUT(true),
        /** The file was written by a newer latentkit; it is left untouched. */
        NEWER_VERSION(true),
        /** The file and its backup are both unreadable. */
        CORRUPT(true),
        /** Reading or writing failed for a reason outside the input (disk full, permissions). */
        IO(false);

        private final boolean badInput;

        Kind(boolean badInput) {
            this.badInput = badInput;
        }

        public boolean isBadInput() {
            return badInput;
        }
    }

    private final Kind kind;

    public LibraryException(Kind kind, String reason) {
        super(oneLine(reason));
        this.kind = kind;
    }

    public LibraryException(Kind kind, String reason, Throwable cause) {
        super(oneLine(reason), cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The reason prefixed by the kind, e.g. {@code not found: no kit named 'x'}. */
    public String reason() {
        return getMessage();
    }

    /** Lower-case kind name for logs, e.g. {@code bad_input}. */
    public String kindName() {
        return kind.name().toLowerCase(Locale.ROOT);
    }

    private static String oneLine(String s) {
        if (s == null) {
            return "unknown error";
        }
        String t = s.replaceAll("[\\r\\n\\t]+", " ").trim();
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }
}
