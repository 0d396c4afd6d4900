package io.latentkit.osc.dispatch;

import io.latentkit.osc.OscCounters;
import io.latentkit.osc.codec.OscMessageWriter;
import io.latentkit.osc.transport.OscPeer;

/**
 * Telemetry for {@code /notify} subscribers, one float per address (the shape TouchDesigner's OSC
 * In CHOP turns into channels): {@code /meter/l}, {@code /meter/r} and {@code /voices} at the
 * telemetry rate, {@code /beat} on every beat. Peaks accumulate between sends, so a send rate below
 * the engine's meter rate misses none. Subscriptions are leases that expire.
 *
 * <p>Threading: receiver thread only; sending is allocation-free.
 */
final class TelemetryForwarder {
    private static final byte[] COMMA_F = OscMessageWriter.ascii(",f");
    private static final byte[] METER_L = OscMessageWriter.ascii("/meter/l");
    private static final byte[] METER_R = OscMessageWriter.ascii("/meter/r");
    private static final byte[] VOICES = OscMessageWriter.ascii("/voices");
    private static final byte[] BEAT = OscMessageWriter.ascii("/beat");
    private static final byte[] COMMA_II = OscMessageWriter.ascii(",ii");
    private static final byte[] PATTERN_STEP = OscMessageWriter.ascii("/pattern/step");

    private final Subscribers subscribers;
    private final Replies replies;
    private final OscCounters counters;
    private final long intervalNanos;
    private float meterLeft;
    private float meterRight;
    private int meterVoices;
    private boolean meterFresh;
    private long lastMeterSentNanos;
    private long lastExpiryNanos;

    TelemetryForwarder(int maxSubscribers, long leaseNanos, long intervalNanos, Replies replies, OscCounters counters) {
        this.subscribers = new Subscribers(maxSubscribers, leaseNanos);
        this.intervalNanos = intervalNanos;
        this.replies = replies;
        this.counters = counters;
    }

    int count() {
        return subscribers.count();
    }

    /** Subscribes (or renews) {@code to}; false when the table is full. */
    boolean subscribe(OscPeer to, long nowNanos) {
        boolean ok = subscribers.subscribe(to, nowNanos);
        counters.subscribers(subscribers.count());
        return ok;
    }

    void unsubscribe(OscPeer to) {
        subscribers.unsubscribe(to);
        counters.subscribers(subscribers.count());
    }

    void onMeter(float peakLeft, float peakRight, int voices) {
        meterLeft = Math.max(meterLeft, peakLeft);
        meterRight = Math.max(meterRight, peakRight);
        meterVoices = voices;
        meterFresh = true;
    }

    void onBeat(long beat) {
        if (subscribers.count() > 0) {
            send(BEAT, beat);
        }
    }

    /** The sequencer's beat: {@code /pattern/step ,ii bar tick}. */
    void onPatternStep(int bar, int tick) {
        if (subscribers.count() > 0) {
            OscMessageWriter w = replies.writer();
            w.begin(PATTERN_STEP, COMMA_II).putInt(bar).putInt(tick);
            for (int i = 0; i < subscribers.count(); i++) {
                subscribers.get(i).send(w.buffer(), 0, w.length());
            }
        }
    }

    /** Sends meters when due and expires silent subscribers; returns how much it did. */
    int doWork(long now) {
        int work = 0;
        if (meterFresh && subscribers.count() > 0 && now - lastMeterSentNanos >= intervalNanos) {
            lastMeterSentNanos = now;
            meterFresh = false;
            send(METER_L, meterLeft);
            send(METER_R, meterRight);
            send(VOICES, meterVoices);
            meterLeft = 0f;
            meterRight = 0f;
            work++;
        }
        if (now - lastExpiryNanos >= 100_000_000L) {
            lastExpiryNanos = now;
            int expired = subscribers.expire(now);
            if (expired > 0) {
                counters.subscribers(subscribers.count());
                work += expired;
            }
        }
        return work;
    }

    private void send(byte[] address, float value) {
        OscMessageWriter w = replies.writer();
        w.begin(address, COMMA_F).putFloat(value);
        for (int i = 0; i < subscribers.count(); i++) {
            subscribers.get(i).send(w.buffer(), 0, w.length());
        }
    }

    /**
     * Sends one message to every subscriber (telemetry from outside the engine, such as listen
     * mode's hits): each argument a String, Integer, Long or Float. Allocates; receiver thread.
     */
    void sendToAll(String address, Object... arguments) {
        if (subscribers.count() == 0) {
            return;
        }
        StringBuilder tags = new StringBuilder(",");
        for (Object a : arguments) {
            tags.append(a instanceof String ? 's' : a instanceof Integer ? 'i' : a instanceof Long ? 'h' : 'f');
        }
        OscMessageWriter w = replies.writer();
        w.begin(address, tags.substring(1));
        for (Object a : arguments) {
            if (a instanceof String str) {
                w.putString(str);
            } else if (a instanceof Integer n) {
                w.putInt(n);
            } else if (a instanceof Long n) {
                w.putLong(n);
            } else {
                w.putFloat(((Number) a).floatValue());
            }
        }
        for (int i = 0; i < subscribers.count(); i++) {
            subscribers.get(i).send(w.buffer(), 0, w.length());
        }
    }
}
