package io.latentkit.osc.transport;

import io.latentkit.osc.DropReason;
import io.latentkit.osc.OscCounters;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/**
 * Packets that arrived on another transport's threads (the web console's WebSocket sessions), queued
 * for the OSC receiver thread, which alone may run the dispatcher. The other transport does its own
 * admission (allowlist, rate limit, size cap) before it offers; the receiver drains the inbox in its
 * duty cycle and hands each packet to the same {@link PacketHandler} as UDP and TCP packets, under the
 * same guard. Bounded: an offer to a full inbox fails at once and is counted, never waited on.
 *
 * <p>Threading: {@link #offer} from any thread; {@link #drain} on the receiver thread only.
 */
public final class PacketInbox {
    /** One queued packet: its bytes (owned by the inbox from the offer on), where it came from, when. */
    private record Entry(byte[] packet, int length, OscPeer from, long receiveNanos) {
    }

    private final ManyToOneConcurrentArrayQueue<Entry> queue;
    private final OscCounters counters;
    /** Offers refused because the inbox was full (the counters have one writer, the receiver). */
    private final AtomicLong refused = new AtomicLong();
    private volatile Runnable wakeup = () -> { };

    /** An inbox of at most {@code capacity} packets. */
    public PacketInbox(int capacity, OscCounters counters) {
        this.queue = new ManyToOneConcurrentArrayQueue<>(capacity);
        this.counters = counters;
    }

    /** What ends the receiver's idle wait when a packet is queued. */
    public void wakeup(Runnable r) {
        this.wakeup = r;
    }

    /**
     * Queues one packet; the inbox owns {@code packet} from here on (the caller must not change it).
     * Any thread; false (and counted in {@link #refused()}) when the inbox is full.
     */
    public boolean offer(byte[] packet, int length, OscPeer from, long receiveNanos) {
        if (!queue.offer(new Entry(packet, length, from, receiveNanos))) {
            refused.incrementAndGet();
            return false;
        }
        wakeup.run();
        return true;
    }

    /** Offers refused so far because the inbox was full. Any thread. */
    public long refused() {
        return refused.get();
    }

    /** Packets waiting now (approximate). Any thread. */
    public int size() {
        return queue.size();
    }

    /**
     * Hands up to {@code limit} queued packets to {@code handler}; returns how many. Receiver thread.
     * A packet whose handler throws is counted as an internal error; the rest still run.
     */
    public int drain(PacketHandler handler, int limit) {
        int n = 0;
        Entry e;
        while (n < limit && (e = queue.poll()) != null) {
            n++;
            counters.packet(e.length());
            try {
                handler.onPacket(e.packet(), 0, e.length(), e.from(), e.receiveNanos());
            } catch (RuntimeException | StackOverflowError | OutOfMemoryError ex) {
                // As for UDP and TCP packets: counted, and the receiver thread carries on.
                counters.drop(DropReason.INTERNAL_ERROR);
            }
        }
        return n;
    }
}
