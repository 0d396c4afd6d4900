package io.latentkit.models.latent;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the latent pads did, for {@code /status}, the benchmark and the report: moves received and
 * superseded in a mailbox before they were served, moves served from the cache, from the grid, by an
 * exact decode, refinements after a grid blend, failures, and the grids built.
 *
 * <p>Any thread: counters written by the inference worker (and the senders for {@link #moves}),
 * read by anyone.
 */
public final class LatentStats {
    final AtomicLong moves = new AtomicLong();
    final AtomicLong superseded = new AtomicLong();
    final AtomicLong cacheHits = new AtomicLong();
    final AtomicLong gridHits = new AtomicLong();
    final AtomicLong exactDecodes = new AtomicLong();
    final AtomicLong refinements = new AtomicLong();
    final AtomicLong failures = new AtomicLong();
    final AtomicLong gridsBuilt = new AtomicLong();
    final AtomicLong lastGridBuildNanos = new AtomicLong(-1);
    final AtomicLong lastGridDecodeNanos = new AtomicLong(-1);
    final AtomicLong lastGridBytes = new AtomicLong();
    final AtomicLong cacheBytes = new AtomicLong();

    public long moves() {
        return moves.get();
    }

    /** Moves replaced in a mailbox by a newer one before the worker took them. */
    public long superseded() {
        return superseded.get();
    }

    public long cacheHits() {
        return cacheHits.get();
    }

    public long gridHits() {
        return gridHits.get();
    }

    /** Moves served by decoding their exact point (not refinements). */
    public long exactDecodes() {
        return exactDecodes.get();
    }

    /** Exact decodes that replaced a grid blend. */
    public long refinements() {
        return refinements.get();
    }

    public long failures() {
        return failures.get();
    }

    public long gridsBuilt() {
        return gridsBuilt.get();
    }

    /** Wall time of the last complete grid build, from its first decode to its last, or -1. */
    public long lastGridBuildNanos() {
        return lastGridBuildNanos.get();
    }

    /** Time spent decoding the last complete grid's points (its build cost on the worker), or -1. */
    public long lastGridDecodeNanos() {
        return lastGridDecodeNanos.get();
    }

    public long lastGridBytes() {
        return lastGridBytes.get();
    }

    /** Audio held by the cache after the worker's last insertion. */
    public long cacheBytes() {
        return cacheBytes.get();
    }

    @Override
    public String toString() {
        return "moves " + moves() + " (superseded " + superseded() + "), cache " + cacheHits() + ", grid " + gridHits()
                + ", exact " + exactDecodes() + ", refined " + refinements() + ", failed " + failures();
    }
}
