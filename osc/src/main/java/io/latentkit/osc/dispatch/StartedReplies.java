package io.latentkit.osc.dispatch;

import io.latentkit.osc.OscCounters;
import io.latentkit.osc.codec.OscMessageWriter;
import io.latentkit.osc.transport.OscPeer;

/**
 * The {@code /started} replies of hits that asked for one ({@code /hit ,ifi pad velocity id}):
 * {@code /started ,iihh id pad frame target} when the render thread reports the voice started, or
 * {@code /fail ,sis /hit id reason} when it was refused or no voice started within a second of
 * engine time after it was due. Pending hits sit in a bounded table.
 *
 * <p>Threading: receiver thread only; allocation-free per hit.
 */
final class StartedReplies {
    /** Hits waiting for their {@code /started} reply; a full table plays further hits unreported. */
    static final int MAX_PENDING = 1024;

    private static final byte[] STARTED = OscMessageWriter.ascii("/started");
    private static final byte[] COMMA_IIHH = OscMessageWriter.ascii(",iihh");
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

    /** A voice started: answers its hit if it asked. */
    void onVoiceStarted(long tag, int pad, long frame) {
        int slot = starts.find(tag);
        if (slot < 0) {
            return; // a plain hit's receive time, or an entry already expired
        }
        replies.writer().begin(STARTED, COMMA_IIHH).putInt(starts.replyId(slot)).putInt(pad).putLong(frame)
                .putLong(starts.targetFrame(slot));
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
