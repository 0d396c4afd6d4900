package io.latentkit.engine.control;

import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.broadcast.BroadcastReceiver;

/**
 * One follower of the engine's {@link Telemetry} stream: reads every record published after it was
 * created, in order, and hands each to a {@link TelemetryHandler}. Reading never blocks the render
 * thread; a reader that falls a whole buffer behind loses the oldest records; {@link #lost()} counts
 * the times that happened.
 *
 * <p>Threading: one thread polls a reader; {@link #lost()} from any thread. Polling allocates
 * nothing.
 */
public final class TelemetryReader {
    private final BroadcastReceiver receiver;
    private volatile long lostPublished;
    private long lappedSeen;

    TelemetryReader(BroadcastReceiver receiver) {
        this.receiver = receiver;
    }

    /** Times this reader fell a whole buffer behind and lost records. Any thread. */
    public long lost() {
        return lostPublished;
    }

    /** Hands up to {@code limit} records to {@code handler}; returns how many. Owner thread only. */
    public int poll(TelemetryHandler handler, int limit) {
        int n = 0;
        while (n < limit && receiver.receiveNext()) {
            MutableDirectBuffer b = receiver.buffer();
            int i = receiver.offset();
            int type = receiver.typeId();
            // Read the fields first, then check the transmitter has not overwritten them meanwhile.
            long l0 = b.getLong(i);
            long l1 = receiver.length() >= 16 ? b.getLong(i + 8) : 0L;
            int i16 = receiver.length() >= 24 ? b.getInt(i + 16) : 0;
            if (!receiver.validate()) {
                countLapped();
                continue;
            }
            dispatch(handler, type, l0, l1, i16);
            n++;
        }
        if (receiver.lappedCount() != lappedSeen) {
            countLapped();
        }
        return n;
    }

    private void countLapped() {
        lappedSeen = receiver.lappedCount();
        lostPublished = lostPublished + 1;
    }

    private static void dispatch(TelemetryHandler handler, int type, long l0, long l1, int i16) {
        switch (type) {
            case Telemetry.SYNCED -> handler.onSynced(l0, l1);
            case Telemetry.VOICE_STARTED -> handler.onVoiceStarted(l0, i16, l1);
            case Telemetry.METER -> handler.onMeter(Float.intBitsToFloat((int) l1), Float.intBitsToFloat((int) (l1 >>> 32)),
                    i16, l0);
            case Telemetry.BEAT -> handler.onBeat(l0, l1);
            case Telemetry.PARAM -> handler.onParam((int) l1, (int) (l1 >>> 32), Float.intBitsToFloat(i16), l0);
            case Telemetry.TEMPO -> handler.onTempo(Float.intBitsToFloat((int) l1), l0);
            case Telemetry.PATTERN_STEP -> handler.onPatternStep((int) l1, (int) (l1 >>> 32), l0);
            default -> {
                // Unknown record types are skipped: a newer writer never breaks an older reader.
            }
        }
    }
}
