package io.latentkit.core.namespace;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Current values of the namespace's numeric nodes, each in a slot of its own: written by the one
 * thread that owns the value (the render thread for pad parameters and tempo), read from any thread
 * without a lock. A change counter lets followers (OSCQuery {@code LISTEN}, the web console) find out
 * cheaply that something changed.
 *
 * <p>Threading: one writer per slot (the owner named by the node); any number of readers. Writes use
 * release semantics and reads acquire semantics, so a reader that sees a new change count sees every
 * value written before it. Allocation-free.
 */
public final class ValueBoard {
    private final AtomicLongArray slots;
    private final AtomicLong changes = new AtomicLong();
    private int allocated;

    public ValueBoard(int capacity) {
        slots = new AtomicLongArray(capacity);
    }

    /** Reserves {@code n} consecutive slots and returns the first. Build time only (one thread). */
    public int reserve(int n) {
        if (allocated + n > slots.length()) {
            throw new IllegalStateException("value board full: " + slots.length() + " slots");
        }
        int first = allocated;
        allocated += n;
        return first;
    }

    /** Slots in use. */
    public int size() {
        return allocated;
    }

    /** Publishes a value; the slot's owner thread only. Allocation-free. */
    public void publish(int slot, float value) {
        long bits = Float.floatToRawIntBits(value) & 0xFFFF_FFFFL;
        if (slots.getPlain(slot) != (bits | Long.MIN_VALUE)) {
            // The top bit marks a slot that has been written at least once.
            slots.setRelease(slot, bits | Long.MIN_VALUE);
            changes.incrementAndGet();
        }
    }

    /** The value in {@code slot}, or NaN if it was never published. Any thread. */
    public float read(int slot) {
        long v = slots.getAcquire(slot);
        return v == 0L ? Float.NaN : Float.intBitsToFloat((int) v);
    }

    /** How many changes were published so far (never goes backwards). Any thread. */
    public long changes() {
        return changes.getAcquire();
    }
}
