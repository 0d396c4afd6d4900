package io.latentkit.perf.models;

import io.latentkit.models.latent.LatentTrace;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;

/**
 * Where a move's time goes between its datagram and its {@code /latent/ready}: the agent's
 * {@link LatentTrace} hops of every move, joined with the benchmark's send and receive times, as
 * percentiles per hop. The render thread's application of a stage is not timed (the render thread
 * must not be instrumented): the hop from the control ring to the completed future holds the wait
 * for the next block and the completion; the frame the sound is live from, against the frame the
 * engine had rendered at the publication, is given apart (in time at 48 kHz).
 *
 * <p>Threading: {@link #hop} from any thread (the agent's); {@link #print} after the gesture.
 */
final class LatentHops implements LatentTrace {
    private static final int RECEIVED_AT = 0;
    private static final int TAKEN_AT = 1;
    private static final int SOUND_AT = 2;
    private static final int PUBLISHED_AT = 3;
    private static final int COMPLETED_AT = 4;
    private static final int ID = 5;
    private static final int LIVE_FRAME = 6;
    private static final int FRAME_AT_PUBLISH = 7;

    private final Map<Long, long[]> bySeq = new ConcurrentHashMap<>();
    private final LongSupplier framePosition;
    private final int rateHz;

    LatentHops(LongSupplier framePosition, int rateHz) {
        this.framePosition = framePosition;
        this.rateHz = rateHz;
    }

    @Override
    public void hop(long seq, int hop, long nanos, long arg) {
        long[] h = bySeq.computeIfAbsent(seq, k -> {
            long[] a = new long[8];
            a[ID] = Long.MIN_VALUE;
            return a;
        });
        synchronized (h) {
            if (h[hop] != 0) {
                return; // a refinement re-publishes its seq: the first answer is the one the sender got
            }
            h[hop] = nanos;
            switch (hop) {
                case RECEIVED -> h[ID] = arg;
                case PUBLISHED -> h[FRAME_AT_PUBLISH] = framePosition.getAsLong();
                case COMPLETED -> h[LIVE_FRAME] = arg;
                default -> {
                }
            }
        }
    }

    /** Prints the hops of the moves with ids {@code firstId ..}; times are {@link System#nanoTime()}. */
    void print(int firstId, long[] sentAt, long[] readyAt) {
        String[] names = {"datagram -> agent (UDP, OSC thread)", "agent -> worker takes it (mailbox wait)",
            "worker: sound ready (decode)", "sound -> stage on the control ring",
            "ring -> completed (next block, then completion)", "completed -> ready datagram received",
            "total, moves served", "total, moves superseded (answered by a newer one)",
            "sound live: ring -> block it is live from (est.)"};
        Histogram[] hs = new Histogram[names.length];
        for (int i = 0; i < hs.length; i++) {
            hs[i] = new Histogram(60_000_000_000L, 3);
        }
        int served = 0;
        int superseded = 0;
        for (long[] h : bySeq.values()) {
            int i = (int) (h[ID] - firstId);
            if (h[ID] == Long.MIN_VALUE || i < 0 || i >= sentAt.length || readyAt[i] == 0) {
                continue;
            }
            if (h[TAKEN_AT] == 0 || h[COMPLETED_AT] == 0) {
                superseded++;
                hs[7].recordValue(Math.max(0, readyAt[i] - sentAt[i]));
                continue;
            }
            served++;
            long[] at = {sentAt[i], h[RECEIVED_AT], h[TAKEN_AT], h[SOUND_AT], h[PUBLISHED_AT], h[COMPLETED_AT], readyAt[i]};
            for (int k = 0; k < 6; k++) {
                hs[k].recordValue(Math.max(0, at[k + 1] - at[k]));
            }
            hs[6].recordValue(Math.max(0, readyAt[i] - sentAt[i]));
            hs[8].recordValue(Math.max(0, (h[LIVE_FRAME] - h[FRAME_AT_PUBLISH]) * 1_000_000_000L / rateHz));
        }
        System.out.printf(Locale.ROOT, "where the time goes (%d moves served, %d superseded), ms:%n", served, superseded);
        System.out.printf(Locale.ROOT, "  %-52s %7s %7s %7s %7s%n", "hop", "p50", "p90", "p99", "max");
        for (int k = 0; k < names.length; k++) {
            Histogram h = hs[k];
            if (h.getTotalCount() == 0) {
                continue;
            }
            System.out.printf(Locale.ROOT, "  %-52s %7.2f %7.2f %7.2f %7.2f%n", names[k], h.getValueAtPercentile(50) / 1e6,
                    h.getValueAtPercentile(90) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6);
        }
    }

    void clear() {
        bySeq.clear();
    }
}
