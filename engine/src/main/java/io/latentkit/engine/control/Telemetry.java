package io.latentkit.engine.control;

import java.nio.ByteBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.MessageHandler;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.ringbuffer.OneToOneRingBuffer;
import org.agrona.concurrent.ringbuffer.RingBufferDescriptor;

/**
 * The lock-free ring on which the render thread reports what it did (sync acknowledgements, voice
 * starts, meters, beats) as fixed binary records in an Agrona ring buffer. Writing claims space
 * in place and never allocates; a full ring drops the record and counts it.
 *
 * <p>Threading: the {@code publish*} methods are for the render thread only (single producer);
 * {@link #poll} is for one consumer thread.
 */
public final class Telemetry {
    static final int SYNCED = 1;
    static final int VOICE_STARTED = 2;
    static final int METER = 3;
    static final int BEAT = 4;

    private final OneToOneRingBuffer ring;
    private final Reader reader = new Reader();
    private long dropped;
    private volatile long droppedPublished;

    public Telemetry(int capacityBytes) {
        int cap = Integer.highestOneBit(Math.max(1024, capacityBytes));
        ring = new OneToOneRingBuffer(new UnsafeBuffer(
                ByteBuffer.allocateDirect(cap + RingBufferDescriptor.TRAILER_LENGTH)));
    }

    /** Records dropped because the consumer fell behind. Any thread. */
    public long dropped() {
        return droppedPublished;
    }

    /**
     * Hands up to {@code limit} records to {@code handler}; returns how many. One consumer thread
     * only.
     */
    public int poll(TelemetryHandler handler, int limit) {
        reader.handler = handler;
        try {
            return ring.read(reader, limit);
        } finally {
            reader.handler = null;
        }
    }

    /** Render thread only. */
    public void publishSynced(long id, long frame) {
        int i = ring.tryClaim(SYNCED, 16);
        if (i < 0) {
            drop();
            return;
        }
        MutableDirectBuffer b = ring.buffer();
        b.putLong(i, id);
        b.putLong(i + 8, frame);
        ring.commit(i);
    }

    /** Render thread only. */
    public void publishVoiceStarted(long tag, int pad, long frame) {
        int i = ring.tryClaim(VOICE_STARTED, 24);
        if (i < 0) {
            drop();
            return;
        }
        MutableDirectBuffer b = ring.buffer();
        b.putLong(i, tag);
        b.putLong(i + 8, frame);
        b.putInt(i + 16, pad);
        ring.commit(i);
    }

    /** Render thread only. */
    public void publishMeter(float peakLeft, float peakRight, int voices, long frame) {
        int i = ring.tryClaim(METER, 24);
        if (i < 0) {
            drop();
            return;
        }
        MutableDirectBuffer b = ring.buffer();
        b.putLong(i, frame);
        b.putFloat(i + 8, peakLeft);
        b.putFloat(i + 12, peakRight);
        b.putInt(i + 16, voices);
        ring.commit(i);
    }

    /** Render thread only. */
    public void publishBeat(long beat, long frame) {
        int i = ring.tryClaim(BEAT, 16);
        if (i < 0) {
            drop();
            return;
        }
        MutableDirectBuffer b = ring.buffer();
        b.putLong(i, beat);
        b.putLong(i + 8, frame);
        ring.commit(i);
    }

    private void drop() {
        droppedPublished = ++dropped;
    }

    /** Adapts Agrona's message callback to the typed handler; reused, so polling allocates nothing. */
    private static final class Reader implements MessageHandler {
        TelemetryHandler handler;

        @Override
        public void onMessage(int type, MutableDirectBuffer b, int i, int length) {
            switch (type) {
                case SYNCED -> handler.onSynced(b.getLong(i), b.getLong(i + 8));
                case VOICE_STARTED -> handler.onVoiceStarted(b.getLong(i), b.getInt(i + 16), b.getLong(i + 8));
                case METER -> handler.onMeter(b.getFloat(i + 8), b.getFloat(i + 12), b.getInt(i + 16), b.getLong(i));
                case BEAT -> handler.onBeat(b.getLong(i), b.getLong(i + 8));
                default -> {
                    // Unknown record types are skipped: a newer writer never breaks an older reader.
                }
            }
        }
    }
}
