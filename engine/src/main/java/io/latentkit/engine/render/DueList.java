package io.latentkit.engine.render;

import io.latentkit.engine.control.ControlEvent;

/**
 * The events due in the block being rendered, each with its sample offset in the block, ordered
 * by (offset, arrival) before the block renders: the merge of what the ring delivered and what the
 * scheduler released.
 *
 * <p>Threading: render thread only. Every slot is pre-allocated; nothing here allocates.
 */
final class DueList {
    private final ControlEvent[] events;
    private final int[] offsets;
    /** Scratch for {@link #sort()}; holds no state between blocks. */
    private final ControlEvent[] sortEvents;
    private final int[] sortOffsets;
    private int count;

    DueList(int capacity) {
        events = new ControlEvent[capacity];
        for (int i = 0; i < capacity; i++) {
            events[i] = new ControlEvent();
        }
        offsets = new int[capacity];
        sortEvents = new ControlEvent[capacity];
        sortOffsets = new int[capacity];
    }

    void clear() {
        count = 0;
    }

    int count() {
        return count;
    }

    boolean isFull() {
        return count == events.length;
    }

    /** The next free slot, to be filled and then committed with {@link #commit}. */
    ControlEvent next() {
        return events[count];
    }

    /** Commits the slot returned by {@link #next()} at {@code offset}. */
    void commit(int offset) {
        offsets[count++] = offset;
    }

    /** Copies {@code e} into the next slot at {@code offset}. */
    void add(ControlEvent e, int offset) {
        events[count].copyFrom(e);
        offsets[count++] = offset;
    }

    ControlEvent event(int i) {
        return events[i];
    }

    int offset(int i) {
        return offsets[i];
    }

    /**
     * Orders the list by (offset, arrival). O(n) when it is already in order (the common case:
     * immediate events, then scheduled ones in heap order); otherwise a bottom-up merge sort into
     * the pre-allocated scratch arrays, so a block's worst case stays O(n log n) however a sender
     * orders its timetags.
     */
    void sort() {
        int n = count;
        int firstDescent = 1;
        while (firstDescent < n && !before(events[firstDescent], offsets[firstDescent],
                events[firstDescent - 1], offsets[firstDescent - 1])) {
            firstDescent++;
        }
        if (firstDescent >= n) {
            return;
        }
        ControlEvent[] srcE = events;
        int[] srcO = offsets;
        ControlEvent[] dstE = sortEvents;
        int[] dstO = sortOffsets;
        for (int width = 1; width < n; width <<= 1) {
            for (int lo = 0; lo < n; lo += width << 1) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + (width << 1), n);
                int a = lo;
                int b = mid;
                int k = lo;
                while (a < mid && b < hi) {
                    if (before(srcE[b], srcO[b], srcE[a], srcO[a])) {
                        dstE[k] = srcE[b];
                        dstO[k++] = srcO[b++];
                    } else {
                        dstE[k] = srcE[a];
                        dstO[k++] = srcO[a++];
                    }
                }
                while (a < mid) {
                    dstE[k] = srcE[a];
                    dstO[k++] = srcO[a++];
                }
                while (b < hi) {
                    dstE[k] = srcE[b];
                    dstO[k++] = srcO[b++];
                }
            }
            ControlEvent[] te = srcE;
            srcE = dstE;
            dstE = te;
            int[] to = srcO;
            srcO = dstO;
            dstO = to;
        }
        if (srcE != events) {
            System.arraycopy(srcE, 0, events, 0, n);
            System.arraycopy(srcO, 0, offsets, 0, n);
        }
    }

    private static boolean before(ControlEvent x, int xOffset, ControlEvent y, int yOffset) {
        return xOffset < yOffset || (xOffset == yOffset && x.seq < y.seq);
    }
}
