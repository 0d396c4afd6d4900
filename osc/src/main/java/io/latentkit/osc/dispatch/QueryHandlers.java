package io.latentkit.osc.dispatch;

import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.render.EngineCounters;
import io.latentkit.engine.render.MissCauses;
import io.latentkit.osc.DropReason;
import io.latentkit.osc.OscCounters;
import io.latentkit.osc.ServerActions;
import io.latentkit.osc.codec.OscMessageWriter;
import io.latentkit.osc.transport.OscPeer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What OSC answers from its own state and the engine's counters: {@code /status},
 * {@code /version}, {@code /notify} (telemetry subscriptions) and {@code /sync}. Rare, so they may
 * allocate.
 *
 * <p>Threading: receiver thread only.
 */
final class QueryHandlers {
    /** Query codes, the parameter operand of the namespace's query nodes. */
    static final int STATUS = 1;
    static final int NOTIFY = 2;
    static final int SYNC = 3;
    static final int VERSION = 4;
    static final int STARTED_FORMAT = 5;

    private final Replies replies;
    private final OscCounters counters;
    private final EngineCounters engineCounters;
    private final int sampleRateHz;
    private final EngineProxy proxy;
    private final TelemetryForwarder forwarder;
    private final SyncReplies syncs;
    private final Supplier<ServerActions> actions;
    private final LongSupplier nanoClock;
    private final String version;
    private final StartedReplies started;
    private volatile LongSupplier controlRestarts = () -> 0;

    QueryHandlers(Replies replies, OscCounters counters, EngineCounters engineCounters, int sampleRateHz,
            EngineProxy proxy, TelemetryForwarder forwarder, SyncReplies syncs, Supplier<ServerActions> actions,
            LongSupplier nanoClock, String version, StartedReplies started) {
        this.replies = replies;
        this.counters = counters;
        this.engineCounters = engineCounters;
        this.sampleRateHz = sampleRateHz;
        this.proxy = proxy;
        this.forwarder = forwarder;
        this.syncs = syncs;
        this.actions = actions;
        this.nanoClock = nanoClock;
        this.version = version;
        this.started = started;
    }

    /** Where {@code control_restarts} comes from. Any thread. */
    void controlRestarts(LongSupplier restarts) {
        this.controlRestarts = Objects.requireNonNull(restarts, "restarts");
    }

    /** Answers query {@code code}; {@code number0}/{@code isNumber0} is the first argument. */
    void handle(int code, boolean isNumber0, int number0, OscPeer from, OscPeer to) {
        switch (code) {
            case STATUS -> onStatus(to);
            case VERSION -> onVersion(to);
            case NOTIFY -> onNotify(isNumber0, number0, from, to);
            case SYNC -> onSync(isNumber0, number0, from, to);
            case STARTED_FORMAT -> onStartedFormat(isNumber0, number0, from, to);
            default -> throw new IllegalStateException("query code " + code);
        }
    }

    /** {@code misses_scheduling} ...: built once, so a status reply builds no strings for them. */
    private static final String[] MISS_LABELS = Arrays.stream(MissCauses.Cause.values())
            .map(c -> "misses_" + c.label()).toArray(String[]::new);

    /** {@code /status [,i replyPort]} -> {@code /status.reply}. */
    private void onStatus(OscPeer to) {
        StringBuilder tags = new StringBuilder("iffiiii");
        for (int i = 0; i < DropReason.COUNT; i++) {
            if (counters.drops(DropReason.ofOrdinal(i)) != 0) {
                tags.append("si");
            }
        }
        long startedExpired = counters.startedExpired();
        long startedUntracked = counters.startedUntracked();
        if (startedExpired != 0) {
            tags.append("si");
        }
        if (startedUntracked != 0) {
            tags.append("si");
        }
        long restarts = controlRestarts.getAsLong();
        if (restarts != 0) {
            tags.append("si");
        }
        ServerActions a = actions.get();
        List<Map.Entry<String, Integer>> extra = a == null ? List.of() : a.statusPairs();
        for (int i = 0; i < extra.size(); i++) {
            tags.append("si");
        }
        tags.append("si"); // nonfinite: samples the output guard replaced with silence
        tags.append("si"); // models 1|0
        for (int i = 0; i < MissCauses.Cause.values().length; i++) {
            tags.append("si"); // misses by cause, after every older field
        }
        OscMessageWriter w = replies.writer();
        w.begin("/status.reply", tags.toString())
                .putInt(engineCounters.activeVoices())
                .putFloat(engineCounters.cpuAveragePercent())
                .putFloat(engineCounters.cpuPeakPercent())
                .putInt(sampleRateHz)
                .putInt(Replies.saturate(engineCounters.deadlineMisses()))
                .putInt(Replies.saturate(engineCounters.lateEvents()))
                .putInt(Replies.saturate(counters.totalDrops()));
        for (int i = 0; i < DropReason.COUNT; i++) {
            long n = counters.drops(DropReason.ofOrdinal(i));
            if (n != 0) {
                w.putString(DropReason.ofOrdinal(i).oscName()).putInt(Replies.saturate(n));
            }
        }
        if (startedExpired != 0) {
            w.putString("started_expired").putInt(Replies.saturate(startedExpired));
        }
        if (startedUntracked != 0) {
            w.putString("started_untracked").putInt(Replies.saturate(startedUntracked));
        }
        if (restarts != 0) {
            w.putString("control_restarts").putInt(Replies.saturate(restarts));
        }
        for (Map.Entry<String, Integer> e : extra) {
            w.putString(e.getKey()).putInt(e.getValue());
        }
        w.putString("nonfinite").putInt(Replies.saturate(engineCounters.nonFiniteSamples()));
        w.putString("models").putInt(a != null && a.modelsAvailable() ? 1 : 0);
        MissCauses causes = engineCounters.missCauses();
        for (MissCauses.Cause c : MissCauses.Cause.values()) {
            w.putString(MISS_LABELS[c.ordinal()]).putInt(Replies.saturate(causes.count(c)));
        }
        counters.message();
        replies.send(to);
    }

    /** {@code /version [,i replyPort]} -> {@code /version.reply ,ss latentkit <version>}. */
    private void onVersion(OscPeer to) {
        replies.writer().begin("/version.reply", "ss").putString("latentkit").putString(version);
        counters.message();
        replies.send(to);
    }

    /** {@code /notify ,i 1|0 [replyPort]} -> {@code /done /notify}. */
    private void onNotify(boolean isNumber, int on, OscPeer from, OscPeer to) {
        if (!isNumber) {
            counters.drop(DropReason.BAD_ARGUMENTS);
            replies.fail(from, "/notify", "expected ,i 1|0");
            return;
        }
        if (on != 0) {
            if (!forwarder.subscribe(to, nanoClock.getAsLong())) {
                counters.drop(DropReason.TOO_MANY_PEERS);
                replies.fail(to, "/notify", "too many subscribers");
                return;
            }
        } else {
            forwarder.unsubscribe(to);
        }
        counters.message();
        replies.done(to, "/notify");
    }

    /** {@code /format/started ,i 0|1}: the sender's /started frames as int64, or as int32 pairs for Pd. */
    private void onStartedFormat(boolean isNumber, int form, OscPeer from, OscPeer to) {
        if (!isNumber || (form != StartedReplies.FORMAT_INT64 && form != StartedReplies.FORMAT_SPLIT24)) {
            counters.drop(DropReason.BAD_ARGUMENTS);
            replies.fail(from, "/format/started", "expected ,i 0 (int64 frames) or 1 (int32 pairs below 2^24)");
            return;
        }
        if (!started.format(from, form)) {
            counters.drop(DropReason.TOO_MANY_PEERS);
            replies.fail(to, "/format/started", "too many senders with their own format");
            return;
        }
        counters.message();
        replies.done(to, "/format/started");
    }

    /** {@code /sync ,i id [replyPort]} -> {@code /synced id} once the engine handled every earlier event. */
    private void onSync(boolean isNumber, int id, OscPeer from, OscPeer to) {
        if (!isNumber) {
            counters.drop(DropReason.BAD_ARGUMENTS);
            replies.fail(from, "/sync", "expected ,i id");
            return;
        }
        if (syncs.isFull()) {
            counters.drop(DropReason.ENGINE_BUSY);
            replies.fail(to, "/sync", "too many pending syncs");
            return;
        }
        if (!proxy.sync(syncs.nextId())) {
            counters.drop(DropReason.ENGINE_BUSY);
            replies.fail(to, "/sync", "engine busy");
            return;
        }
        syncs.add(id, to.retain());
        counters.message();
    }
}
