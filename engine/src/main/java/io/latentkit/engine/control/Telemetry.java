package io.latentkit.engine.control;

import java.nio.ByteBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.agrona.concurrent.broadcast.BroadcastBufferDescriptor;
import org.agrona.concurrent.broadcast.BroadcastReceiver;
import org.agrona.concurrent.broadcast.BroadcastTransmitter;

/**
 * The one stream on which the render thread reports what it did (sync acknowledgements, voice
 * starts, meters, beats, parameter and tempo changes), as fixed binary records in an Agrona
 * broadcast buffer. Every follower (OSC replies and {@code /notify}, the web console, MIDI pick-up,
 * the tempo follower) reads the whole stream through a {@link TelemetryReader} of its own; the
 * render thread never waits for any of them. A follower that falls more than the buffer behind is
 * lapped: it loses the oldest records and counts them.
 *
 * <p>Threading: the {@code publish*} methods are for the render thread only (single producer);
 * each reader belongs to one thread. {@link #poll} reads through the default reader, created with
 * the stream, for the one thread that owns it (the OSC receiver in the server).
 */
public final class Telemetry {
    static final int SYNCED = 1;
    static final int VOICE_STARTED = 2;
    static final int METER = 3;
    static final int BEAT = 4;
    static final int PARAM = 5;
    static final int TEMPO = 6;
    static final int PATTERN_STEP = 7;

    private final UnsafeBuffer buffer;
    private final BroadcastTransmitter transmitter;
    /** Render thread's scratch record; transmit copies it into the broadcast buffer. */
    private final UnsafeBuffer record = new UnsafeBuffer(ByteBuffer.allocateDirect(64));
    private final TelemetryReader defaultReader;

    public Telemetry(int capacityBytes) {
        int cap = Integer.highestOneBit(Math.max(1024, capacityBytes));
        buffer = new UnsafeBuffer(ByteBuffer.allocateDirect(cap + BroadcastBufferDescriptor.TRAILER_LENGTH));
        transmitter = new BroadcastTransmitter(buffer);
        defaultReader = newReader();
    }

    /**
     * A new follower of the stream, from the most recent record on (Agrona's receivers start at the
     * latest record). Any thread; the reader then belongs to the thread that polls it.
     */
    public TelemetryReader newReader() {
        return new TelemetryReader(new BroadcastReceiver(buffer));
    }

    /**
     * Times the default reader fell a whole buffer behind and lost records. Any thread.
     */
    public long dropped() {
        return defaultReader.lost();
    }

    /**
     * Hands up to {@code limit} records to {@code handler} through the default reader; returns how
     * many. Only the one thread that owns the default reader.
     */
    public int poll(TelemetryHandler handler, int limit) {
        return defaultReader.poll(handler, limit);
    }

    /** Render thread only. */
    public void publishSynced(long id, long frame) {
        record.putLong(0, id);
        record.putLong(8, frame);
        transmitter.transmit(SYNCED, record, 0, 16);
    }

    /** Render thread only. */
    public void publishVoiceStarted(long tag, int pad, long frame) {
        record.putLong(0, tag);
        record.putLong(8, frame);
        record.putInt(16, pad);
        transmitter.transmit(VOICE_STARTED, record, 0, 24);
    }

    /** Render thread only. */
    public void publishMeter(float peakLeft, float peakRight, int voices, long frame) {
        record.putLong(0, frame);
        record.putFloat(8, peakLeft);
        record.putFloat(12, peakRight);
        record.putInt(16, voices);
        transmitter.transmit(METER, record, 0, 24);
    }

    /** Render thread only. */
    public void publishBeat(long beat, long frame) {
        record.putLong(0, beat);
        record.putLong(8, frame);
        transmitter.transmit(BEAT, record, 0, 16);
    }

    /** A pad parameter now has {@code value} (after a change or a kit swap). Render thread only. */
    public void publishParam(int pad, int param, float value, long frame) {
        record.putLong(0, frame);
        record.putInt(8, pad);
        record.putInt(12, param);
        record.putFloat(16, value);
        transmitter.transmit(PARAM, record, 0, 24);
    }

    /** The sequencer is on a beat: {@code bar} of its chain, {@code tick} in the bar. Render thread only. */
    public void publishPatternStep(int bar, int tick, long frame) {
        record.putLong(0, frame);
        record.putInt(8, bar);
        record.putInt(12, tick);
        transmitter.transmit(PATTERN_STEP, record, 0, 16);
    }

    /** The tempo is now {@code bpm}. Render thread only. */
    public void publishTempo(float bpm, long frame) {
        record.putLong(0, frame);
        record.putFloat(8, bpm);
        transmitter.transmit(TEMPO, record, 0, 16);
    }
}
