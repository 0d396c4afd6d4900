package io.latentkit.osc.testkit;

import io.latentkit.osc.codec.TimeTags;
import io.latentkit.engine.sink.MemorySink;
import static org.junit.jupiter.api.Assertions.fail;

import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.control.EngineClock;
import io.latentkit.engine.sink.AudioSinkException;
import io.latentkit.osc.KitLoader;
import io.latentkit.osc.OscCounters;
import io.latentkit.osc.OscServer;
import io.latentkit.osc.OscServerConfig;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * A real engine rendered offline with a fixed clock (frame 0 at {@link #EPOCH_NANOS}) behind a real
 * OSC server on a free loopback port, with a manual clock for rate limits and leases.
 */
public final class OscTestRig implements AutoCloseable {
    /** Unix-epoch nanoseconds of engine frame 0 (2027-01-15T08:00:00Z). */
    public static final long EPOCH_NANOS = 1_800_000_000_000_000_000L;
    public static final int RATE_HZ = 48_000;

    public final Engine engine;
    public final OscServer server;
    public final MemorySink sink = new MemorySink();
    public final ManualNanoClock nanos = new ManualNanoClock();
    public final long epochNanos;

    public OscTestRig() {
        this(c -> c, TestKits.library(Map.of(
                "clicks", () -> TestKits.clicks("clicks", RATE_HZ, 1f),
                "quiet", () -> TestKits.clicks("quiet", RATE_HZ, 0.5f))));
    }

    public OscTestRig(UnaryOperator<OscServerConfig> tweak, KitLoader kits) {
        this(tweak, kits, EPOCH_NANOS);
    }

    /** A rig whose engine frame 0 lies at {@code epochNanos} (e.g. "now", for peers that stamp real time). */
    public OscTestRig(UnaryOperator<OscServerConfig> tweak, KitLoader kits, long epochNanos) {
        this.epochNanos = epochNanos;
        engine = Engine.create(EngineConfig.defaults(), TestKits.clicks("clicks", RATE_HZ, 1f),
                EngineClock.fixed(epochNanos, RATE_HZ));
        OscServerConfig config = tweak.apply(OscServerConfig.defaults().withPort(0));
        server = OscServer.start(config, engine, kits, nanos);
    }

    /** NTP timetag of engine frame {@code frame} under this rig's fixed clock. */
    public long timetagOfFrame(long frame) {
        return TimeTags.fromEpochNanos(epochNanos + Math.floorDiv(frame * 1_000_000_000L, RATE_HZ));
    }

    public int port() {
        return server.port();
    }

    public OscCounters counters() {
        return server.counters();
    }

    /** Renders {@code frames} more frames into {@link #sink} on this thread. */
    public void render(int frames) {
        try {
            engine.renderOffline(sink, frames);
        } catch (AudioSinkException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Renders block by block until {@code client} receives a reply, and returns it: a staged
     * command answers once the render thread has applied it, which in this offline rig happens
     * only when the test renders.
     */
    public String receiveWhileRendering(UdpClient client) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            render(engine.config().blockFrames());
            String s = client.poll(2);
            if (s != null) {
                return s;
            }
        }
        return fail("no reply within 20 s of rendering");
    }

    /** Waits (polling, up to 20 s) until {@code condition} holds; fails with {@code what} otherwise. */
    public static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("interrupted waiting for " + what);
            }
        }
    }

    /** Waits until the server has acted on {@code n} messages in total. */
    public void awaitMessages(long n) {
        await(n + " messages handled (now " + counters() + ")", () -> counters().messages() >= n);
    }

    /** Waits until the server has dropped {@code n} packets in total. */
    public void awaitDrops(long n) {
        await(n + " drops (now " + counters() + ")", () -> counters().totalDrops() >= n);
    }

    @Override
    public void close() {
        server.close();
        engine.close();
    }
}
