package io.latentkit.models.latent;

import io.latentkit.core.namespace.Call;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;

/**
 * One pad's inbox: a latest-wins mailbox for moves (a gesture of 100 moves a second is decoded only
 * as fast as the model allows, always at its newest position), an ordered queue for commands (which
 * take the pending move in front of them, so that a commit after a move freezes the moved sound),
 * and the replies owed to the senders, answered once the sound they asked for, or a newer one, is
 * live.
 *
 * <p>Threading: requests from any thread; taken by the inference worker; replies answered from the
 * thread that completes a stage (or the worker, for failures).
 */
final class LatentSlot {
    static final int XY = 0;
    static final int MORPH = 1;
    static final int Z = 2;

    /** A move: to a position, along a morph, or to a whole vector. Immutable. */
    record Move(long seq, int kind, float x, float y, boolean hasX, boolean hasY, int target, float t, float[] z) {
        Move merged(long newSeq, float nx, float ny, boolean withX, boolean withY) {
            return new Move(newSeq, XY, withX ? nx : x, withY ? ny : y, hasX || withX, hasY || withY, -1, 0f, null);
        }
    }

    /** A command: anchor, generate, revert, commit, with the call that asked. */
    record Command(long seq, String address, int corner, String sound, float variance, Call call) {
    }

    /** A sender waiting for its request: {@code hasId} asks for /latent/ready, else only failures are told. */
    record Reply(long seq, String address, boolean hasId, int id, Call call) {
    }

    final int pad;
    final AtomicReference<Move> mailbox = new AtomicReference<>();
    final ConcurrentLinkedQueue<Object> queue = new ConcurrentLinkedQueue<>();
    private final ArrayDeque<Reply> replies = new ArrayDeque<>();
    private final AtomicLong seqs;
    /** The latest state the worker published, for presets; {@code null} when the pad is not latent. */
    volatile LatentPadState published;

    LatentSlot(int pad, AtomicLong seqs) {
        this.pad = pad;
        this.seqs = seqs;
    }

    long nextSeq() {
        return seqs.incrementAndGet();
    }

    /**
     * Puts a move, replacing an older unserved one (a move older than the one waiting, from a
     * sender that raced another, is dropped: its reply is answered with the newer sound); returns
     * whether a move was superseded.
     */
    boolean put(Move m) {
        while (true) {
            Move cur = mailbox.get();
            if (cur != null && cur.seq() > m.seq()) {
                return true;
            }
            if (mailbox.compareAndSet(cur, m)) {
                return cur != null;
            }
        }
    }

    /** A partial position (a value node moving x or y alone), merged into a pending position. */
    boolean putPartial(float x, float y, boolean withX, boolean withY) {
        while (true) {
            Move cur = mailbox.get();
            long seq = nextSeq();
            Move next = cur != null && cur.kind() == XY ? cur.merged(seq, x, y, withX, withY)
                    : new Move(seq, XY, x, y, withX, withY, -1, 0f, null);
            if (mailbox.compareAndSet(cur, next)) {
                return cur != null;
            }
        }
    }

    void command(Command c) {
        Move pending = mailbox.getAndSet(null);
        if (pending != null) {
            queue.add(pending);
        }
        queue.add(c);
    }

    /** Worker: the next thing to do, queue first (it holds what came before the pending move). */
    Object take() {
        Object q = queue.poll();
        return q != null ? q : mailbox.getAndSet(null);
    }

    boolean hasRequests() {
        return !queue.isEmpty() || mailbox.get() != null;
    }

    /**
     * Registers a sender waiting for the move it is about to put and returns that move's sequence
     * number: taken under the same lock as the append, so the replies stay in sequence order.
     */
    synchronized long awaitReply(String address, boolean hasId, int id, Call call) {
        long seq = nextSeq();
        replies.addLast(new Reply(seq, address, hasId, id, call));
        return seq;
    }

    /**
     * Every sender up to {@code seq}: its sound (or a newer one) is live at {@code frame}; then the
     * {@code /notify} subscribers, if {@code subscribers} is not {@code null}, hear the same pair
     * once, with the newest answered id (-1 when no sender asked for one: a value node's move).
     */
    void ready(long seq, float x, float y, long frame, BiConsumer<String, Object[]> subscribers) {
        int lastId = -1;
        for (Reply r; (r = next(seq)) != null;) {
            if (r.hasId()) {
                r.call().reply("/latent/pos", List.of(pad, x, y));
                r.call().reply("/latent/ready", List.of(pad, r.id(), frame));
                lastId = r.id();
            }
        }
        if (subscribers != null) {
            subscribers.accept("/latent/pos", new Object[] {pad, x, y});
            subscribers.accept("/latent/ready", new Object[] {pad, lastId, frame});
        }
    }

    /** Every sender up to {@code seq}: its request failed, nothing changed. */
    void fail(long seq, String reason) {
        for (Reply r; (r = next(seq)) != null;) {
            r.call().fail(r.address(), "pad " + pad, reason);
        }
    }

    private synchronized Reply next(long seq) {
        Reply r = replies.peekFirst();
        if (r == null || r.seq() > seq) {
            return null;
        }
        return replies.pollFirst();
    }
}
