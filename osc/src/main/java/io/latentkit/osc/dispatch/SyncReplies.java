package io.latentkit.osc.dispatch;

import io.latentkit.osc.transport.OscPeer;

/**
 * Pending {@code /sync} requests: each is answered {@code /synced ,i id} once the engine reports it
 * has handled every event published before it. The engine answers in the order asked, so the
 * table is a bounded queue.
 *
 * <p>Threading: receiver thread only.
 */
final class SyncReplies {
    static final int MAX_PENDING = 256;

    private final long[] internal = new long[MAX_PENDING];
    private final int[] user = new int[MAX_PENDING];
    private final OscPeer[] peer = new OscPeer[MAX_PENDING];
    private final Replies replies;
    private int head;
    private int count;
    private long nextId = 1;

    SyncReplies(Replies replies) {
        this.replies = replies;
    }

    boolean isFull() {
        return count == MAX_PENDING;
    }

    int count() {
        return count;
    }

    /** The engine-side id the next request will carry. */
    long nextId() {
        return nextId;
    }

    /** Records a request published to the engine with {@link #nextId()}. */
    void add(int userId, OscPeer to) {
        int slot = (head + count) % MAX_PENDING;
        internal[slot] = nextId++;
        user[slot] = userId;
        peer[slot] = to;
        count++;
    }

    /** The engine handled everything before sync {@code id}. */
    void onSynced(long id) {
        while (count > 0 && internal[head] <= id) {
            if (internal[head] == id) {
                replies.writer().begin("/synced", "i").putInt(user[head]);
                replies.send(peer[head]);
            }
            peer[head] = null;
            head = (head + 1) % MAX_PENDING;
            count--;
        }
    }
}
