package io.latentkit.osc;

import io.latentkit.engine.Engine;
import io.latentkit.core.namespace.Namespace;
import io.latentkit.osc.dispatch.OscDispatcher;
import io.latentkit.osc.transport.OscReceiver;
import java.io.IOException;
import java.io.UncheckedIOException;
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
    /** Empty duty cycles spun before blocking in the selector. */
    private static final int SPIN_CYCLES = 2_000;

    private final OscServerConfig config;
    private final OscCounters counters;
    private final OscReceiver receiver;
    private final OscDispatcher dispatcher;
    private final Namespace namespace;
    private final Thread thread;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile boolean running = true;

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
                config.receiveBufferBytes(), config.maxTcpConnections(), dispatcher, counters, nanoClock);
        dispatcher.wakeup(receiver::wakeup);
        this.thread = new Thread(this::run, "latentkit-osc");
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

    /** The namespace this server routes. */
    public Namespace namespace() {
        return namespace;
    }

    /** Connects the server's staged actions: presets, MIDI learn, model status. Any thread. */
    public void actions(ServerActions actions) {
        dispatcher.actions(actions);
    }

    /** The bound port, UDP and TCP. */
    public int port() {
        return receiver.port();
    }

    /** The bound address (UDP; TCP listens on the same). */
    public java.net.InetSocketAddress localAddress() {
        return receiver.localAddress();
    }

    /** Packet, message and drop counters. */
    public OscCounters counters() {
        return counters;
    }

    public OscServerConfig config() {
        return config;
    }

    private void run() {
        int idleCycles = 0;
        try {
            while (running) {
                int work;
                try {
                    work = receiver.doWork() + dispatcher.doWork();
                    receiver.flush();
                } catch (IOException | RuntimeException e) {
                    // Socket-level failure outside any one packet (each packet has its own guard).
                    if (!running) {
                        break;
                    }
                    counters.drop(DropReason.INTERNAL_ERROR);
                    LOG.warn("OSC receive loop error (continuing): {}", e.toString());
                    work = 0;
                }
                if (work > 0) {
                    idleCycles = 0;
                } else if (++idleCycles > SPIN_CYCLES) {
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
        } finally {
            stopped.countDown();
        }
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
