package io.latentkit.osc.dispatch;

import io.latentkit.osc.OscCounters;
import io.latentkit.osc.codec.OscMessageWriter;
import io.latentkit.osc.transport.OscPeer;

/**
 * The {@code /started} replies of hits that asked for one ({@code /hit ,ifi pad velocity id}):
 * {@code /started ,iihh id pad frame target} when the render thread reports the voice started, or
 * {@code /fail ,sis /hit id reason} when it was refused or no voice started within a second of
 * engine time after it was due. Pending hits sit in a bounded table. A sender that asked with
 * {@code /format/started 1} gets {@code /started ,iiiiii id pad frame_hi frame_lo target_hi target_lo}
 * instead, each half below 2^24 so that a 32-bit float holds it exactly (Pure Data's {@code oscparse}
 * reads no {@code h} and turns every int32 into a float).
 *
 * <p>Threading: receiver thread only; allocation-free per hit.
 */
final class StartedReplies {
    /** Hits waiting for their {@code /started} reply; a full table plays further hits unreported. */
    static final int MAX_PENDING = 1024;

    private static final byte[] STARTED = OscMessageWriter.ascii("/started");
    private static final byte[] COMMA_IIHH = OscMessageWriter.ascii(",iihh");
    private static final byte[] COMMA_IIIIII = OscMessageWriter.ascii(",iiiiii");
    /** {@code /started} frames as int64 (the default). */
    static final int FORMAT_INT64 = 0;
    /** {@code /started} frames as two int32 each below 2^24: {@code frame = hi * 2^24 + lo}. */
    static final int FORMAT_SPLIT24 = 1;
    /** Senders that may choose the split format at once (a full table refuses more). */
    static final int MAX_SPLIT_SENDERS = 64;
    private static final int SPLIT_BITS = 24;
    private static final long SPLIT_MASK = (1L << SPLIT_BITS) - 1;
    private static final byte[] FAIL = OscMessageWriter.ascii("/fail");
    private static final byte[] COMMA_SIS = OscMessageWriter.ascii(",sis");
    private static final byte[] HIT = OscMessageWriter.ascii("/hit");
    static final byte[] WHY_HORIZON = OscMessageWriter.ascii("timetag beyond the scheduling horizon");
    static final byte[] WHY_BUSY = OscMessageWriter.ascii("engine busy");
    static final byte[] WHY_SILENT = OscMessageWriter.ascii("velocity 0 starts no voice");
    private static final byte[] WHY_FULL = OscMessageWriter.ascii("too many pending /started replies; the hit was played");
    private static final byte[] WHY_EXPIRED = OscMessageWriter.ascii(
            "no voice started (empty or muted pad, or the engine dropped the trigger)");

    private final PendingStarts starts = new PendingStarts(MAX_PENDING);
    private final Replies replies;
    private final OscCounters counters;
    private final long graceFrames;
    private final OscPeer[] splitSenders = new OscPeer[MAX_SPLIT_SENDERS];
    private int splitCount;

    /** @param graceFrames how long after its due frame a voice may start before the hit expires */
    StartedReplies(Replies replies, OscCounters counters, long graceFrames) {
        this.replies = replies;
        this.counters = counters;
        this.graceFrames = graceFrames;
    }

    /**
     * Registers a hit that asked for a reply and returns the tag its trigger must carry, or 0 when
     * the table is full (then the sender has been told, and the hit plays untracked).
     */
    long track(int replyId, OscPeer from, long dueFrame, long targetFrame) {
        long t = starts.add(replyId, from, dueFrame, targetFrame);
        if (t == 0L) {
            counters.countStartedUntracked();
            fail(from, replyId, WHY_FULL);
        }
        return t;
    }

    /** The engine did not take the trigger carrying {@code tag}: the sender is told, the entry freed. */
    void refused(long tag, OscPeer from, int replyId) {
        int slot = starts.find(tag);
        if (slot >= 0) {
            starts.remove(slot);
            fail(from, replyId, WHY_BUSY);
        }
    }

    /** {@code /fail ,sis /hit id reason}; allocation-free. */
    void fail(OscPeer to, int replyId, byte[] why) {
        replies.writer().begin(FAIL, COMMA_SIS).putString(HIT).putInt(replyId).putString(why);
        replies.send(to);
    }

    /** Sets the form of {@code from}'s /started replies; false when the table of split senders is full. */
    boolean format(OscPeer from, int form) {
        int i = splitIndex(from);
        if (form == FORMAT_INT64) {
            if (i >= 0) {
                splitSenders[i] = splitSenders[--splitCount];
                splitSenders[splitCount] = null;
            }
            return true;
        }
        if (i >= 0) {
            return true;
        }
        if (splitCount == MAX_SPLIT_SENDERS) {
            return false;
        }
        splitSenders[splitCount++] = from.retain();
        return true;
    }

    private int splitIndex(OscPeer p) {
        for (int i = 0; i < splitCount; i++) {
            if (splitSenders[i].equals(p)) {
                return i;
            }
        }
        return -1;
    }

    /** A voice started: answers its hit if it asked. */
    void onVoiceStarted(long tag, int pad, long frame) {
        int slot = starts.find(tag);
        if (slot < 0) {
            return; // a plain hit's receive time, or an entry already expired
        }
        long target = starts.targetFrame(slot);
        if (splitCount > 0 && splitIndex(starts.peer(slot)) >= 0) {
            replies.writer().begin(STARTED, COMMA_IIIIII).putInt(starts.replyId(slot)).putInt(pad)
                    .putInt((int) (frame >> SPLIT_BITS)).putInt((int) (frame & SPLIT_MASK))
                    .putInt((int) (target >> SPLIT_BITS)).putInt((int) (target & SPLIT_MASK));
        } else {
            replies.writer().begin(STARTED, COMMA_IIHH).putInt(starts.replyId(slot)).putInt(pad).putLong(frame)
                    .putLong(target);
        }
        replies.send(starts.peer(slot));
        starts.remove(slot);
    }

    int count() {
        return starts.count();
    }

    /**
     * Answers {@code /fail} for every hit whose voice should have started more than the grace before
     * {@code frame} and did not (its report would have been read by now), and counts each.
     */
    int expire(long frame) {
        int expired = 0;
        for (int slot = 0; slot < starts.capacity(); slot++) {
            if (starts.inUse(slot) && frame - starts.dueFrame(slot) > graceFrames) {
                // Counted before the reply goes out, so a client that reads /status after its
                // /fail sees the count.
                counters.countStartedExpired();
                fail(starts.peer(slot), starts.replyId(slot), WHY_EXPIRED);
                starts.remove(slot);
                expired++;
            }
        }
        return expired;
    }
}
