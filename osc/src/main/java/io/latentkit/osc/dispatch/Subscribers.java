package io.latentkit.osc.dispatch;

import io.latentkit.osc.transport.OscPeer;

/**
 * Peers subscribed to telemetry with {@code /notify 1}. A subscription is a lease: it lasts
 * {@code leaseNanos} after the last {@code /notify 1} from that peer, so a client that vanished
 * (TouchDesigner closed, a laptop left the network) stops being sent to. TCP subscriptions also end
 * when the connection closes.
 *
 * <p>Threading: receiver thread only. Bounded; allocation-free except for the retained peers.
 */
final class Subscribers {
    private final OscPeer[] peers;
    private final long[] expiresAtNanos;
    private final long leaseNanos;
    private int count;

    Subscribers(int capacity, long leaseNanos) {
        this.peers = new OscPeer[capacity];
        this.expiresAtNanos = new long[capacity];
        this.leaseNanos = leaseNanos;
    }

    /** Adds or renews; false when the table is full. */
    boolean subscribe(OscPeer peer, long nowNanos) {
        int i = indexOf(peer);
        if (i < 0) {
            if (count == peers.length) {
                return false;
            }
            i = count++;
            peers[i] = peer.retain();
        }
        expiresAtNanos[i] = nowNanos + leaseNanos;
        return true;
    }

    void unsubscribe(OscPeer peer) {
        int i = indexOf(peer);
        if (i >= 0) {
            removeAt(i);
        }
    }

    /** Drops expired and closed subscriptions; returns how many. */
    int expire(long nowNanos) {
        int removed = 0;
        for (int i = count - 1; i >= 0; i--) {
            if (nowNanos - expiresAtNanos[i] > 0 || !peers[i].isOpen()) {
                removeAt(i);
                removed++;
            }
        }
        return removed;
    }

    int count() {
        return count;
    }

    OscPeer get(int i) {
        return peers[i];
    }

    private int indexOf(OscPeer peer) {
        for (int i = 0; i < count; i++) {
            if (peers[i].equals(peer)) {
                return i;
            }
        }
        return -1;
    }

    private void removeAt(int i) {
        count--;
        peers[i] = peers[count];
        expiresAtNanos[i] = expiresAtNanos[count];
        peers[count] = null;
    }
}
