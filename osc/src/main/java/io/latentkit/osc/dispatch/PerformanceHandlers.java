package io.latentkit.osc.dispatch;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.PadParam;
import io.latentkit.core.namespace.Node;
import io.latentkit.core.namespace.Range;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.osc.DropReason;
import io.latentkit.osc.OscCounters;
import io.latentkit.osc.codec.OscMessageView;
import io.latentkit.osc.transport.OscPeer;

/**
 * What a performer plays and sets, handled without allocating a byte: {@code /hit},
 * {@code /hit/<class>}, {@code /note}, {@code /pad/<n>/<param>} and the one-number value nodes of
 * the namespace ({@code /tempo}, ...). Each publishes through the {@link EngineProxy} at the frame
 * its bundle's timetag maps to.
 *
 * <p>Threading: receiver thread only.
 */
final class PerformanceHandlers {
    private final EngineProxy proxy;
    private final TimetagFrames frames;
    private final OscCounters counters;
    private final StartedReplies started;

    PerformanceHandlers(EngineProxy proxy, TimetagFrames frames, OscCounters counters, StartedReplies started) {
        this.proxy = proxy;
        this.frames = frames;
        this.counters = counters;
        this.started = started;
    }

    /** {@code /hit ,i[f[i]]}: pad 0..11, velocity 0..1 (default 1), reply id ({@code /started}). */
    void onHit(OscMessageView m, long tt, OscPeer from, long receiveNanos) {
        if (!m.isNumber(0)) {
            counters.drop(DropReason.BAD_ARGUMENTS);
            return;
        }
        int pad = m.intArg(0);
        if (pad < 0 || pad >= DrumClass.COUNT) {
            counters.drop(DropReason.BAD_ARGUMENTS);
            return;
        }
        trigger(pad, m, 1, tt, from, receiveNanos);
    }

    /** {@code /hit/<class> [,f[i]]}: velocity 0..1 (default 1), reply id ({@code /started}). */
    void onHitClass(int pad, OscMessageView m, long tt, OscPeer from, long receiveNanos) {
        trigger(pad, m, 0, tt, from, receiveNanos);
    }

    /** {@code /note ,i[f[i]]}: General MIDI percussion note, velocity 0..1 (default 1), reply id. */
    void onNote(OscMessageView m, long tt, OscPeer from, long receiveNanos) {
        if (!m.isNumber(0)) {
            counters.drop(DropReason.BAD_ARGUMENTS);
            return;
        }
        int pad = DrumClass.padForGmNote(m.intArg(0));
        if (pad < 0) {
            counters.drop(DropReason.BAD_ARGUMENTS);
            return;
        }
        trigger(pad, m, 1, tt, from, receiveNanos);
    }

    /**
     * Publishes a trigger. A number after the velocity is a reply id: the sender then gets
     * {@code /started} or {@code /fail} (see {@link StartedReplies}). Without it the trigger is
     * tagged with its receive time, so telemetry can report handoff latency.
     */
    private void trigger(int pad, OscMessageView m, int velocityArg, long tt, OscPeer from, long receiveNanos) {
        float velocity = 1f;
        if (m.argCount() > velocityArg) {
            if (!m.isNumber(velocityArg)) {
                counters.drop(DropReason.BAD_ARGUMENTS);
                return;
            }
            velocity = m.floatArg(velocityArg);
            if (velocity != velocity) {
                counters.drop(DropReason.BAD_ARGUMENTS);
                return;
            }
            velocity = Math.max(0f, Math.min(1f, velocity));
        }
        int idArg = velocityArg + 1;
        // Only a number there asks for a reply: anything else after the velocity is ignored, as before.
        boolean wantsReply = m.argCount() > idArg && m.isNumber(idArg);
        int replyId = wantsReply ? m.intArg(idArg) : 0;
        long frame = frames.frameFor(tt);
        if (frame == TimetagFrames.REFUSED) {
            if (wantsReply) {
                started.fail(from, replyId, StartedReplies.WHY_HORIZON);
            }
            return;
        }
        long tag = receiveNanos;
        boolean tracked = false;
        if (wantsReply) {
            if (!(velocity > 0f)) {
                started.fail(from, replyId, StartedReplies.WHY_SILENT);
            } else {
                long now = frames.clock().currentFrame();
                long due = frame == EngineProxy.ASAP ? now : Math.max(frame, now);
                long t = started.track(replyId, from, due, frame == EngineProxy.ASAP ? PendingStarts.NO_TARGET : frame);
                if (t != 0L) {
                    tag = t;
                    tracked = true;
                }
            }
        }
        if (proxy.trigger(pad, velocity, frame, tag)) {
            counters.message();
        } else {
            counters.drop(DropReason.ENGINE_BUSY);
            if (tracked) {
                started.refused(tag, from, replyId);
            }
        }
    }

    /** {@code /pad/<n>/<param> ,f}: the value is clamped into the parameter's range by the engine. */
    void onPadParam(int pad, int param, OscMessageView m, long tt) {
        if (!m.isNumber(0)) {
            counters.drop(DropReason.BAD_ARGUMENTS);
            return;
        }
        float v = m.floatArg(0);
        if (v != v) {
            counters.drop(DropReason.BAD_ARGUMENTS);
            return;
        }
        long frame = frames.frameFor(tt);
        if (frame == TimetagFrames.REFUSED) {
            return;
        }
        if (proxy.setPadParam(pad, PadParam.ofOrdinal(param), v, frame)) {
            counters.message();
        } else {
            counters.drop(DropReason.ENGINE_BUSY);
        }
    }

    /**
     * A one-number value node ({@code /tempo ,f}, ...): a value outside a strict range is refused,
     * one outside a clamping range is clamped, then the node's setter publishes it.
     */
    void onValue(Node node, OscMessageView m, long tt) {
        if (!m.isNumber(0)) {
            counters.drop(DropReason.BAD_ARGUMENTS);
            return;
        }
        float v = m.floatArg(0);
        Range r = node.range();
        if (v != v || !r.clamps() && !r.admits(v)) {
            counters.drop(DropReason.BAD_ARGUMENTS);
            return;
        }
        if (r.clamps()) {
            v = (float) r.clamp(v);
        }
        long frame = frames.frameFor(tt);
        if (frame == TimetagFrames.REFUSED) {
            return;
        }
        if (node.setter().set(v, frame)) {
            counters.message();
        } else {
            counters.drop(DropReason.ENGINE_BUSY);
        }
    }
}
