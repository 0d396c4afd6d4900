package io.latentkit.perf.models;

import com.sun.management.ThreadMXBean;
import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.DefaultKit;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Pad;
import io.latentkit.core.kit.Sample;
import io.latentkit.core.kit.VelocityLayer;
import io.latentkit.core.namespace.Namespace;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.render.MissForensics;
import io.latentkit.engine.sink.NullSink;
import io.latentkit.models.DrumVae;
import io.latentkit.models.InferenceWorker;
import io.latentkit.models.LatentOps;
import io.latentkit.models.Models;
import io.latentkit.models.latent.LatentAgent;
import io.latentkit.models.latent.LatentConfig;
import io.latentkit.models.latent.LatentStats;
import io.latentkit.models.latent.VaeLatentSpace;
import io.latentkit.osc.OscServer;
import io.latentkit.osc.OscServerConfig;
import io.latentkit.osc.codec.OscMessageView;
import io.latentkit.osc.codec.OscMessageWriter;
import io.latentkit.server.Conductor;
import io.latentkit.server.RealtimeIsolation;
import io.latentkit.server.ServerNamespace;
import io.latentkit.testsupport.QuietJit;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The figures of issue 14 from a live server: the engine in real time (null sink, wall-clock
 * paced) with 64 voices sounding, the latent agent on an inference worker with the shipped VAE, and
 * the real OSC server on loopback. First the VAE's decode per morph step alone (one thread, wall and
 * CPU time); then a gesture: {@code /latent/xy} with an id 100 times a second along a circle of the
 * pad's morph square, timing each datagram to its {@code /latent/ready}; with the render thread's
 * allocated bytes, its deadline misses, how the moves were served (cache, grid, exact, superseded)
 * and the grid's build time and memory.
 *
 * <p>Every measured move's hops are timed (see {@link LatentHops}) and printed as a table of where
 * the time goes.
 *
 * <p>Usage: {@code LatentMorphBenchmark [SECONDS] [GRID] [CACHE] [REPLIES] [ISOLATION]} (defaults 30, 0, 128 and
 * {@code prompt}; GRID 2..33 pre-decodes an N x N grid first; CACHE 0 makes every move an exact
 * decode or a grid hit). REPLIES says who completes the pads' applied stages, after which
 * {@code /latent/ready} leaves: {@code prompt} (the default: the pads' own watcher, with the
 * engine's housekeeping on a {@link Conductor} as {@code serve} runs it), {@code conductor} (the
 * housekeeping on a conductor alone, as {@code serve} did before the watcher), or
 * {@code engine-housekeeping} (the engine's own housekeeping thread, which sleeps up to 20 ms when
 * idle: what this benchmark measured before it ran a conductor). ISOLATION ({@code none}, the
 * default) can isolate as {@code serve --realtime auto} does ({@code render}) and then raise the
 * inference thread to nice -10 ({@code nice}) or {@code SCHED_FIFO} 3 ({@code fifo}): an experiment
 * (perf-tests/RESULTS-LATENT.md), not what serve does. Run alone; on a shared machine
 * quote the load beside the figures (printed at the start and the end).
 */
public final class LatentMorphBenchmark {
    private static final int SR = 48_000;
    private static final int PAD = DrumClass.PERC.pad();

    private LatentMorphBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 30;
        int grid = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        int cache = args.length > 2 ? Integer.parseInt(args[2]) : LatentConfig.DEFAULT_CACHE;
        String replies = args.length > 3 ? args[3] : "prompt";
        String isolate = args.length > 4 ? args[4] : "none";
        if (!replies.equals("prompt") && !replies.equals("conductor") && !replies.equals("engine-housekeeping")) {
            throw new IllegalArgumentException("REPLIES must be prompt, conductor or engine-housekeeping, not " + replies);
        }
        boolean prompt = replies.equals("prompt");
        boolean ownHousekeeping = replies.equals("engine-housekeeping");
        System.out.printf(Locale.ROOT, "load average %s; grid %d, cache %d, replies %s%n", load(), grid, cache, replies);
        Models models = Models.loadDefault();
        if (!models.isAvailable()) {
            throw new IllegalStateException("models unavailable: " + models.unavailableReason().orElse("?"));
        }
        decodeAlone(models);

        Engine engine = Engine.create(EngineConfig.defaults().withVoices(64), kit());
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        for (int i = 0; i < 64; i++) {
            engine.proxy().trigger(i % (DrumClass.COUNT - 1), 0.8f, EngineProxy.ASAP);
        }
        InferenceWorker worker = new InferenceWorker(models);
        LatentConfig config = LatentConfig.defaults().withGrid(grid).withCache(cache).withPromptReplies(prompt);
        LatentAgent agent = new LatentAgent(engine.proxy(), engine.commands(), SR, config, null);
        agent.attach(worker);
        Namespace ns = ServerNamespace.build(engine, null, () -> null, () -> null, () -> null, agent);
        engine.start(new NullSink(256), ownHousekeeping);
        Conductor conductor = new Conductor(engine.controlThreads());
        if (!ownHousekeeping) {
            conductor.add(engine.housekeeping()).start();
        }
        OscServer osc = OscServer.start(OscServerConfig.defaults().withPort(0), ns, engine, System::nanoTime);
        // Start the worker's thread now so it can be found by name.
        worker.submit(m -> null).get();
        isolate(isolate);
        try (DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            client.setSoTimeout(50);
            // Corners: the pad's own sound, two random points, the snare's sound.
            send(client, osc, "/latent/anchor", PAD, 1, "random");
            send(client, osc, "/latent/anchor", PAD, 2, "random");
            send(client, osc, "/latent/anchor", PAD, 3, "pad:" + DrumClass.SNARE.pad());
            long t0 = System.nanoTime();
            while (agent.states().isEmpty() || grid > 0 && agent.stats().gridsBuilt() < 1) {
                receive(client, new OscMessageView[1]);
                if (System.nanoTime() - t0 > 600_000_000_000L) {
                    throw new IllegalStateException("corners or grid not ready in 10 minutes: " + agent.stats());
                }
            }
            if (grid > 0) {
                System.out.printf(Locale.ROOT, "grid %dx%d: built in %.2f s (%.2f s decoding), %.2f MB%n", grid, grid,
                        agent.stats().lastGridBuildNanos() / 1e9, agent.stats().lastGridDecodeNanos() / 1e9,
                        agent.stats().lastGridBytes() / 1e6);
            }
            // A short gesture first, then a quiet JIT: the measured one runs compiled code.
            gesture(engine, agent, osc, client, threads, 5, 1_000_000, false);
            long quietMs = QuietJit.await(30_000, 2_000);
            System.out.printf(Locale.ROOT, "warm-up gesture 5 s; JIT quiet after %d ms%n", quietMs);
            gesture(engine, agent, osc, client, threads, seconds, 0, true);
            System.out.printf(Locale.ROOT, "load average at the end %s%n", load());
        } finally {
            osc.close();
            agent.close();
            conductor.close();
            engine.close();
            worker.close();
        }
    }

    /** The VAE's decode of one morph step, on this thread: what an exact move costs. */
    private static void decodeAlone(Models models) throws Exception {
        VaeLatentSpace space = new VaeLatentSpace(models.vae());
        Random rng = new Random(14);
        float[] out = new float[space.clipSamples()];
        Histogram wall = new Histogram(10_000_000_000L, 3);
        Histogram cpu = new Histogram(10_000_000_000L, 3);
        Histogram magCpu = new Histogram(10_000_000_000L, 3);
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        float[] mag = models.vae().lastMagnitude().clone();
        for (int i = 0; i < 230; i++) {
            float[] z = LatentOps.random(space.size(), rng);
            long c0 = threads.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            space.decode(z, out);
            long t = System.nanoTime() - t0;
            long c = threads.getCurrentThreadCpuTime() - c0;
            long m0 = threads.getCurrentThreadCpuTime();
            models.vae().decodeMagnitude(z, mag);
            long m = threads.getCurrentThreadCpuTime() - m0;
            if (i >= 30) {
                wall.recordValue(t);
                cpu.recordValue(c);
                magCpu.recordValue(m);
            }
        }
        System.out.printf(Locale.ROOT, "decode per morph step (%d-d point -> %d samples at %d Hz), 200 runs: wall p50 %.2f "
                + "p99 %.2f max %.2f ms; thread CPU p50 %.2f p99 %.2f ms%n", space.size(), space.clipSamples(),
                space.rateHz(), wall.getValueAtPercentile(50) / 1e6, wall.getValueAtPercentile(99) / 1e6,
                wall.getMaxValue() / 1e6, cpu.getValueAtPercentile(50) / 1e6, cpu.getValueAtPercentile(99) / 1e6);
        System.out.printf(Locale.ROOT, "  of which the decoder network alone (ONNX, magnitudes): thread CPU p50 %.2f p99 %.2f "
                + "ms; the rest is phase reconstruction (%d fast Griffin-Lim iterations)%n",
                magCpu.getValueAtPercentile(50) / 1e6, magCpu.getValueAtPercentile(99) / 1e6, DrumVae.DEFAULT_ITERATIONS);
    }

    /** Moves at 100/s for {@code seconds}, ids from {@code firstId}; prints the figures when {@code report}. */
    private static void gesture(Engine engine, LatentAgent agent, OscServer osc, DatagramSocket client,
            ThreadMXBean threads, int seconds, int firstId, boolean report) throws Exception {
        int moves = seconds * 100;
        AtomicLongArray sentAt = new AtomicLongArray(moves);
        AtomicLongArray readyAt = new AtomicLongArray(moves);
        AtomicLongArray sentFrame = new AtomicLongArray(moves);
        AtomicLongArray liveFrame = new AtomicLongArray(moves);
        AtomicBoolean receiving = new AtomicBoolean(true);
        Thread receiver = new Thread(() -> {
            OscMessageView[] v = new OscMessageView[1];
            while (receiving.get()) {
                try {
                    if (receive(client, v) && v[0].address().equals("/latent/ready")) {
                        int id = v[0].intArg(1) - firstId;
                        if (id >= 0 && id < moves) {
                            if (readyAt.compareAndSet(id, 0, System.nanoTime())) {
                                liveFrame.set(id, v[0].longArg(2));
                            }
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        }, "bench-receiver");
        receiver.start();
        long tid = engine.renderThread().getId();
        LatentHops hops = new LatentHops(() -> engine.counters().framePosition(), SR);
        if (report) {
            agent.trace(hops);
        }
        long gcMs0 = gcMillis();
        long gcN0 = gcCount();
        long workerCpu0 = threadCpu(threads, "latentkit-inference");
        long renderCpu0 = threads.getThreadCpuTime(tid);
        LatentStats s = agent.stats();
        long cache0 = s.cacheHits();
        long grid0 = s.gridHits();
        long exact0 = s.exactDecodes();
        long sup0 = s.superseded();
        long refined0 = s.refinements();
        long misses0 = engine.counters().deadlineMisses();
        long alloc0 = threads.getThreadAllocatedBytes(tid);
        long start = System.nanoTime();
        for (int i = 0; i < moves; i++) {
            long due = start + i * 10_000_000L;
            while (System.nanoTime() < due) {
                LockSupport.parkNanos(200_000L);
            }
            double a = 2 * Math.PI * i / 400.0; // one turn every 4 s
            double r = report ? 0.4 : 0.15; // the warm-up's own circle leaves the measured one uncached
            float x = (float) (0.5 + r * Math.cos(a));
            float y = (float) (0.5 + r * Math.sin(a));
            sentAt.set(i, System.nanoTime());
            sentFrame.set(i, engine.counters().framePosition());
            send(client, osc, "/latent/xy", PAD, x, y, firstId + i);
        }
        Thread.sleep(2_000);
        receiving.set(false);
        receiver.join();
        long alloc = threads.getThreadAllocatedBytes(tid) - alloc0;
        long wallNs = System.nanoTime() - start;
        agent.trace(null);
        if (!report) {
            return;
        }
        Histogram h = new Histogram(60_000_000_000L, 3);
        Histogram live = new Histogram(1L << 40, 3);
        int lost = 0;
        for (int i = 0; i < moves; i++) {
            if (readyAt.get(i) == 0) {
                lost++;
            } else {
                h.recordValue(Math.max(0, readyAt.get(i) - sentAt.get(i)));
                live.recordValue(Math.max(0, liveFrame.get(i) - sentFrame.get(i)));
            }
        }
        long served = s.cacheHits() - cache0 + s.gridHits() - grid0 + s.exactDecodes() - exact0;
        System.out.printf(Locale.ROOT, "gesture: %d moves at 100/s over %d s, 64 voices started (%d sounding at the end)%n",
                moves, seconds, engine.counters().activeVoices());
        System.out.printf(Locale.ROOT, "/latent/xy -> /latent/ready: p50 %.2f p90 %.2f p99 %.2f max %.2f ms (%d without a "
                + "ready); one block is %.2f ms%n", h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(90) / 1e6,
                h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6, lost, 64 * 1e3 / SR);
        System.out.printf(Locale.ROOT, "datagram sent -> sound live (the ready's frame against the frame rendered at the "
                + "send): p50 %.1f p90 %.1f p99 %.1f max %.1f blocks%n", live.getValueAtPercentile(50) / 64.0,
                live.getValueAtPercentile(90) / 64.0, live.getValueAtPercentile(99) / 64.0, live.getMaxValue() / 64.0);
        System.out.printf(Locale.ROOT, "served: %d (cache %d, grid %d, exact %d), superseded unserved %d, refined %d%n",
                served, s.cacheHits() - cache0, s.gridHits() - grid0, s.exactDecodes() - exact0, s.superseded() - sup0,
                s.refinements() - refined0);
        System.out.printf(Locale.ROOT, "render thread: %d bytes allocated during the gesture, %d deadline misses%n", alloc,
                engine.counters().deadlineMisses() - misses0);
        System.out.printf(Locale.ROOT, "CPU over the gesture's %.1f s: inference worker %.1f %%, render thread %.1f %% of a "
                + "core; GC %d collections, %d ms%n", wallNs / 1e9,
                100.0 * (threadCpu(threads, "latentkit-inference") - workerCpu0) / wallNs,
                100.0 * (threads.getThreadCpuTime(tid) - renderCpu0) / wallNs, gcCount() - gcN0, gcMillis() - gcMs0);
        long[] sent = new long[moves];
        long[] ready = new long[moves];
        for (int i = 0; i < moves; i++) {
            sent[i] = sentAt.get(i);
            ready[i] = readyAt.get(i);
        }
        hops.print(firstId, sent, ready);
    }

    /** none | render (serve's --realtime auto) | nice (and the inference thread at nice -10) | fifo (at SCHED_FIFO 3). */
    private static void isolate(String how) {
        if (how.equals("none")) {
            System.out.println("isolation: none");
            return;
        }
        long render = MissForensics.tidOfThreadNamed("latentkit-render");
        List<String> got = RealtimeIsolation.apply(
                RealtimeIsolation.parse("auto"), render);
        long inference = MissForensics.tidOfThreadNamed("latentkit-inference");
        String inf = switch (how) {
            case "render" -> "normal";
            case "nice" -> RealtimeIsolation.nice(inference, -10);
            case "fifo" -> RealtimeIsolation.fifo(inference, 3);
            default -> throw new IllegalArgumentException("ISOLATION must be none, render, nice or fifo, not " + how);
        };
        System.out.println("isolation: render " + String.join("; ", got) + "; inference (tid " + inference + ") " + inf);
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown (" + e.getMessage() + ")";
        }
    }

    private static long gcMillis() {
        long ms = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            ms += Math.max(0, gc.getCollectionTime());
        }
        return ms;
    }

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }

    private static long threadCpu(ThreadMXBean threads, String name) {
        for (long id : threads.getAllThreadIds()) {
            var info = threads.getThreadInfo(id);
            if (info != null && name.equals(info.getThreadName())) {
                return threads.getThreadCpuTime(id);
            }
        }
        return -1;
    }

    /** Long tones on every pad but the latent one (the default kit's percussion), so 64 voices sound throughout. */
    private static Kit kit() {
        Kit base = DefaultKit.create(SR);
        Pad[] pads = new Pad[DrumClass.COUNT];
        for (int i = 0; i < pads.length; i++) {
            if (i == PAD) {
                pads[i] = base.pad(i);
                continue;
            }
            float[] tone = new float[60 * SR];
            for (int k = 0; k < tone.length; k++) {
                tone[k] = 0.005f * (float) Math.sin(2 * Math.PI * (60 + 20 * i) * k / SR);
            }
            pads[i] = new Pad(DrumClass.ofPad(i), VelocityLayer.of(Sample.mono("tone" + i, tone, SR)));
        }
        return new Kit("bench", SR, pads);
    }

    private static void send(DatagramSocket client, OscServer osc, String address, Object... args) throws Exception {
        OscMessageWriter w = OscMessageWriter.message(address, args);
        client.send(new DatagramPacket(w.buffer(), w.length(), InetAddress.getLoopbackAddress(), osc.port()));
    }

    private static boolean receive(DatagramSocket client, OscMessageView[] view) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
        try {
            client.receive(p);
        } catch (SocketTimeoutException e) {
            return false;
        }
        OscMessageView v = OscMessageView.create(64);
        v.wrapChecked(p.getData(), 0, p.getLength(), 64);
        view[0] = v;
        return true;
    }
}
