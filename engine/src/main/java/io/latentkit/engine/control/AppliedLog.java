package io.latentkit.engine.control;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The control events the render thread applied, each with the frame it applied it at, in the order
 * it applied them: what {@code serve --record-control} writes to a file so that an offline render
 * of the log reproduces the live session sample for sample. A single-producer, single-consumer ring
 * of pre-allocated events: the render thread copies each applied event in (never waiting: when the
 * ring is full the event is counted as lost and the log is incomplete), one drainer (the conductor)
 * takes them out.
 *
 * <p>Threading: {@link #record} render thread only; {@link #drain} one consumer thread;
 * {@link #lost()} any thread. Recording is allocation-free.
 */
public final class AppliedLog {
    /** Receives logged events; the event is valid only during the call. */
    @FunctionalInterface
    public interface Handler {
        /** {@code e.frame} is the frame the event was applied at. */
        void onApplied(ControlEvent e);
    }

    private final ControlEvent[] slots;
    private final int mask;
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();

    /** A log of {@code capacity} events (rounded up to a power of two). */
    public AppliedLog(int capacity) {
        int size = Integer.highestOneBit(Math.max(16, capacity - 1)) << 1;
        slots = new ControlEvent[size];
        for (int i = 0; i < size; i++) {
            slots[i] = new ControlEvent();
        }
        mask = size - 1;
    }

    /** Render thread: {@code e} was applied at {@code frame}. */
    public void record(ControlEvent e, long frame) {
        long h = head.get();
        if (h - tail.get() >= slots.length) {
            lost.incrementAndGet();
            return;
        }
        ControlEvent slot = slots[(int) (h & mask)];
        slot.copyFrom(e);
        slot.frame = frame;
        // Release: the slot's fields are visible to the drainer before the new head.
        head.lazySet(h + 1);
    }

    /** Consumer: hands every logged event to {@code handler}, oldest first; returns how many. */
    public int drain(Handler handler) {
        long t = tail.get();
        long h = head.get();
        int n = 0;
        while (t < h) {
            ControlEvent slot = slots[(int) (t & mask)];
            handler.onApplied(slot);
            slot.clearRef();
            t++;
            n++;
            tail.lazySet(t);
        }
        return n;
    }

    /** Events not logged because the ring was full (a non-zero count makes the log incomplete). */
    public long lost() {
        return lost.get();
    }
}
