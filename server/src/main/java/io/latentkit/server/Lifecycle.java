package io.latentkit.server;

import java.util.ArrayDeque;
import java.util.Deque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one ordered place where {@code serve} starts and stops what it runs: each part is registered
 * as it starts, and {@link #close} stops them in the reverse order, so inputs (MIDI, OSC, listen)
 * stop before the conductor, and the conductor before the engine and its device. A part that fails
 * to stop is logged and the rest still stop.
 *
 * <p>Threading: {@link #started} on the thread that starts the server; {@link #close} once, from
 * the shutdown hook or that thread.
 */
public final class Lifecycle implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Lifecycle.class);

    private record Part(String name, AutoCloseable part) {
    }

    private final Deque<Part> parts = new ArrayDeque<>();

    /** Registers a started part; returns it. */
    public synchronized <T extends AutoCloseable> T started(String name, T part) {
        parts.push(new Part(name, part));
        return part;
    }

    /** Stops every part, last started first. */
    @Override
    public synchronized void close() {
        while (!parts.isEmpty()) {
            Part p = parts.pop();
            try {
                p.part().close();
            } catch (Exception | LinkageError e) {
                LOG.warn("stopping {} failed (the rest still stop): {}", p.name(), e.toString());
            }
        }
    }
}
