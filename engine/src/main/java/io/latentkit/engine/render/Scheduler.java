package io.latentkit.engine.render;

import io.latentkit.engine.control.ControlEvent;

/**
 * Control events waiting for a future block: a bounded binary min-heap ordered by target frame,
 * then by arrival, over slots allocated up front. When full, a new event is refused and counted
 * rather than growing the heap.
 *
 * <p>Threading: render thread only; allocation-free after construction.
 */
public final class Scheduler {
    private final ControlEvent[] slots;
    private final int[] heap;
    private final int[] freeSlots;
    private int size;
    private int freeCount;

    public Scheduler(int capacity) {
        slots = new ControlEvent[capacity];
        heap = new int[capacity];
        freeSlots = new int[capacity];
        for (int i = 0; i < capacity; i++) {
            slots[i] = new ControlEvent();
            freeSlots[i] = capacity - 1 - i;
        }
        freeCount = capacity;
    }

    /** Copies {@code e} in; {@code false} when full. */
    public boolean offer(ControlEvent e) {
        if (freeCount == 0) {
            return false;
        }
        int slot = freeSlots[--freeCount];
        slots[slot].copyFrom(e);
        int i = size++;
        heap[i] = slot;
        siftUp(i);
        return true;
    }

    /** Whether the earliest event is due before {@code frame}. */
    public boolean hasDueBefore(long frame) {
        return size > 0 && slots[heap[0]].frame < frame;
    }

    /** Moves the earliest event into {@code into}. Call only when {@link #size()} is positive. */
    public void pollInto(ControlEvent into) {
        int slot = heap[0];
        into.copyFrom(slots[slot]);
        slots[slot].clearRef();
        freeSlots[freeCount++] = slot;
        size--;
        if (size > 0) {
            heap[0] = heap[size];
            siftDown(0);
        }
    }

    public int size() {
        return size;
    }

    public int capacity() {
        return slots.length;
    }

    private boolean less(int a, int b) {
        ControlEvent x = slots[a];
        ControlEvent y = slots[b];
        return x.frame < y.frame || (x.frame == y.frame && x.seq < y.seq);
    }

    private void siftUp(int i) {
        int slot = heap[i];
        while (i > 0) {
            int parent = (i - 1) >>> 1;
            if (!less(slot, heap[parent])) {
                break;
            }
            heap[i] = heap[parent];
            i = parent;
        }
        heap[i] = slot;
    }

    private void siftDown(int i) {
        int slot = heap[i];
        int half = size >>> 1;
        while (i < half) {
            int child = 2 * i + 1;
            int right = child + 1;
            if (right < size && less(heap[right], heap[child])) {
                child = right;
            }
            if (!less(heap[child], slot)) {
                break;
            }
            heap[i] = heap[child];
            i = child;
        }
        heap[i] = slot;
    }
}
