package io.latentkit.osc;

import io.latentkit.core.namespace.Namespace;
import io.latentkit.engine.Engine;
import io.latentkit.engine.control.ControlThreads;
import io.latentkit.osc.dispatch.MessageObserver;
import io.latentkit.osc.dispatch.OscDispatcher;
import io.latentkit.osc.transport.OscReceiver;
import io.latentkit.osc.transport.PacketInbox;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The OSC control surface: one receiver thread ({@code latentkit-osc}) that owns the UDP and TCP
 * sockets on one port, decodes, dispatches to the engine, answers queries and forwards telemetry.
 * The entry point for {@code latentkit serve}: {@link #start(OscServerConfig, Engine, KitLoader)}.
 *
 * <p>Duty cycle: read every socket without blocking and handle what arrived; when nothing arrived for
 * a while, block in the selector (woken by a packet, a kit-load completion, or a short timeout while
 * a {@code /sync}, a {@code /started} reply or a subscription awaits telemetry). A busy receiver
 * never sleeps, so a stream of packets is handled without wake-up latency; an idle one costs no CPU.
 *
 * <p>Threading: {@code start}, {@link #port()}, {@link #counters()} and {@link #close()} from any thread.
 */
public final class OscServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OscServer.class);
    /**
     * How long the loop keeps polling after its last work before it blocks in the selector. The
     * selector wakes as soon as a datagram or a TCP byte arrives, so blocking adds only the
     * kernel's wake-up (tens of microseconds); the short spin catches the next packet of a burst
     * without it. It used to be 2,000 polling cycles (two system calls each): at 1,000 hits a
     * second a packet always arrived before they ran out, and the thread never blocked (160 s of
     * CPU in a 10-minute soak, against the render thread's 46 s).
     */
    private static final long SPIN_NANOS = 50_000L;
    /** Packets from other transports (the web console) waiting for this thread; beyond it they are refused. */
    private static final int INBOX_PACKETS = 4_096;
    /** Inbox packets handled per duty cycle, so sockets are read between them. */
    private static final int INBOX_BURST = 64;

    private final OscServerConfig config;
    private final OscCounters counters;
    private final OscReceiver receiver;
    private final OscDispatcher dispatcher;
    private final PacketInbox inbox;
    private final Namespace namespace;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;
    private final Map<Class<?>, Boolean> loggedLoopErrors = new ConcurrentHashMap<>();
    private final ControlThreads controlThreads;

    private OscServer(OscServerConfig config, Namespace namespace, Engine engine, LongSupplier nanoClock)
            throws IOException {
        this.config = config;
        this.counters = new OscCounters();
        this.namespace = namespace;
        this.dispatcher = new OscDispatcher(new OscDispatcher.Settings(config.limits(), config.horizonNanos(),
                config.notifyLeaseNanos(), config.maxSubscribers(), config.telemetryIntervalNanos(), version()),
                namespace, engine.proxy(), engine.clock(), engine.counters(), engine.telemetry().newReader(), counters,
                nanoClock);
        this.receiver = new OscReceiver(config.bindAddress(), config.port(), config.allow(),
                config.limits().maxPacketBytes(), config.ratePerSecondPerHost(), config.rateBurstPerHost(),
                config.receiveBufferBytes(), config.maxTcpConnections(), config.tcp(), config.work(), dispatcher, counters,
                nanoClock);
        dispatcher.wakeup(receiver::wakeup);
        this.inbox = new PacketInbox(INBOX_PACKETS, counters);
        inbox.wakeup(receiver::wakeup);
        this.controlThreads = engine.controlThreads();
        dispatcher.controlRestarts(controlThreads::restarts);
        Runnable loop = controlThreads.supervised("latentkit-osc", this::loop, () -> !running);
        this.thread = new Thread(() -> {
            try {
                loop.run();
            } finally {
                stopped.countDown();
            }
        }, "latentkit-osc");
        thread.setDaemon(true);
    }

    /**
     * Binds and starts serving {@code engine} with the standard namespace (the engine's and OSC's
     * nodes). Close it to stop.
     *
     * @param kits the kit library for {@code /kit/load} and {@code /kit/list}, or {@code null}
     * @throws UncheckedIOException when the port cannot be bound (the message says which)
     */
    public static OscServer start(OscServerConfig config, Engine engine, KitLoader kits) {
        return start(config, engine, kits, System::nanoTime);
    }

    /**
     * As {@link #start(OscServerConfig, Engine, KitLoader)}; {@code nanoClock} drives rate limits and
     * leases ({@code System::nanoTime} outside tests).
     */
    public static OscServer start(OscServerConfig config, Engine engine, KitLoader kits, LongSupplier nanoClock) {
        AtomicReference<OscServer> self = new AtomicReference<>();
        Namespace ns = OscNodes.standard(engine, kits, () -> {
            OscServer s = self.get();
            return s == null ? null : s.dispatcher.actions();
        });
        OscServer s = start(config, ns, engine, nanoClock);
        self.set(s);
        return s;
    }

    /**
     * Binds and starts routing messages through {@code namespace} (built by the server from every
     * module's nodes) to {@code engine}. Each server reads its own copy of the engine's telemetry.
     */
    public static OscServer start(OscServerConfig config, Namespace namespace, Engine engine, LongSupplier nanoClock) {
        OscServer s;
        try {
            s = new OscServer(config, namespace, engine, nanoClock);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen for OSC on " + config.bindAddress().getHostAddress() + ":"
                    + config.port() + ": " + e.getMessage(), e);
        }
        s.thread.start();
        LOG.info("OSC on {}:{} (UDP and TCP){}", config.bindAddress().getHostAddress(), s.port(),
                config.allow().isEmpty() ? "" : ", allowing " + config.allow());
        return s;
    }

    /**
     * Sends a message to every {@code /notify} subscriber (telemetry from outside the engine, such
     * as listen mode's hits): each argument a String, Integer, Long or Float. Any thread; queued to
     * the receiver thread; allocates, so never from the render thread.
     */
    public void notifySubscribers(String address, Object... arguments) {
        dispatcher.notifySubscribers(address, arguments);
    }

    /** Sets who may send commands that touch files (default: no limit). Any thread. */
    public void fileCommands(FileCommandPolicy policy) {
        dispatcher.fileCommands(policy);
    }

    /** The namespace this server routes. */
    public Namespace namespace() {
        return namespace;
    }

    /** Connects the server's staged actions: presets, MIDI learn, model status. Any thread. */
    public void actions(ServerActions actions) {
        dispatcher.actions(actions);
    }

    /**
     * Where other transports (the web console's WebSocket) hand packets to this server's receiver
     * thread, to be routed exactly as UDP and TCP packets are. Any thread.
     */
    public PacketInbox inbox() {
        return inbox;
    }

    /** Sets who sees every routed message (OSCQuery LISTEN), or {@code null}. Any thread. */
    public void observer(MessageObserver observer) {
        dispatcher.observer(observer);
    }

    /** The bound port, UDP and TCP. */
    public int port() {
        return receiver.port();
    }

    /** The bound address (UDP; TCP listens on the same). */
    public InetSocketAddress localAddress() {
        return receiver.localAddress();
    }

    /** Open TCP connections; any thread. */
    public int tcpConnections() {
        return receiver.connections();
    }

    /** Packet, message and drop counters. */
    public OscCounters counters() {
        return counters;
    }

    public OscServerConfig config() {
        return config;
    }

    /**
     * The duty cycle. What escapes it (an Error no guard expects: a class that fails to link, an
     * assertion) ends only this run of it: the engine's {@link io.latentkit.engine.control.ControlThreads}
     * reports it and enters it again.
     */
    private void loop() {
        long lastWorkNs = System.nanoTime();
        while (running) {
            int work;
            try {
                work = receiver.doWork() + inbox.drain(dispatcher, INBOX_BURST) + dispatcher.doWork();
                receiver.flush();
            } catch (IOException | RuntimeException | OutOfMemoryError | StackOverflowError e) {
                // A failure outside any one packet (each packet has its own guard), or the heap
                // running out: counted and reported, and the loop carries on, so that control is
                // never left deaf by a dead receiver thread.
                if (!running) {
                    break;
                }
                counters.drop(DropReason.INTERNAL_ERROR);
                if (loggedLoopErrors.putIfAbsent(e.getClass(), Boolean.TRUE) == null) {
                    LOG.error("OSC receive loop error (continuing; logged once per kind): {}", e.toString());
                }
                work = 0;
            }
            long now = System.nanoTime();
            if (work > 0) {
                lastWorkNs = now;
            } else if (now - lastWorkNs > SPIN_NANOS) {
                try {
                    receiver.idle(dispatcher.awaitsTelemetry() ? 1 : 100);
                } catch (IOException | RuntimeException e) {
                    if (!running) {
                        break;
                    }
                }
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /** The engine's control-thread supervisor, for the threads of transports beside OSC. Any thread. */
    public ControlThreads controlThreads() {
        return controlThreads;
    }

    /** Stops the receiver thread and closes the sockets. */
    @Override
    public void close() {
        running = false;
        receiver.wakeup();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            receiver.close();
        } catch (IOException e) {
            LOG.debug("closing OSC sockets", e);
        }
    }

    static String version() {
        String v = OscServer.class.getPackage().getImplementationVersion();
        return v == null ? "0.1.0-SNAPSHOT" : v;
    }
}
