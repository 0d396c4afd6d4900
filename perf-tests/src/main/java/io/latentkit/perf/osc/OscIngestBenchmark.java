package io.latentkit.perf.osc;

import com.sun.management.ThreadMXBean;
import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Pad;
import io.latentkit.core.kit.PadParam;
import io.latentkit.core.kit.Sample;
import io.latentkit.core.kit.VelocityLayer;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.control.EngineClock;
import io.latentkit.engine.control.TelemetryHandler;
import io.latentkit.engine.sink.AudioSinkException;
import io.latentkit.osc.OscCounters;
import io.latentkit.osc.OscServer;
import io.latentkit.osc.OscServerConfig;
import io.latentkit.osc.codec.OscMessageWriter;
import io.latentkit.osc.codec.TimeTags;
import io.latentkit.perf.compare.DiscardSink;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * OSC ingest on loopback, end to end through the real server and the real engine: one or more UDP
 * senders at a paced rate, the OSC receiver thread, the engine's control ring, and a render loop that
 * renders blocks back to back on its own thread (offline, so no wait for a sound card).
 *
 * <p>Reports, per run: messages sent, handled and lost; bytes allocated by the OSC receiver thread per
 * message (ThreadMXBean); and the receive-to-render handoff latency from the receiver's
 * {@code System.nanoTime()} at datagram receipt (carried as the trigger tag) to the start of the
 * render block that took the event from the ring (a block polls the ring before it renders). The
 * render loop renders blocks back to back and never waits for a deadline, so the figure excludes the
 * wait for the next real-time block; an event that arrives while a block renders waits for that
 * block to finish, so the figure includes up to one offline block render (reported alongside).
 * Senders pace themselves by parking, so on a 2-core machine they do not compete with the receiver
 * for a core while idle.
 *
 * <p>Usage: {@code OscIngestBenchmark [rate msg/s] [seconds] [messages per datagram] [senders]}.
 * With more than one message per datagram the messages travel as an immediate bundle.
 */
public final class OscIngestBenchmark {
    private OscIngestBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 500_000;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int batch = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        int senders = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        run(rate, 1, batch, senders, false); // warm-up: JIT the whole path
        run(rate, seconds, batch, senders, true);
    }

    private static Kit clickKit(int rateHz) {
        Pad[] pads = new Pad[DrumClass.COUNT];
        for (int i = 0; i < pads.length; i++) {
            // A short silent sound (256 frames, 4 blocks): the render loop mixes at most a few hundred
            // voices per block however many hits arrive.
            pads[i] = new Pad(DrumClass.ofPad(i), VelocityLayer.of(Sample.mono("click", new float[256], rateHz)));
            pads[i].set(PadParam.CURVE, 0f);
        }
        return new Kit("bench", rateHz, pads);
    }

    private static void run(int rate, int seconds, int batch, int senders, boolean report) throws Exception {
        EngineConfig ec = EngineConfig.defaults();
        Engine engine = Engine.create(ec, clickKit(ec.sampleRateHz()),
                EngineClock.fixed(System.currentTimeMillis() * 1_000_000L, ec.sampleRateHz()));
        OscServerConfig config = OscServerConfig.defaults().withPort(0).withRate(1e9, 1e6);
        // The benchmark's render loop reads telemetry (for the latency tags) through the default
        // reader; the server follows the stream with a reader of its own.
        OscServer server = OscServer.start(config, engine, null, System::nanoTime);
        OscCounters counters = server.counters();
        Histogram handoff = new Histogram(10_000_000_000L, 3);
        Histogram blockNanos = new Histogram(10_000_000_000L, 3);
        AtomicBoolean rendering = new AtomicBoolean(true);
        AtomicLong voices = new AtomicLong();
        Thread render = new Thread(() -> renderLoop(engine, rendering, handoff, blockNanos, voices), "bench-render");
        render.setDaemon(true);
        render.start();

        Thread osc = findThread("latentkit-osc");
        ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long packetsPerSender = (long) rate * seconds / batch / senders;
        Thread[] threads = new Thread[senders];
        AtomicLong sentMessages = new AtomicLong();
        long allocBefore = mx.getThreadAllocatedBytes(osc.getId());
        long cpuBefore = mx.getThreadCpuTime(osc.getId());
        long messagesBefore = counters.messages();
        long start = System.nanoTime();
        for (int s = 0; s < senders; s++) {
            long period = 1_000_000_000L * batch * senders / rate;
            threads[s] = new Thread(() -> send(server.port(), packetsPerSender, period, batch, sentMessages), "bench-send-" + s);
            threads[s].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        long sendNanos = System.nanoTime() - start;
        long expected = sentMessages.get();
        // Let the receiver drain its socket buffer: wait until nothing changes for 200 ms.
        long last = -1;
        while (counters.messages() + counters.totalDrops() - messagesBefore != last) {
            last = counters.messages() + counters.totalDrops() - messagesBefore;
            Thread.sleep(200);
        }
        long handled = counters.messages() - messagesBefore;
        long allocAfter = mx.getThreadAllocatedBytes(osc.getId());
        long cpuAfter = mx.getThreadCpuTime(osc.getId());
        rendering.set(false);
        render.join();
        server.close();
        engine.close();
        if (!report) {
            return;
        }
        System.out.printf("OSC ingest: %d msg/s target, %d s, %d msg/datagram, %d sender(s), %d cores, load %.2f%n",
                rate, seconds, batch, senders, Runtime.getRuntime().availableProcessors(),
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.out.printf("  sent %d messages in %.3f s = %.0f msg/s offered%n", expected, sendNanos / 1e9,
                expected * 1e9 / sendNanos);
        System.out.printf("  handled %d, lost %d (%.4f%%), drops by reason: %s%n", handled, expected - handled,
                100.0 * (expected - handled) / expected, counters);
        System.out.printf("  engine: ring-full drops %d, voices started %d, late %d%n",
                engine.counters().ringFullDrops(), voices.get(), engine.counters().lateEvents());
        System.out.printf("  OSC receiver thread allocated %d bytes = %.3f bytes/message%n",
                allocAfter - allocBefore, (double) (allocAfter - allocBefore) / Math.max(1, handled));
        System.out.printf("  OSC receiver thread CPU %.3f s = %.0f ns/message (idle spinning included)%n",
                (cpuAfter - cpuBefore) / 1e9, (double) (cpuAfter - cpuBefore) / Math.max(1, handled));
        System.out.printf("  handoff receive->render (us): p50 %.1f  p99 %.1f  p99.9 %.1f  max %.1f  (n=%d)%n",
                handoff.getValueAtPercentile(50) / 1e3, handoff.getValueAtPercentile(99) / 1e3,
                handoff.getValueAtPercentile(99.9) / 1e3, handoff.getMaxValue() / 1e3, handoff.getTotalCount());
        System.out.printf("  offline block render (us): p50 %.1f  p99 %.1f  p99.9 %.1f%n",
                blockNanos.getValueAtPercentile(50) / 1e3, blockNanos.getValueAtPercentile(99) / 1e3,
                blockNanos.getValueAtPercentile(99.9) / 1e3);
    }

    private static void renderLoop(Engine engine, AtomicBoolean running, Histogram handoff, Histogram blockNanos,
                                   AtomicLong voices) {
        DiscardSink sink = new DiscardSink();
        int block = engine.config().blockFrames();
        long[] blockStart = new long[1];
        TelemetryHandler h = new TelemetryHandler() {
            @Override
            public void onVoiceStarted(long tag, int pad, long frame) {
                voices.incrementAndGet();
                long d = blockStart[0] - tag;
                if (d > 0) {
                    handoff.recordValue(Math.min(d, handoff.getHighestTrackableValue()));
                }
            }
        };
        try {
            while (running.get()) {
                long t0 = System.nanoTime();
                // The block polls the ring first thing: an event it starts was in the ring by t0.
                blockStart[0] = t0;
                engine.renderOffline(sink, block);
                long t1 = System.nanoTime();
                blockNanos.recordValue(t1 - t0);
                while (engine.telemetry().poll(h, 4096) > 0) {
                    // drain every record of this block
                }
            }
        } catch (AudioSinkException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void send(int port, long packets, long periodNanos, int batch, AtomicLong sent) {
        try (DatagramChannel ch = DatagramChannel.open()) {
            ch.connect(new InetSocketAddress("127.0.0.1", port));
            OscMessageWriter w = new OscMessageWriter(64);
            w.begin("/hit", "if").putInt(3).putFloat(0.8f);
            byte[] msg = w.toByteArray();
            ByteBuffer buf;
            if (batch == 1) {
                buf = ByteBuffer.wrap(msg);
            } else {
                buf = ByteBuffer.allocate(16 + batch * (4 + msg.length));
                buf.put("#bundle\0".getBytes(StandardCharsets.US_ASCII)).putLong(TimeTags.IMMEDIATELY);
                for (int i = 0; i < batch; i++) {
                    buf.putInt(msg.length).put(msg);
                }
                buf.flip();
            }
            long next = System.nanoTime();
            for (long i = 0; i < packets; i++) {
                // Paced by parking, not spinning: when ahead of schedule the sender sleeps (Linux
                // parks for at least ~50 us, so datagrams leave in short bursts at the mean rate)
                // and leaves the cores to the receiver and the render loop.
                long now;
                while ((now = System.nanoTime()) < next) {
                    LockSupport.parkNanos(next - now);
                }
                next += periodNanos;
                buf.rewind();
                ch.write(buf);
                sent.addAndGet(batch);
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Thread findThread(String name) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(name)) {
                return t;
            }
        }
        throw new IllegalStateException("no thread " + name);
    }
}
