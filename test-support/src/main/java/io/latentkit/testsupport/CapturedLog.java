package io.latentkit.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Captures what is logged while it is open, so that a test that provokes a warning can assert on
 * it and a passing run stays quiet. slf4j-simple writes to whatever {@link System#err} is at the
 * moment of each log call (its default {@code System.err} target is not cached), so swapping the
 * stream catches every thread's log lines.
 *
 * <p>A record is one log line with the stack trace lines that follow it (slf4j-simple starts each
 * record with {@code [thread]}). On {@link #close()} every record not marked {@link #expect expected}
 * goes on to the real stream, so an unexpected warning, or the log of a test that then failed, is
 * still seen.
 *
 * <p>Threading: open and close on the test thread; records logged by any thread meanwhile are caught.
 */
public final class CapturedLog implements AutoCloseable {
    private final PrintStream original = System.err;
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private Predicate<String> expected = r -> false;
    private boolean closed;

    private CapturedLog() {
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
    }

    /** Starts capturing. */
    public static CapturedLog open() {
        return new CapturedLog();
    }

    /** Every record captured so far, each with its stack trace lines. */
    public List<String> records() {
        System.err.flush();
        List<String> out = new ArrayList<>();
        StringBuilder current = null;
        for (String line : bytes.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.startsWith("[") || current == null) {
                if (current != null) {
                    out.add(current.toString());
                }
                current = new StringBuilder(line);
            } else {
                current.append('\n').append(line);
            }
        }
        if (current != null && current.length() > 0) {
            out.add(current.toString());
        }
        return out;
    }

    /** The records that contain {@code text}. */
    public List<String> recordsWith(String text) {
        List<String> out = new ArrayList<>();
        for (String r : records()) {
            if (r.contains(text)) {
                out.add(r);
            }
        }
        return out;
    }

    /** Marks the records that contain {@code text} as expected: they are dropped on {@link #close()}. */
    public void expect(String text) {
        Predicate<String> previous = expected;
        expected = r -> previous.test(r) || r.contains(text);
    }

    /** Stops capturing and passes every record not expected on to the real stream. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        List<String> all = records();
        closed = true;
        System.setErr(original);
        for (String r : all) {
            if (!expected.test(r)) {
                original.println(r);
            }
        }
    }
}
