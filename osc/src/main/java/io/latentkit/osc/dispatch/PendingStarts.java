package io.latentkit.osc.dispatch;

import io.latentkit.osc.transport.OscPeer;

/**
 * Triggers that asked to be told when their voice starts ({@code /hit ,iii|ifi pad velocity id}): a
 * bounded, pre-allocated table from the engine trigger tag the dispatcher gave each of them to the
 * client's reply id, the peer that asked, and the frames needed to answer or to expire it.
 *
 * <p>Tags: {@link #TAG_MARK} set, then a generation count, then the slot index in the low bits. A
 * plain {@code /hit} carries its receive {@code System.nanoTime()} as its tag instead; a telemetry
 * report only answers an entry whose whole tag equals the one stored, so a reused slot, a stale
 * report or a plain hit never answers the wrong trigger.
 *
 * <p>Peers: a reply needs a peer that outlives its packet, and {@link OscPeer#retain()} allocates for
 * UDP. A small cache hands back the retained peer of an equal sender, so a client pays that
 * allocation once, the first time it asks, not per trigger (as the admission table does per host).
 *
 * <p>Threading: receiver thread only. No allocation after construction except that first retain.
 */
final class PendingStarts {
    /** Set in every tag this table hands out. */
    static final long TAG_MARK = Long.MIN_VALUE;
    /** {@link #targetFrame} of a trigger asked for "as soon as possible". */
    static final long NO_TARGET = -1L;
    private static final int PEER_CACHE = 8;

    private final int slotBits;
    private final long slotMask;
    private final long[] tag;
    private final int[] replyId;
    private final long[] dueFrame;
    private final long[] targetFrame;
    private final OscPeer[] peer;
    private final int[] free;
    private int freeCount;
    private long generation;
    private final OscPeer[] peers = new OscPeer[PEER_CACHE];
    private int nextPeer;

    /** A table of {@code capacity} entries (rounded up to a power of two). */
    PendingStarts(int capacity) {
        int cap = Integer.highestOneBit(Math.max(1, capacity - 1)) << 1;
        slotBits = Integer.numberOfTrailingZeros(cap);
        slotMask = cap - 1;
        tag = new long[cap];
        replyId = new int[cap];
        dueFrame = new long[cap];
        targetFrame = new long[cap];
        peer = new OscPeer[cap];
        free = new int[cap];
        for (int i = 0; i < cap; i++) {
            free[i] = cap - 1 - i;
        }
        freeCount = cap;
    }

    int capacity() {
        return tag.length;
    }

    /** Entries waiting for their voice. */
    int count() {
        return tag.length - freeCount;
    }

    /**
     * Claims an entry; returns its engine tag, or 0 when the table is full.
     *
     * @param due the earliest frame the voice can start at: its target frame, or the engine's
     *     current frame when it was published (a voice never starts before either)
     * @param target the frame a bundle's timetag asked for, or {@link #NO_TARGET}
     */
    long add(int id, OscPeer from, long due, long target) {
        if (freeCount == 0) {
            return 0L;
        }
        int slot = free[--freeCount];
        // 63 - slotBits bits of generation: a slot's tag repeats only after that many reuses.
        long t = TAG_MARK | ((++generation << slotBits) & ~TAG_MARK & ~slotMask) | slot;
        tag[slot] = t;
        replyId[slot] = id;
        dueFrame[slot] = due;
        targetFrame[slot] = target;
        peer[slot] = retained(from);
        return t;
    }

    /** The slot that {@code engineTag} was handed out for, or -1 if none is waiting on it. */
    int find(long engineTag) {
        if ((engineTag & TAG_MARK) == 0) {
            return -1;
        }
        int slot = (int) (engineTag & slotMask);
        return tag[slot] == engineTag ? slot : -1;
    }

    /** Whether {@code slot} holds a waiting entry (for scans). */
    boolean inUse(int slot) {
        return tag[slot] != 0L;
    }

    int replyId(int slot) {
        return replyId[slot];
    }

    long dueFrame(int slot) {
        return dueFrame[slot];
    }

    long targetFrame(int slot) {
        return targetFrame[slot];
    }

    OscPeer peer(int slot) {
        return peer[slot];
    }

    /** Frees {@code slot}. */
    void remove(int slot) {
        tag[slot] = 0L;
        peer[slot] = null;
        free[freeCount++] = slot;
    }

    private OscPeer retained(OscPeer from) {
        for (int i = 0; i < PEER_CACHE; i++) {
            OscPeer p = peers[i];
            if (p != null && p.equals(from)) {
                return p;
            }
        }
        OscPeer p = from.retain();
        // Round-robin replacement: an entry still waiting keeps its own reference to an evicted peer.
        peers[nextPeer] = p;
        nextPeer = (nextPeer + 1) % PEER_CACHE;
        return p;
    }
}
