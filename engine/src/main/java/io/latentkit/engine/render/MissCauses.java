package io.latentkit.engine.render;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Deadline misses by what caused them, as {@link MissForensics} attributed them: the engine's own
 * rendering, the render thread waiting for a core (scheduling), the hypervisor stealing the
 * machine's CPUs (steal), a garbage-collection pause (gc), or nothing measured (unexplained).
 *
 * <p>Threading: written by the housekeeping thread only; read from any thread.
 */
public final class MissCauses {
    /** The causes, in the order {@code /status.reply} and the log line give them. */
    public enum Cause {
        SCHEDULING("scheduling"), STEAL("steal"), RENDER("render"), GC("gc"), UNEXPLAINED("unexplained");

        private final String label;

        Cause(String label) {
            this.label = label;
        }

        /** The word used in {@code /status.reply} ({@code misses_<label>}) and in the log. */
        public String label() {
            return label;
        }
    }

    private final AtomicLongArray counts = new AtomicLongArray(Cause.values().length);

    void add(Cause cause, long misses) {
        counts.addAndGet(cause.ordinal(), misses);
    }

    /** Misses attributed to {@code cause} so far. */
    public long count(Cause cause) {
        return counts.get(cause.ordinal());
    }

    /** Misses attributed so far (all causes). */
    public long attributed() {
        long sum = 0;
        for (int i = 0; i < counts.length(); i++) {
            sum += counts.get(i);
        }
        return sum;
    }

    /** {@code misses: 3 (scheduling 2, steal 1, render 0, gc 0, unexplained 0)}. */
    public String describe() {
        StringBuilder b = new StringBuilder("misses: ").append(attributed()).append(" (");
        for (Cause c : Cause.values()) {
            if (c.ordinal() > 0) {
                b.append(", ");
            }
            b.append(c.label()).append(' ').append(count(c));
        }
        return b.append(')').toString();
    }
}
