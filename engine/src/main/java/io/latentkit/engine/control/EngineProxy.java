package io.latentkit.engine.control;

import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.PadParam;
import io.latentkit.core.namespace.Namespace;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The sending side of the engine's control ring: every thread that wants the render thread to do
 * something (OSC receivers, MIDI input, the loader, the sequencer of a script) calls a method
 * here, which fills one pre-allocated event and publishes it.
 *
 * <p>Threading: any thread, any number of them (the ring is multi-producer). Never blocks and never
 * allocates: when the ring is full the call returns {@code false} and the drop is counted, since a
 * performer is better served by a missing hit than by a stalled receiver.
 */
public final class EngineProxy {
    /** Target frame meaning "as soon as possible": the start of the next rendered block. */
    public static final long ASAP = Namespace.ASAP;
    /** The source of control that belongs to no particular input (OSC, scripts). */
    public static final int NO_SOURCE = 0;

    private final RingBuffer<ControlEvent> ring;
    private final AtomicLong ringFullDrops;

    EngineProxy(RingBuffer<ControlEvent> ring, AtomicLong ringFullDrops) {
        this.ring = ring;
        this.ringFullDrops = ringFullDrops;
    }

    /** Starts a voice on {@code pad} (0..11) at {@code atFrame} with velocity 0..1. */
    public boolean trigger(int pad, float velocity, long atFrame) {
        return trigger(pad, velocity, atFrame, 0L);
    }

    /**
     * As {@link #trigger(int, float, long)}, and telemetry reports {@code tag} with the frame at
     * which the voice started (used to measure control latency); 0 means no report.
     */
    public boolean trigger(int pad, float velocity, long atFrame, long tag) {
        return trigger(pad, velocity, atFrame, tag, NO_SOURCE);
    }

    /**
     * As {@link #trigger(int, float, long, long)}, for voices started by input {@code source} (a
     * positive id, e.g. one per MIDI device), which {@link #releaseSource} can fade alone.
     */
    public boolean trigger(int pad, float velocity, long atFrame, long tag, int source) {
        checkPad(pad);
        return publish(ControlEvent.TRIGGER, atFrame, pad, velocity, 0, 0f, tag, source, null);
    }

    /**
     * Fades out, at {@code atFrame}, every voice that input {@code source} started, and no other:
     * a controller unplugged mid-show releases its own notes without touching anyone else's.
     */
    public boolean releaseSource(int source, long atFrame) {
        return publish(ControlEvent.RELEASE_SOURCE, atFrame, 0, 0f, 0, 0f, 0L, source, null);
    }

    /** Sets a pad parameter at {@code atFrame}; the value is clamped into the parameter's range. */
    public boolean setPadParam(int pad, PadParam param, float value, long atFrame) {
        checkPad(pad);
        Objects.requireNonNull(param, "param");
        return publish(ControlEvent.PAD_PARAM, atFrame, pad, 0f, param.ordinal(), value, 0L, NO_SOURCE, null);
    }

    /**
     * Swaps in a fully built kit at {@code atFrame}. The old kit's voices fade out over the kit
     * crossfade; the old kit then comes back through the engine's return ring to be freed off the
     * render thread. The kit must be at the engine's sample rate and must not be shared with
     * another engine.
     */
    public boolean swapKit(Kit kit, long atFrame) {
        Objects.requireNonNull(kit, "kit");
        return publish(ControlEvent.KIT_SWAP, atFrame, 0, 0f, 0, 0f, 0L, NO_SOURCE, kit);
    }

    /**
     * Applies a staged command's {@link Stage} at {@code atFrame}, as one event: everything it
     * carries takes effect in the same block, or (refused, beyond the horizon) none of it. The
     * stage comes back through the engine's applied-stage queue either way.
     */
    public boolean stage(Stage stage, long atFrame) {
        Objects.requireNonNull(stage, "stage");
        return publish(ControlEvent.STAGE, atFrame, 0, 0f, 0, 0f, 0L, NO_SOURCE, stage);
    }

    /** Sets the tempo in beats per minute (20..400) at {@code atFrame}. */
    public boolean setTempo(float bpm, long atFrame) {
        if (!(bpm >= 20f && bpm <= 400f)) {
            throw new IllegalArgumentException("tempo must be 20..400 BPM, got " + bpm);
        }
        return publish(ControlEvent.TEMPO, atFrame, 0, 0f, 0, bpm, 0L, NO_SOURCE, null);
    }

    /**
     * A sequencer control at {@code atFrame}: operation {@code op} with a row, a value and a long
     * argument; use {@code engine.sequence.SequencerProxy}, which checks them.
     */
    public boolean sequence(int op, int row, float value, long arg, long atFrame) {
        return publish(ControlEvent.SEQUENCE, atFrame, row, value, op, 0f, arg, NO_SOURCE, null);
    }

    /**
     * Publishes an event with every field given, as a control-log player replays a recorded one
     * (issue 17): {@code type} one of {@link ControlEvent}'s types, unchecked beyond that.
     */
    public boolean republish(int type, long atFrame, int pad, float velocity, int param, float value, long tag,
            int source, Object ref) {
        if (type < ControlEvent.TRIGGER) {
            throw new IllegalArgumentException("unknown event type " + type);
        }
        return publish(type, atFrame, pad, velocity, param, value, tag, source, ref);
    }

    /** Fades out every sounding voice at {@code atFrame} (panic). */
    public boolean stopAll(long atFrame) {
        return publish(ControlEvent.STOP_ALL, atFrame, 0, 0f, 0, 0f, 0L, NO_SOURCE, null);
    }

    /**
     * Asks the render thread to report {@code id} through telemetry once it has handled every event
     * published before this one (immediate events; scheduled ones are queued by then).
     */
    public boolean sync(long id) {
        return publish(ControlEvent.SYNC, ASAP, 0, 0f, 0, 0f, id, NO_SOURCE, null);
    }

    /**
     * Asks the render thread to copy its performance state into {@code snapshot} at the next block
     * boundary (after the events published before this one); wait for it with
     * {@link EngineSnapshot#await}.
     */
    public boolean snapshot(EngineSnapshot snapshot) {
        Objects.requireNonNull(snapshot, "snapshot");
        return publish(ControlEvent.SNAPSHOT, ASAP, 0, 0f, 0, 0f, 0L, NO_SOURCE, snapshot);
    }

    /** Drops counted so far because the ring was full. */
    public long ringFullDrops() {
        return ringFullDrops.get();
    }

    /**
     * Claims a slot, fills every field (a slot is reused, so nothing may be left from its last
     * event) and publishes it; {@code false} when the ring is full. Allocation-free.
     */
    private boolean publish(int type, long atFrame, int pad, float velocity, int param, float value, long tag,
            int source, Object ref) {
        long seq = claim();
        if (seq < 0) {
            return false;
        }
        ControlEvent e = ring.get(seq);
        e.type = type;
        e.frame = atFrame;
        e.pad = pad;
        e.velocity = velocity;
        e.param = param;
        e.value = value;
        e.tag = tag;
        e.source = source;
        e.ref = ref;
        ring.publish(seq);
        return true;
    }

    private static void checkPad(int pad) {
        if (pad < 0 || pad >= DrumClass.COUNT) {
            throw new IllegalArgumentException("pad must be 0.." + (DrumClass.COUNT - 1) + ", got " + pad);
        }
    }

    private long claim() {
        try {
            return ring.tryNext();
        } catch (InsufficientCapacityException full) {
            // The shared singleton exception carries no stack trace: this path allocates nothing.
            ringFullDrops.incrementAndGet();
            return -1;
        }
    }
}
