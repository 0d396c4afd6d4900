package io.latentkit.web;

import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counters of the web surface: requests served, what admission refused and why, WebSocket sessions
 * and messages, and sessions cut off.
 *
 * <p>Threading: any thread counts (Jetty's threads, the OSC receiver, the value pump); any thread reads.
 */
public final class WebCounters {
    /** What is counted. */
    public enum Count {
        /** HTTP requests admitted (WebSocket upgrades included). */
        REQUESTS,
        /** Requests from hosts outside {@code --http-allow}. */
        NOT_ALLOWED,
        /** Requests over a host's rate. */
        RATE_LIMITED,
        /** Requests whose Host or Origin header named another site (DNS rebinding, cross-site WebSockets). */
        BAD_HOST,
        /** WebSocket upgrades refused because the host or the server held too many sessions. */
        TOO_MANY_SESSIONS,
        /** WebSocket sessions opened. */
        SESSIONS_OPENED,
        /** WebSocket sessions closed. */
        SESSIONS_CLOSED,
        /** WebSocket messages received (text and binary) from admitted sessions. */
        MESSAGES_IN,
        /** OSC packets the OSC receiver's inbox had no room for. */
        PACKETS_REFUSED,
        /** Sessions closed for sending faster than their rate. */
        FLOOD_CUTOFFS,
        /** Sessions closed for a message over the size caps. */
        OVERSIZE_CUTOFFS,
        /** Sessions closed because they did not read what was sent to them. */
        SLOW_READER_CUTOFFS,
        /** Binary OSC messages sent to sessions (replies, telemetry, LISTEN values and forwards). */
        MESSAGES_OUT,
        /** LISTEN or IGNORE commands refused (unknown command or path, listen table full, bad JSON). */
        COMMANDS_REFUSED,
        /** Messages to LISTENed methods not forwarded because they came faster than the forwarding rate. */
        FORWARDS_DROPPED
    }

    private static final Count[] COUNTS = Count.values();
    private final AtomicLongArray values = new AtomicLongArray(COUNTS.length);

    /** Counts one. Any thread; allocation-free. */
    public void count(Count c) {
        values.incrementAndGet(c.ordinal());
    }

    public long get(Count c) {
        return values.get(c.ordinal());
    }

    /** Sessions open now. */
    public long sessionsOpen() {
        return get(Count.SESSIONS_OPENED) - get(Count.SESSIONS_CLOSED);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Count c : COUNTS) {
            long v = get(c);
            if (v != 0) {
                b.append(b.length() == 0 ? "" : " ").append(c.name().toLowerCase(Locale.ROOT)).append('=').append(v);
            }
        }
        return b.toString();
    }
}
