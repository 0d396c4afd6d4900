package io.latentkit.engine.control;

/**
 * One pre-allocated slot of the control ring (and of the render thread's scheduler). Producers
 * fill it through {@link EngineProxy}; the render thread copies it out in its poll handler, so a
 * slot is reused as soon as the handler returns.
 *
 * <p>Threading: a slot belongs to the producer between {@code tryNext} and {@code publish}, and to
 * the render thread between its publication and the poller's sequence update.
 */
public final class ControlEvent {
    /** A voice starts on a pad. */
    public static final int TRIGGER = 1;
    /** A pad parameter changes. */
    public static final int PAD_PARAM = 2;
    /** A new kit replaces the active one; {@link #ref} holds it. */
    public static final int KIT_SWAP = 3;
    /** Tempo changes; {@link #value} holds beats per minute. */
    public static final int TEMPO = 4;
    /** Every sounding voice fades out. */
    public static final int STOP_ALL = 5;
    /** Telemetry acknowledges {@link #tag} once every earlier event was handled. */
    public static final int SYNC = 6;
    /** The render thread copies its performance state into the {@link EngineSnapshot} in {@link #ref}. */
    public static final int SNAPSHOT = 7;
    /** Every voice started by {@link #source} fades out. */
    public static final int RELEASE_SOURCE = 8;
    /** A staged command's {@link Stage} in {@link #ref} takes effect as a whole. */
    public static final int STAGE = 9;
    /**
     * A sequencer control ({@code engine.sequence.SequencerProxy}): {@link #param} the operation,
     * {@link #pad} the row, {@link #velocity} a value, {@link #tag} a tick, position or pulse.
     */
    public static final int SEQUENCE = 10;

    public int type;
    /** Absolute engine frame, or {@link EngineProxy#ASAP}. */
    public long frame;
    public int pad;
    public float velocity;
    public int param;
    public float value;
    /** A caller's identifier echoed in telemetry (trigger tag, sync id); 0 for none. */
    public long tag;
    /** The input that sent a trigger (a MIDI device), so its voices can be released alone; 0 for none. */
    public int source;
    /** A large object handed over by reference (a kit); cleared once copied out. */
    public Object ref;
    /** Arrival order, set by the render thread: ties in frame play in arrival order. */
    public long seq;

    /** Copies every field of {@code o} into this slot. Allocation-free. */
    public void copyFrom(ControlEvent o) {
        type = o.type;
        frame = o.frame;
        pad = o.pad;
        velocity = o.velocity;
        param = o.param;
        value = o.value;
        tag = o.tag;
        source = o.source;
        ref = o.ref;
        seq = o.seq;
    }

    /** Drops the object reference so that the slot does not keep a retired kit alive. */
    public void clearRef() {
        ref = null;
    }
}
