package io.latentkit.osc.dispatch;

import io.latentkit.core.namespace.Namespace;
import io.latentkit.core.namespace.Node;
import io.latentkit.core.namespace.NodeKind;
import io.latentkit.engine.control.EngineClock;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.control.TelemetryHandler;
import io.latentkit.engine.control.TelemetryReader;
import io.latentkit.engine.render.EngineCounters;
import io.latentkit.osc.DropReason;
import io.latentkit.osc.FileCommandPolicy;
import io.latentkit.osc.OscCounters;
import io.latentkit.osc.OscNodes;
import io.latentkit.osc.ServerActions;
import io.latentkit.osc.codec.OscLimits;
import io.latentkit.osc.codec.OscMessageView;
import io.latentkit.osc.codec.OscPacketDecoder;
import io.latentkit.osc.codec.TimeTags;
import io.latentkit.osc.transport.OscPeer;
import io.latentkit.osc.transport.PacketHandler;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongSupplier;

/**
 * Decodes admitted packets and routes each message from the control {@link Namespace}: exact
 * addresses through its allocation-free index, patterns against every pattern-visible node. The
 * node's kind says who handles it: the {@link PerformanceHandlers} (hits, notes, pad parameters,
 * values), the {@link QueryHandlers} (status, version, notify, sync), or the node's own command
 * handler (library commands, staged). Telemetry comes from a reader of the engine's broadcast
 * stream and feeds the {@code /synced} and {@code /started} replies and the subscribers.
 *
 * <p>Hot path (hits, notes, pad parameters at exact addresses): no allocation per message.
 *
 * <p>Threading: receiver thread only, including {@link #doWork}. Commands complete on other threads
 * and come back through a task queue.
 */
public final class OscDispatcher implements PacketHandler, TelemetryHandler {
    /** Settings of the dispatcher (a subset of the server configuration). */
    public record Settings(OscLimits limits, long horizonNanos, long notifyLeaseNanos, int maxSubscribers,
                           long telemetryIntervalNanos, String version) {
    }

    /** Hits waiting for their {@code /started} reply; a full table plays further hits unreported. */
    public static final int MAX_PENDING_STARTS = StartedReplies.MAX_PENDING;
    /**
     * Pattern-addressed messages matched per packet. A pattern is matched against every node, so
     * this bounds one packet's matching work; the rest are counted as too many messages.
     */
    static final int MAX_PATTERNS_PER_PACKET = 16;

    private final Namespace namespace;
    private final EngineClock clock;
    private final TelemetryReader telemetry;
    private final OscCounters counters;
    private final LongSupplier nanoClock;
    private final OscPacketDecoder decoder;
    private final AddressPattern pattern;
    private final Replies replies = new Replies();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final OscCall call;
    private final TimetagFrames frames;
    private final StartedReplies started;
    private final SyncReplies syncs;
    private final TelemetryForwarder forwarder;
    private final PerformanceHandlers performance;
    private final QueryHandlers queries;
    private volatile ServerActions actions;
    private volatile FileCommandPolicy files = FileCommandPolicy.OPEN;
    private volatile Runnable wakeup = () -> { };
    private volatile MessageObserver observer;
    private long lastStartScanFrame = Long.MIN_VALUE;

    /**
     * @param telemetry this dispatcher's own reader of the engine's telemetry
     */
    public OscDispatcher(Settings settings, Namespace namespace, EngineProxy proxy, EngineClock clock,
                         EngineCounters engineCounters, TelemetryReader telemetry, OscCounters counters,
                         LongSupplier nanoClock) {
        this.namespace = namespace;
        this.clock = clock;
        this.telemetry = telemetry;
        this.counters = counters;
        this.nanoClock = nanoClock;
        this.decoder = new OscPacketDecoder(settings.limits());
        this.pattern = new AddressPattern(settings.limits().maxAddressBytes(), 64);
        this.call = new OscCall(replies, this::post);
        this.frames = new TimetagFrames(clock, counters, settings.horizonNanos());
        // A tagged trigger starts its voice at its due frame, or a few blocks later when the engine
        // drains a flooded ring at its per-block bound; one second of engine time is far beyond that.
        this.started = new StartedReplies(replies, counters, clock.sampleRateHz());
        this.syncs = new SyncReplies(replies);
        this.forwarder = new TelemetryForwarder(settings.maxSubscribers(), settings.notifyLeaseNanos(),
                settings.telemetryIntervalNanos(), replies, counters);
        this.performance = new PerformanceHandlers(proxy, frames, counters, started);
        this.queries = new QueryHandlers(replies, counters, engineCounters, clock.sampleRateHz(), proxy, forwarder,
                syncs, () -> actions, nanoClock, settings.version(), started);
    }

    /** Called when a task is queued from another thread, to end the receiver's idle wait. */
    public void wakeup(Runnable wakeup) {
        this.wakeup = wakeup;
    }

    /** Sets who sees every routed message (the web console's LISTEN), or {@code null}. Any thread. */
    public void observer(MessageObserver o) {
        this.observer = o;
    }

    /** Sets the server's actions (presets, MIDI learn, model status). Any thread. */
    public void actions(ServerActions serverActions) {
        this.actions = serverActions;
    }

    /**
     * Sets where {@code /status.reply} reads how many control threads were restarted (the
     * engine's {@code ControlThreads}); none are counted until it is set. Any thread.
     */
    public void controlRestarts(LongSupplier restarts) {
        queries.controlRestarts(restarts);
    }

    /** Sets who may send commands that touch files. Any thread. */
    public void fileCommands(FileCommandPolicy policy) {
        this.files = policy;
    }

    /** The server's actions, or {@code null} before they are connected. Any thread. */
    public ServerActions actions() {
        return actions;
    }

    /** Telemetry subscribers now. Receiver thread. */
    public int subscriberCount() {
        return forwarder.count();
    }

    /** Hits waiting for {@code /started} now. Receiver thread. */
    public int pendingStarts() {
        return started.count();
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
            int node = namespace.lookup(m.buffer(), m.addressOffset(), m.addressLength());
            if (node >= 0) {
                handle(namespace.node(node), m, tt, from, receiveNanos);
                observed(node, m);
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
        for (int i = 0; i < namespace.count(); i++) {
            Node node = namespace.node(i);
            if (node.patternVisible() && node.kind() != NodeKind.OUTPUT
                    && pattern.matches(m.buffer(), m.addressOffset(), m.addressLength(), node.addressBytes())) {
                any = true;
                handle(node, m, tt, from, receiveNanos);
                observed(i, m);
            }
        }
        if (!any) {
            unknown(m, from);
        }
    }

    private void observed(int node, OscMessageView m) {
        MessageObserver o = observer;
        if (o != null) {
            o.onMessage(node, namespace.node(node), m.buffer(), m.offset(), m.length());
        }
    }

    private void unknown(OscMessageView m, OscPeer from) {
        counters.drop(DropReason.UNKNOWN_ADDRESS);
        if (m.argCount() == 0) {
            // Looks like a query: tell the sender rather than leave it waiting.
            replies.fail(from, m.address(), "unknown address");
        }
    }

    private void handle(Node node, OscMessageView m, long tt, OscPeer from, long receiveNanos) {
        switch (node.kind()) {
            case HIT -> performance.onHit(m, tt, from, receiveNanos);
            case HIT_CLASS -> performance.onHitClass(node.pad(), m, tt, from, receiveNanos);
            case NOTE -> performance.onNote(m, tt, from, receiveNanos);
            case PAD_PARAM -> performance.onPadParam(node.pad(), node.param(), m, tt);
            case VALUE -> performance.onValue(node, m, tt);
            case QUERY -> queries.handle(node.param(), m.isNumber(0), m.isNumber(0) ? m.intArg(0) : 0, from,
                    replyTo(m, node.types().length(), from));
            case COMMAND -> onCommand(node, m, tt, from);
            default -> counters.drop(DropReason.UNKNOWN_ADDRESS); // an output address sent to us
        }
    }

    /** A library command: the node's handler checks the arguments and stages the work. */
    private void onCommand(Node node, OscMessageView m, long tt, OscPeer from) {
        long frame = frames.frameFor(tt);
        if (frame == TimetagFrames.REFUSED) {
            return;
        }
        // A variadic node's arguments run on (a latent vector): none of them is a reply port.
        OscPeer to = node.variadic() ? from : replyTo(m, node.types().length(), from);
        if (node.touchesFiles() && !files.admits(from.address(), m, node.types().length())) {
            counters.drop(DropReason.NOT_ALLOWED);
            replies.fail(to, node.address(), "commands that touch files need --osc-file-allow for "
                    + from.address().getHostAddress() + " or the shared secret");
            return;
        }
        if (node.handler().handle(m, call.reset(frame, to))) {
            counters.message();
        } else {
            counters.drop(DropReason.BAD_ARGUMENTS);
        }
    }

    /** Where replies go: the sender, or its host on the UDP port in argument {@code i}. */
    private static OscPeer replyTo(OscMessageView m, int i, OscPeer from) {
        if (m.isNumber(i)) {
            int port = m.intArg(i);
            if (port > 0 && port < 65536) {
                return from.withReplyPort(port);
            }
        }
        return from;
    }

    /**
     * Sends a message to every telemetry subscriber from any thread (queued to the receiver
     * thread): each argument a String, Integer, Long or Float.
     */
    public void notifySubscribers(String address, Object... arguments) {
        post(() -> forwarder.sendToAll(address, arguments));
    }

    private void post(Runnable task) {
        tasks.add(task);
        wakeup.run();
    }

    // ---- duty cycle and telemetry ----

    /**
     * Runs queued completions, reads telemetry, forwards meters at the telemetry rate and expires
     * silent subscribers. Receiver thread; returns how much it did.
     */
    public int doWork() {
        int work = 0;
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
            work++;
        }
        // Read before polling: every report from blocks before this frame is then in the stream.
        long frame = clock.currentFrame();
        int n = telemetry.poll(this, 256);
        work += n;
        if (started.count() > 0 && n < 256 && frame != lastStartScanFrame) {
            // One read may stop short; an empty second read proves the stream is drained.
            int more = telemetry.poll(this, 256);
            work += more;
            if (more == 0) {
                lastStartScanFrame = frame;
                work += started.expire(frame);
            }
        }
        work += forwarder.doWork(nanoClock.getAsLong());
        return work;
    }

    /** Whether anything waits on telemetry (pending syncs, starts or subscribers), so idling must stay short. */
    public boolean awaitsTelemetry() {
        return syncs.count() > 0 || started.count() > 0 || forwarder.count() > 0;
    }

    @Override
    public void onVoiceStarted(long tag, int pad, long frame) {
        started.onVoiceStarted(tag, pad, frame);
    }

    @Override
    public void onSynced(long id, long frame) {
        syncs.onSynced(id);
    }

    @Override
    public void onMeter(float peakLeft, float peakRight, int voices, long frame) {
        forwarder.onMeter(peakLeft, peakRight, voices);
    }

    @Override
    public void onBeat(long beat, long frame) {
        forwarder.onBeat(beat);
    }

    @Override
    public void onPatternStep(int bar, int tick, long frame) {
        forwarder.onPatternStep(bar, tick);
    }

    static boolean isPlainName(String name) {
        return OscNodes.isPlainName(name);
    }
}
