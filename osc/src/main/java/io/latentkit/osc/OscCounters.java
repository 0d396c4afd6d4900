package io.latentkit.osc;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counters of the OSC surface: packets received, messages handled, and drops by {@link DropReason}.
 *
 * <p>Threading: single writer per counter group (the OSC receiver thread, which owns every socket);
 * any thread may read. Writes use {@code lazySet}, which is enough for one writer and cheaper than a
 * locked add; readers see each value eventually and never a torn one.
 */
public final class OscCounters {
    private static final int PACKETS = DropReason.COUNT;
    private static final int MESSAGES = PACKETS + 1;
    private static final int BYTES = MESSAGES + 1;
    private static final int SUBSCRIBERS = BYTES + 1;
    private static final int STARTED_EXPIRED = SUBSCRIBERS + 1;
    private static final int STARTED_UNTRACKED = STARTED_EXPIRED + 1;
    private static final int SIZE = STARTED_UNTRACKED + 1;

    private final AtomicLongArray values = new AtomicLongArray(SIZE);

    /** Counts one drop; receiver thread only. */
    public void drop(DropReason reason) {
        int i = reason.ordinal();
        values.lazySet(i, values.get(i) + 1);
    }

    /** Counts one received packet (datagram or SLIP frame) of {@code bytes}; receiver thread only. */
    public void packet(int bytes) {
        values.lazySet(PACKETS, values.get(PACKETS) + 1);
        values.lazySet(BYTES, values.get(BYTES) + bytes);
    }

    /** Counts one message acted on; receiver thread only. */
    public void message() {
        values.lazySet(MESSAGES, values.get(MESSAGES) + 1);
    }

    /** Records the number of telemetry subscribers now; receiver thread only. */
    public void subscribers(int n) {
        values.lazySet(SUBSCRIBERS, n);
    }

    /** Counts one {@code /started} reply given up on: no voice started in time; receiver thread only. */
    public void countStartedExpired() {
        values.lazySet(STARTED_EXPIRED, values.get(STARTED_EXPIRED) + 1);
    }

    /** Counts one hit that asked for {@code /started} and played unreported (table full); receiver thread only. */
    public void countStartedUntracked() {
        values.lazySet(STARTED_UNTRACKED, values.get(STARTED_UNTRACKED) + 1);
    }

    /** {@code /started} replies given up on because no voice started in time; any thread. */
    public long startedExpired() {
        return values.get(STARTED_EXPIRED);
    }

    /** Hits that asked for {@code /started} but found the pending table full; any thread. */
    public long startedUntracked() {
        return values.get(STARTED_UNTRACKED);
    }

    /** Telemetry subscribers now; any thread. */
    public long subscribers() {
        return values.get(SUBSCRIBERS);
    }

    /** Drops for one reason; any thread. */
    public long drops(DropReason reason) {
        return values.get(reason.ordinal());
    }

    /** Drops for every reason together; any thread. */
    public long totalDrops() {
        long t = 0;
        for (int i = 0; i < DropReason.COUNT; i++) {
            t += values.get(i);
        }
        return t;
    }

    /** Packets received (before any drop); any thread. */
    public long packets() {
        return values.get(PACKETS);
    }

    /** Bytes received in packets; any thread. */
    public long bytes() {
        return values.get(BYTES);
    }

    /** Messages acted on (an engine event published or a query answered); any thread. */
    public long messages() {
        return values.get(MESSAGES);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("packets=").append(packets()).append(" messages=").append(messages());
        for (DropReason r : DropReason.values()) {
            long n = drops(r);
            if (n != 0) {
                sb.append(' ').append(r.oscName()).append('=').append(n);
            }
        }
        return sb.toString();
    }
}
