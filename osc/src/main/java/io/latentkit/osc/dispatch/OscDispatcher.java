package io.latentkit.osc.dispatch;

import io.latentkit.core.kit.PadTarget;
import io.latentkit.core.DrumClass;
import io.latentkit.engine.control.EngineClock;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.control.Telemetry;
import io.latentkit.engine.control.TelemetryHandler;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.PadParam;
import io.latentkit.engine.render.EngineCounters;
import io.latentkit.osc.DropReason;
import io.latentkit.osc.KitLoader;
import io.latentkit.osc.OscCounters;
import io.latentkit.osc.ServerActions;
import io.latentkit.osc.codec.OscLimits;
import io.latentkit.osc.codec.OscMessageView;
import io.latentkit.osc.codec.OscMessageWriter;
import io.latentkit.osc.codec.OscPacketDecoder;
import io.latentkit.osc.codec.TimeTags;
import io.latentkit.osc.transport.OscPeer;
import io.latentkit.osc.transport.PacketHandler;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;

/**
 * Decodes admitted packets and does what their messages ask: publishes engine events through the
 * {@link EngineProxy} at the frame their bundle's timetag maps to, answers queries, manages telemetry
 * subscriptions and forwards telemetry. The handlers read as the list of what OSC can ask for:
 * {@code onHit}, {@code onNote}, {@code onPadParam}, {@code onKitLoad}, {@code onStatus}, ...
 *
 * <p>Hot path ({@code /hit}, {@code /hit/<class>}, {@code /note}, {@code /pad/<n>/<param>} at exact
 * addresses): no allocation per message. Queries and {@code /kit/*} allocate (they are rare and rate
 * limited with everything else).
 *
 * <p>Threading: receiver thread only, including {@link #doWork} and the {@link TelemetryHandler}
 * callbacks (this class is the one consumer of the engine's {@link Telemetry} when one is given).
 * Kit loads complete on the loader's thread and come back through a task queue.
 */
public final class OscDispatcher implements PacketHandler, TelemetryHandler {
    /** Settings of the dispatcher (a subset of the server configuration). */
    public record Settings(OscLimits limits, long horizonNanos, long notifyLeaseNanos, int maxSubscribers,
                           long telemetryIntervalNanos, String version) {
    }

    private static final long REFUSED = Long.MAX_VALUE;
    private static final byte[] COMMA_F = OscMessageWriter.ascii(",f");
    private static final byte[] METER_L = OscMessageWriter.ascii("/meter/l");
    private static final byte[] METER_R = OscMessageWriter.ascii("/meter/r");
    private static final byte[] VOICES = OscMessageWriter.ascii("/voices");
    private static final byte[] BEAT = OscMessageWriter.ascii("/beat");
    private static final int MAX_PENDING_SYNCS = 256;
    /** Hits waiting for their {@code /started} reply; a full table plays further hits unreported. */
    public static final int MAX_PENDING_STARTS = 1024;
    private static final byte[] STARTED = OscMessageWriter.ascii("/started");
    private static final byte[] COMMA_IIHH = OscMessageWriter.ascii(",iihh");
    private static final byte[] FAIL = OscMessageWriter.ascii("/fail");
    private static final byte[] COMMA_SIS = OscMessageWriter.ascii(",sis");
    private static final byte[] HIT = OscMessageWriter.ascii("/hit");
    private static final byte[] WHY_HORIZON = OscMessageWriter.ascii("timetag beyond the scheduling horizon");
    private static final byte[] WHY_BUSY = OscMessageWriter.ascii("engine busy");
    private static final byte[] WHY_SILENT = OscMessageWriter.ascii("velocity 0 starts no voice");
    private static final byte[] WHY_FULL = OscMessageWriter.ascii("too many pending /started replies; the hit was played");
    private static final byte[] WHY_EXPIRED = OscMessageWriter.ascii(
            "no voice started (empty or muted pad, or the engine dropped the trigger)");
    /**
     * Pattern-addressed messages matched per packet. A pattern is matched against every route, so
     * this bounds one packet's matching work (a bundle of 1024 pathological patterns would otherwise
     * cost ~1024 x 180 bounded matches); the rest are counted as too many messages.
     */
    static final int MAX_PATTERNS_PER_PACKET = 16;

    private final Settings settings;
    private final EngineProxy proxy;
    private final EngineClock clock;
    private final EngineCounters engineCounters;
    private final Telemetry telemetry;
    private final KitLoader kits;
    private volatile ServerActions actions;
    private final OscCounters counters;
    private final LongSupplier nanoClock;
    private final OscPacketDecoder decoder;
    private final Routes routes = new Routes();
    private final boolean[] patternVisible;
    private final AddressPattern pattern;
    private final OscMessageWriter writer;
    private final Subscribers subscribers;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final long horizonFrames;
    private volatile Runnable wakeup = () -> { };

    private final long[] syncInternal = new long[MAX_PENDING_SYNCS];
    private final int[] syncUser = new int[MAX_PENDING_SYNCS];
    private final OscPeer[] syncPeer = new OscPeer[MAX_PENDING_SYNCS];
    private int syncHead;
    private int syncCount;
    private long nextSyncId = 1;

    private final PendingStarts starts = new PendingStarts(MAX_PENDING_STARTS);
    private final long startGraceFrames;
    private long lastStartScanFrame = Long.MIN_VALUE;

    private float meterLeft;
    private float meterRight;
    private int meterVoices;
    private boolean meterFresh;
    private long lastMeterSentNanos;
    private long lastExpiryNanos;

    /**
     * @param telemetry the engine's telemetry, polled by {@link #doWork}; {@code null} when another
     *     thread is its consumer (then {@code /sync} answers {@code /fail} and no telemetry is forwarded)
     * @param kits the kit library, or {@code null} when there is none ({@code /kit/*} answer {@code /fail})
     */
    public OscDispatcher(Settings settings, EngineProxy proxy, EngineClock clock, EngineCounters engineCounters,
                         Telemetry telemetry, KitLoader kits, OscCounters counters, LongSupplier nanoClock) {
        this.settings = settings;
        this.proxy = proxy;
        this.clock = clock;
        this.engineCounters = engineCounters;
        this.telemetry = telemetry;
        this.kits = kits;
        this.counters = counters;
        this.nanoClock = nanoClock;
        this.decoder = new OscPacketDecoder(settings.limits());
        this.pattern = new AddressPattern(settings.limits().maxAddressBytes(), 64);
        this.writer = new OscMessageWriter(8192);
        this.subscribers = new Subscribers(settings.maxSubscribers(), settings.notifyLeaseNanos());
        this.horizonFrames = EngineClock.nanosToFrames(settings.horizonNanos(), clock.sampleRateHz());
        // A tagged trigger starts its voice at its due frame, or a few blocks later when the engine
        // drains a flooded ring at its per-block bound; one second of engine time is far beyond that.
        this.startGraceFrames = clock.sampleRateHz();
        this.patternVisible = new boolean[routes.count()];
        for (int r = 0; r < routes.count(); r++) {
            // Pads by class name ("/pad/kick/gain") are exact-only aliases, so "/pad/*/gain" sets
            // each pad once rather than twice.
            byte[] a = routes.address(r);
            patternVisible[r] = !(routes.kind(r) == Routes.PAD_PARAM && a[5] > '9');
        }
    }

    /** Called when a task is queued from another thread, to end the receiver's idle wait. */
    public void wakeup(Runnable wakeup) {
        this.wakeup = wakeup;
    }

    /** Telemetry subscribers now. Receiver thread. */
    public int subscriberCount() {
        return subscribers.count();
    }

    @Override
    public void onPacket(byte[] buffer, int offset, int length, OscPeer from, long receiveNanos) {
        DropReason r = decoder.decode(buffer, offset, length);
        if (r != null) {
            counters.drop(r);
            return;
        }
        boolean bundle = decoder.wasBundle();
        int n = decoder.messageCount();
        int patterns = 0;
        for (int i = 0; i < n; i++) {
            long tt = bundle ? decoder.timetag(i) : TimeTags.IMMEDIATELY;
            OscMessageView m = decoder.message(i);
            int route = routes.lookup(m.buffer(), m.addressOffset(), m.addressLength());
            if (route >= 0) {
                handle(route, m, tt, from, receiveNanos);
            } else if (AddressPattern.isPattern(m.buffer(), m.addressOffset(), m.addressLength())) {
                if (++patterns > MAX_PATTERNS_PER_PACKET) {
                    counters.drop(DropReason.TOO_MANY_MESSAGES);
                } else {
                    dispatchPattern(m, tt, from, receiveNanos);
                }
            } else {
                unknown(m, from);
            }
        }
    }

    private void dispatchPattern(OscMessageView m, long tt, OscPeer from, long receiveNanos) {
        boolean any = false;
        for (int r = 0; r < routes.count(); r++) {
            if (patternVisible[r] && pattern.matches(m.buffer(), m.addressOffset(), m.addressLength(), routes.address(r))) {
                any = true;
                handle(r, m, tt, from, receiveNanos);
            }
        }
        if (!any) {
            unknown(m, from);
        }
    }

    private void unknown(OscMessageView m, OscPeer from) {
        counters.drop(DropReason.UNKNOWN_ADDRESS);
        if (m.argCount() == 0) {
            // Looks like a query: tell the sender rather than leave it waiting.
            fail(from, m.address(), "unknown address");
        }
    }

    private void handle(int route, OscMessageView m, long tt, OscPeer from, long receiveNanos) {
        switch (routes.kind(route)) {
            case Routes.HIT: onHit(m, tt, from, receiveNanos); break;
            case Routes.HIT_CLASS: onHitClass(routes.pad(route), m, tt, from, receiveNanos); break;
            case Routes.NOTE: onNote(m, tt, from, receiveNanos); break;
            case Routes.PAD_PARAM: onPadParam(routes.pad(route), routes.param(route), m, tt); break;
            case Routes.KIT_LOAD: onKitLoad(m, from); break;
            case Routes.KIT_LIST: onKitList(m, from); break;
            case Routes.STATUS: onStatus(m, from); break;
            case Routes.NOTIFY: onNotify(m, from); break;
            case Routes.SYNC: onSync(m, from); break;
            case Routes.VERSION: onVersion(m, from); break;
            case Routes.TEMPO: onTempo(m, tt); break;
            case Routes.PRESET_SAVE: onAction(m, from, "/preset/save"); break;
            case Routes.PRESET_LOAD: onAction(m, from, "/preset/load"); break;
            case Routes.PRESET_LIST: onPresetList(m, from); break;
            case Routes.MIDI_LEARN: onAction(m, from, "/midi/learn"); break;
            default: throw new IllegalStateException("route kind " + routes.kind(route));
        }
    }

    // ---- performance messages: allocation-free ----

    /** {@code /hit ,i[f[i]]}: pad 0..11, velocity 0..1 (default 1), reply id ({@code /started}). */
    private void onHit(OscMessageView m, long tt, OscPeer from, long receiveNanos) {
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
    private void onHitClass(int pad, OscMessageView m, long tt, OscPeer from, long receiveNanos) {
        trigger(pad, m, 0, tt, from, receiveNanos);
    }

    /** {@code /note ,i[f[i]]}: General MIDI percussion note, velocity 0..1 (default 1), reply id. */
    private void onNote(OscMessageView m, long tt, OscPeer from, long receiveNanos) {
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
     * {@code /started ,iihh id pad frame targetFrame} when the render thread reports the voice started,
     * or {@code /fail ,sis /hit id reason} if it was refused or no voice started within a second of
     * engine time after it was due. Without it the trigger is tagged with its receive time, as always.
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
        long frame = frameFor(tt);
        if (frame == REFUSED) {
            if (wantsReply) {
                failHit(from, replyId, WHY_HORIZON);
            }
            return;
        }
        // The receive time rides along as the voice's tag, so telemetry can report handoff latency;
        // a hit that asked for a reply carries its pending-table tag instead.
        long tag = receiveNanos;
        int slot = -1;
        if (wantsReply) {
            if (!(velocity > 0f)) {
                failHit(from, replyId, WHY_SILENT);
            } else {
                long now = clock.currentFrame();
                long due = frame == EngineProxy.ASAP ? now : Math.max(frame, now);
                long t = starts.add(replyId, from, due, frame == EngineProxy.ASAP ? PendingStarts.NO_TARGET : frame);
                if (t == 0L) {
                    counters.countStartedUntracked();
                    failHit(from, replyId, WHY_FULL);
                } else {
                    tag = t;
                    slot = starts.find(t);
                }
            }
        }
        if (proxy.trigger(pad, velocity, frame, tag)) {
            counters.message();
        } else {
            counters.drop(DropReason.ENGINE_BUSY);
            if (slot >= 0) {
                starts.remove(slot);
                failHit(from, replyId, WHY_BUSY);
            }
        }
    }

    /** {@code /fail ,sis /hit id reason}; allocation-free. */
    private void failHit(OscPeer to, int replyId, byte[] why) {
        writer.begin(FAIL, COMMA_SIS).putString(HIT).putInt(replyId).putString(why);
        reply(to);
    }

    /** {@code /pad/<n>/<param> ,f}: the value is clamped into the parameter's range by the engine. */
    private void onPadParam(int pad, int param, OscMessageView m, long tt) {
        if (!m.isNumber(0)) {
            counters.drop(DropReason.BAD_ARGUMENTS);
            return;
        }
        float v = m.floatArg(0);
        if (v != v) {
            counters.drop(DropReason.BAD_ARGUMENTS);
            return;
        }
        long frame = frameFor(tt);
        if (frame == REFUSED) {
            return;
        }
        if (proxy.setPadParam(pad, PadParam.ofOrdinal(param), v, frame)) {
            counters.message();
        } else {
            counters.drop(DropReason.ENGINE_BUSY);
        }
    }

    /** {@code /tempo ,f}: beats per minute, 20..400, for the engine's beat clock ({@code /beat} telemetry). */
    private void onTempo(OscMessageView m, long tt) {
        if (!m.isNumber(0)) {
            counters.drop(DropReason.BAD_ARGUMENTS);
            return;
        }
        float bpm = m.floatArg(0);
        if (!(bpm >= 20f && bpm <= 400f)) {
            counters.drop(DropReason.BAD_ARGUMENTS);
            return;
        }
        long frame = frameFor(tt);
        if (frame == REFUSED) {
            return;
        }
        if (proxy.setTempo(bpm, frame)) {
            counters.message();
        } else {
            counters.drop(DropReason.ENGINE_BUSY);
        }
    }

    /**
     * Engine frame for a timetag: ASAP for "immediately" (and for bare messages), the clock's mapping
     * otherwise. A past frame is passed on as is (the engine plays it at once and counts it late); one
     * beyond the horizon is refused here and counted.
     */
    private long frameFor(long timetag) {
        if (timetag == TimeTags.IMMEDIATELY || timetag == 0L) {
            return EngineProxy.ASAP;
        }
        long frame = clock.frameAtEpochNanos(TimeTags.toEpochNanos(timetag));
        if (frame - clock.currentFrame() > horizonFrames) {
            counters.drop(DropReason.BEYOND_HORIZON);
            return REFUSED;
        }
        return frame;
    }

    // ---- queries: rare, may allocate ----

    /** Where replies to a query go: the sender, or its host on the UDP port in argument {@code i}. */
    private OscPeer replyTo(OscMessageView m, int i, OscPeer from) {
        if (m.isNumber(i)) {
            int port = m.intArg(i);
            if (port > 0 && port < 65536) {
                return from.withReplyPort(port);
            }
        }
        return from;
    }

    /** {@code /status [,i replyPort]} -> {@code /status.reply}. */
    private void onStatus(OscMessageView m, OscPeer from) {
        OscPeer to = replyTo(m, 0, from);
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
        ServerActions a = actions;
        List<java.util.Map.Entry<String, Integer>> extra = a == null ? List.of() : a.statusPairs();
        for (int i = 0; i < extra.size(); i++) {
            tags.append("si");
        }
        tags.append("si"); // models 1|0, always last
        writer.begin("/status.reply", tags.toString())
                .putInt(engineCounters.activeVoices())
                .putFloat(engineCounters.cpuAveragePercent())
                .putFloat(engineCounters.cpuPeakPercent())
                .putInt(clock.sampleRateHz())
                .putInt(saturate(engineCounters.deadlineMisses()))
                .putInt(saturate(engineCounters.lateEvents()))
                .putInt(saturate(counters.totalDrops()));
        for (int i = 0; i < DropReason.COUNT; i++) {
            long n = counters.drops(DropReason.ofOrdinal(i));
            if (n != 0) {
                writer.putString(DropReason.ofOrdinal(i).oscName()).putInt(saturate(n));
            }
        }
        if (startedExpired != 0) {
            writer.putString("started_expired").putInt(saturate(startedExpired));
        }
        if (startedUntracked != 0) {
            writer.putString("started_untracked").putInt(saturate(startedUntracked));
        }
        for (java.util.Map.Entry<String, Integer> e : extra) {
            writer.putString(e.getKey()).putInt(e.getValue());
        }
        writer.putString("models").putInt(a != null && a.modelsAvailable() ? 1 : 0);
        counters.message();
        reply(to);
    }

    /** {@code /version [,i replyPort]} -> {@code /version.reply ,ss latentkit <version>}. */
    private void onVersion(OscMessageView m, OscPeer from) {
        writer.begin("/version.reply", "ss").putString("latentkit").putString(settings.version());
        counters.message();
        reply(replyTo(m, 0, from));
    }

    /** {@code /notify ,i 1|0 [replyPort]} -> {@code /done /notify}. */
    private void onNotify(OscMessageView m, OscPeer from) {
        if (!m.isNumber(0)) {
            counters.drop(DropReason.BAD_ARGUMENTS);
            fail(from, "/notify", "expected ,i 1|0");
            return;
        }
        OscPeer to = replyTo(m, 1, from);
        if (m.intArg(0) != 0) {
            if (!subscribers.subscribe(to, nanoClock.getAsLong())) {
                counters.drop(DropReason.TOO_MANY_PEERS);
                fail(to, "/notify", "too many subscribers");
                return;
            }
        } else {
            subscribers.unsubscribe(to);
        }
        counters.subscribers(subscribers.count());
        counters.message();
        done(to, "/notify");
    }

    /** {@code /sync ,i id [replyPort]} -> {@code /synced id} once the engine handled every earlier event. */
    private void onSync(OscMessageView m, OscPeer from) {
        if (!m.isNumber(0)) {
            counters.drop(DropReason.BAD_ARGUMENTS);
            fail(from, "/sync", "expected ,i id");
            return;
        }
        OscPeer to = replyTo(m, 1, from);
        if (telemetry == null) {
            fail(to, "/sync", "engine telemetry is not connected to OSC");
            return;
        }
        if (syncCount == MAX_PENDING_SYNCS) {
            counters.drop(DropReason.ENGINE_BUSY);
            fail(to, "/sync", "too many pending syncs");
            return;
        }
        long id = nextSyncId++;
        if (!proxy.sync(id)) {
            counters.drop(DropReason.ENGINE_BUSY);
            fail(to, "/sync", "engine busy");
            return;
        }
        int slot = (syncHead + syncCount) % MAX_PENDING_SYNCS;
        syncInternal[slot] = id;
        syncUser[slot] = m.intArg(0);
        syncPeer[slot] = to.retain();
        syncCount++;
        counters.message();
    }

    /** {@code /kit/load ,s name [replyPort]} -> {@code /done /kit/load name} or {@code /fail /kit/load name reason}. */
    private void onKitLoad(OscMessageView m, OscPeer from) {
        if (!m.isString(0)) {
            counters.drop(DropReason.BAD_ARGUMENTS);
            fail(from, "/kit/load", "expected ,s kit name");
            return;
        }
        OscPeer to = replyTo(m, 1, from).retain();
        String name = m.string(0);
        if (!isPlainName(name)) {
            counters.drop(DropReason.BAD_ARGUMENTS);
            fail(to, "/kit/load", name, "kit names are names in the library, not paths");
            return;
        }
        if (kits == null) {
            fail(to, "/kit/load", name, "no kit library configured");
            return;
        }
        counters.message();
        kits.load(name).whenComplete((kit, error) -> post(() -> onKitLoaded(name, kit, error, to)));
    }

    private void onKitLoaded(String name, Kit kit, Throwable error, OscPeer to) {
        if (error != null) {
            fail(to, "/kit/load", name, reason(error));
        } else if (kit == null) {
            fail(to, "/kit/load", name, "no such kit");
        } else if (kit.sampleRateHz() != clock.sampleRateHz()) {
            fail(to, "/kit/load", name, "kit is at " + kit.sampleRateHz() + " Hz, engine at " + clock.sampleRateHz() + " Hz");
        } else if (!proxy.swapKit(kit, EngineProxy.ASAP)) {
            counters.drop(DropReason.ENGINE_BUSY);
            fail(to, "/kit/load", name, "engine busy");
        } else {
            writer.begin("/done", "ss").putString("/kit/load").putString(name);
            reply(to);
        }
    }

    /** {@code /kit/list [,i replyPort]} -> {@code /kit/list.reply ,s...} (as many names as fit one packet). */
    private void onKitList(OscMessageView m, OscPeer from) {
        OscPeer to = replyTo(m, 0, from).retain();
        if (kits == null) {
            fail(to, "/kit/list", "no kit library configured");
            return;
        }
        counters.message();
        kits.list().whenComplete((names, error) -> post(() -> onKitListed(names, error, to)));
    }

    private void onKitListed(List<String> names, Throwable error, OscPeer to) {
        if (error != null) {
            fail(to, "/kit/list", reason(error));
            return;
        }
        writeNames("/kit/list.reply", names);
        reply(to);
    }

    /** A reply of one string per name, as many as fit one packet. */
    private void writeNames(String address, List<String> names) {
        int budget = 4096;
        StringBuilder tags = new StringBuilder();
        int n = 0;
        for (String s : names) {
            budget -= s.length() + 8;
            if (budget < 0) {
                break;
            }
            tags.append('s');
            n++;
        }
        writer.begin(address, tags.toString());
        for (int i = 0; i < n; i++) {
            writer.putString(names.get(i));
        }
    }

    /**
     * {@code /preset/save|/preset/load|/midi/learn ,s name [replyPort]} -> {@code /done <address> <detail>}
     * or {@code /fail <address> <name> <reason>}.
     */
    private void onAction(OscMessageView m, OscPeer from, String address) {
        if (!m.isString(0)) {
            counters.drop(DropReason.BAD_ARGUMENTS);
            fail(from, address, "expected ,s name");
            return;
        }
        OscPeer to = replyTo(m, 1, from).retain();
        String name = m.string(0);
        boolean learn = address.equals("/midi/learn");
        // A learn target is a pad parameter (snare/pitch, /pad/1/decay); preset names are plain names.
        if (learn ? !isLearnTarget(name) : !isPlainName(name)) {
            counters.drop(DropReason.BAD_ARGUMENTS);
            fail(to, address, name, learn ? "expected a pad parameter such as snare/pitch or /pad/1/decay"
                    : "preset names are names in the library, not paths");
            return;
        }
        ServerActions a = actions;
        if (a == null) {
            fail(to, address, name, "not available in this server");
            return;
        }
        counters.message();
        CompletionStage<String> stage = switch (address) {
            case "/preset/save" -> a.presetSave(name);
            case "/preset/load" -> a.presetLoad(name);
            default -> a.midiLearn(name);
        };
        stage.whenComplete((detail, error) -> post(() -> {
            if (error != null) {
                fail(to, address, name, reason(error));
            } else {
                writer.begin("/done", "ss").putString(address).putString(detail);
                reply(to);
            }
        }));
    }

    /** {@code /preset/list [,i replyPort]} -> {@code /preset/list.reply ,s...}. */
    private void onPresetList(OscMessageView m, OscPeer from) {
        OscPeer to = replyTo(m, 0, from).retain();
        ServerActions a = actions;
        if (a == null) {
            fail(to, "/preset/list", "not available in this server");
            return;
        }
        counters.message();
        a.presetList().whenComplete((names, error) -> post(() -> {
            if (error != null) {
                fail(to, "/preset/list", reason(error));
            } else {
                writeNames("/preset/list.reply", names);
                reply(to);
            }
        }));
    }

    private static boolean isLearnTarget(String s) {
        try {
            io.latentkit.core.kit.PadTarget.parse(s);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Sets the server's staged actions (presets, MIDI learn, model status). Any thread. */
    public void actions(ServerActions serverActions) {
        this.actions = serverActions;
    }

    static boolean isPlainName(String name) {
        if (name.isEmpty() || name.length() > 128 || name.equals(".") || name.contains("..")) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c == '/' || c == '\\' || c == ':' || c < ' ') {
                return false;
            }
        }
        return true;
    }

    private static String reason(Throwable error) {
        Throwable t = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        String msg = t.getMessage();
        return msg == null || msg.isBlank() ? t.getClass().getSimpleName() : msg.lines().findFirst().orElse(msg);
    }

    private void post(Runnable task) {
        tasks.add(task);
        wakeup.run();
    }

    private void done(OscPeer to, String address) {
        writer.begin("/done", "s").putString(address);
        reply(to);
    }

    private void fail(OscPeer to, String address, String reason) {
        writer.begin("/fail", "ss").putString(address).putString(reason);
        reply(to);
    }

    private void fail(OscPeer to, String address, String subject, String reason) {
        writer.begin("/fail", "sss").putString(address).putString(subject).putString(reason);
        reply(to);
    }

    private void reply(OscPeer to) {
        to.send(writer.buffer(), 0, writer.length());
    }

    private static int saturate(long v) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(Integer.MIN_VALUE, v));
    }

    // ---- duty cycle and telemetry ----

    /**
     * Runs queued completions, polls telemetry, forwards meters at the telemetry rate and expires
     * silent subscribers. Receiver thread; returns how much it did.
     */
    public int doWork() {
        int work = 0;
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
            work++;
        }
        if (telemetry != null) {
            // Read before polling: every report from blocks before this frame is then in the ring.
            long frame = clock.currentFrame();
            int n = telemetry.poll(this, 256);
            work += n;
            if (starts.count() > 0 && n < 256 && frame != lastStartScanFrame) {
                // One read may stop at the ring's wrap point; an empty second read proves it drained.
                int more = telemetry.poll(this, 256);
                work += more;
                if (more == 0) {
                    lastStartScanFrame = frame;
                    work += expireStarts(frame);
                }
            }
        }
        long now = nanoClock.getAsLong();
        if (meterFresh && subscribers.count() > 0 && now - lastMeterSentNanos >= settings.telemetryIntervalNanos()) {
            lastMeterSentNanos = now;
            meterFresh = false;
            sendToSubscribers(METER_L, meterLeft);
            sendToSubscribers(METER_R, meterRight);
            sendToSubscribers(VOICES, meterVoices);
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

    /** Whether anything waits on telemetry (pending syncs, starts or subscribers), so idling must stay short. */
    public boolean awaitsTelemetry() {
        return telemetry != null && (syncCount > 0 || starts.count() > 0 || subscribers.count() > 0);
    }

    /**
     * Answers {@code /fail} for every hit whose voice should have started more than the grace before
     * {@code frame} and did not (its report would have been polled by now), and counts each.
     */
    private int expireStarts(long frame) {
        int expired = 0;
        for (int slot = 0; slot < starts.capacity(); slot++) {
            if (starts.inUse(slot) && frame - starts.dueFrame(slot) > startGraceFrames) {
                // Counted before the reply goes out, so a client that reads /status after its
                // /fail sees the count.
                counters.countStartedExpired();
                failHit(starts.peer(slot), starts.replyId(slot), WHY_EXPIRED);
                starts.remove(slot);
                expired++;
            }
        }
        return expired;
    }

    /** Hits waiting for {@code /started} now. Receiver thread. */
    public int pendingStarts() {
        return starts.count();
    }

    @Override
    public void onVoiceStarted(long tag, int pad, long frame) {
        int slot = starts.find(tag);
        if (slot < 0) {
            return; // a plain hit's receive time, or an entry already expired
        }
        writer.begin(STARTED, COMMA_IIHH).putInt(starts.replyId(slot)).putInt(pad).putLong(frame)
                .putLong(starts.targetFrame(slot));
        reply(starts.peer(slot));
        starts.remove(slot);
    }

    private void sendToSubscribers(byte[] address, float value) {
        writer.begin(address, COMMA_F).putFloat(value);
        for (int i = 0; i < subscribers.count(); i++) {
            subscribers.get(i).send(writer.buffer(), 0, writer.length());
        }
    }

    @Override
    public void onSynced(long id, long frame) {
        // The engine answers syncs in the order they were asked, so the queue head is the oldest.
        while (syncCount > 0 && syncInternal[syncHead] <= id) {
            if (syncInternal[syncHead] == id) {
                writer.begin("/synced", "i").putInt(syncUser[syncHead]);
                reply(syncPeer[syncHead]);
            }
            syncPeer[syncHead] = null;
            syncHead = (syncHead + 1) % MAX_PENDING_SYNCS;
            syncCount--;
        }
    }

    @Override
    public void onMeter(float peakLeft, float peakRight, int voices, long frame) {
        // Peaks accumulate until the next send, so a rate below the engine's meter rate misses none.
        meterLeft = Math.max(meterLeft, peakLeft);
        meterRight = Math.max(meterRight, peakRight);
        meterVoices = voices;
        meterFresh = true;
    }

    @Override
    public void onBeat(long beat, long frame) {
        if (subscribers.count() > 0) {
            sendToSubscribers(BEAT, beat);
        }
    }
}
