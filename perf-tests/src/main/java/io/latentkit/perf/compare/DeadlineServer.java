package io.latentkit.perf.compare;

import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.render.MissCauses;
import io.latentkit.engine.render.MissForensics;
import io.latentkit.engine.sink.AudioSink;
import io.latentkit.engine.sink.CallbackSink;
import io.latentkit.engine.sink.JackSink;
import io.latentkit.engine.sink.NullSink;
import io.latentkit.osc.OscServer;
import io.latentkit.osc.OscServerConfig;
import io.latentkit.server.RealtimeIsolation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Child program of part 2: latentkit rendering in real time on the null sink, controlled over
 * UDP OSC by the orchestrator (1,000 {@code /hit} per second). Each sound lasts
 * {@code voices / 1000} s, so that stream keeps {@code voices} voices sounding. Prints
 * {@code READY port=P}, then waits for a line {@code GO} on stdin, measures for {@code seconds},
 * and prints the render time per block (from {@code counters().renderNanosInterval()}), deadline
 * misses, over-budget blocks, sounding voices and the render thread's allocated bytes.
 *
 * <p>Usage: {@code DeadlineServer voices=256 seconds=S buffer=FRAMES [isolation=off|auto|pin,fifo,mlock]
 * [jack=SERVER]}: with {@code jack} the engine renders from that JACK server's callback instead of
 * the null sink. Misses are reported by cause ({@code misses_<cause>}, the engine's forensics).
 */
public final class DeadlineServer {
    private DeadlineServer() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = Child.args(argv);
        int voices = Integer.parseInt(a.getOrDefault("voices", "256"));
        double seconds = Double.parseDouble(a.get("seconds"));
        int buffer = Integer.parseInt(a.getOrDefault("buffer", "256"));
        Fixtures fx = Fixtures.defaultKit(voices / 1000.0);
        EngineConfig cfg = EngineConfig.defaults().withVoices(voices + 32);
        Engine engine = Engine.create(cfg, fx.kit());
        String jack = a.get("jack");
        AudioSink sink = jack == null ? new NullSink(buffer)
                : new JackSink("lkdeadline", jack, JackSink.Connect.AUTO, List.of());
        engine.start(sink);
        long tid = -1;
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (tid < 0 && System.nanoTime() < deadline) {
            tid = sink instanceof CallbackSink cs ? cs.nativeThreadId() : MissForensics.tidOfThreadNamed("latentkit-render");
            Thread.sleep(5);
        }
        List<String> isolated = RealtimeIsolation.apply(RealtimeIsolation.parse(a.getOrDefault("isolation",
                "off")), tid);
        OscServerConfig d = OscServerConfig.defaults();
        OscServerConfig oc = new OscServerConfig(d.bindAddress(), 0, d.allow(), d.limits(), d.horizonNanos(),
                d.ratePerSecondPerHost(), d.rateBurstPerHost(), d.notifyLeaseNanos(), d.maxSubscribers(),
                d.telemetryIntervalNanos(), d.maxTcpConnections(), d.receiveBufferBytes());
        OscServer osc = OscServer.start(oc, engine, null);
        System.out.println("READY port=" + osc.port());
        System.out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        if (!"GO".equals(in.readLine())) {
            throw new IllegalStateException("expected GO");
        }
        // The stream has run for a while (the orchestrator warms up first): start measuring now.
        engine.counters().renderNanosInterval();
        long misses0 = engine.counters().deadlineMisses();
        long over0 = engine.counters().overBudgetBlocks();
        long blocks0 = engine.counters().blocksRendered();
        long render = engine.renderThread().getId();
        long[] sched0 = schedstat(tid);
        long jackRender0 = sink instanceof JackSink js0 ? js0.renderBytes() : 0;
        long jackThread0 = sink instanceof JackSink js0 ? js0.callbackBytes() : 0;
        MissCauses causes = engine.counters().missCauses();
        long[] causes0 = new long[MissCauses.Cause.values().length];
        for (MissCauses.Cause c : MissCauses.Cause.values()) {
            causes0[c.ordinal()] = causes.count(c);
        }
        long alloc0 = Child.allocatedBytes(render);
        long msgs0 = osc.counters().messages();
        Histogram h = new Histogram(3);
        long end = System.nanoTime() + (long) (seconds * 1e9);
        int minV = Integer.MAX_VALUE;
        int maxV = 0;
        double sumV = 0;
        long nV = 0;
        while (System.nanoTime() < end) {
            Thread.sleep(100);
            int v = engine.counters().activeVoices();
            minV = Math.min(minV, v);
            maxV = Math.max(maxV, v);
            sumV += v;
            nV++;
            h.add(engine.counters().renderNanosInterval());
        }
        h.add(engine.counters().renderNanosInterval());
        long alloc = Child.allocatedBytes(render) - alloc0;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("budget_ns", cfg.blockNanos());
        r.put("blocks", engine.counters().blocksRendered() - blocks0);
        r.put("hist_count", h.getTotalCount());
        r.put("p50_ns", h.getValueAtPercentile(50));
        r.put("p99_ns", h.getValueAtPercentile(99));
        r.put("p9999_ns", h.getValueAtPercentile(99.99));
        r.put("max_ns", h.getMaxValue());
        r.put("deadline_misses", engine.counters().deadlineMisses() - misses0);
        r.put("over_budget_blocks", engine.counters().overBudgetBlocks() - over0);
        r.put("voices_min", minV);
        r.put("voices_avg", String.format(Locale.ROOT, "%.1f", sumV / Math.max(1, nV)));
        r.put("voices_max", maxV);
        r.put("osc_messages", osc.counters().messages() - msgs0);
        r.put("osc_drops", osc.counters().totalDrops());
        r.put("ring_full", engine.counters().ringFullDrops());
        r.put("render_thread_alloc_bytes", alloc);
        long[] sched1 = schedstat(tid);
        r.put("render_oncpu_ms", sched1[0] < 0 ? -1 : (sched1[0] - sched0[0]) / 1_000_000);
        r.put("render_runqueue_ms", sched1[1] < 0 ? -1 : (sched1[1] - sched0[1]) / 1_000_000);
        // The forensics attribute a window's misses one 20 ms sample later: let the last ones land.
        Thread.sleep(100);
        for (MissCauses.Cause c : MissCauses.Cause.values()) {
            r.put("misses_" + c.label(), causes.count(c) - causes0[c.ordinal()]);
        }
        r.put("isolation", String.join("; ", isolated).replace(' ', '_'));
        if (sink instanceof JackSink js) {
            // While measured, as the render-thread bytes above.
            r.put("jack_render_bytes", js.renderBytes() - jackRender0);
            r.put("jack_thread_bytes", js.callbackBytes() - jackThread0);
        }
        Child.result(r);
        osc.close();
        engine.close();
    }

    /** {on-CPU ns, run-queue wait ns} of thread {@code tid}, or {-1, -1}. */
    private static long[] schedstat(long tid) {
        try {
            String[] f = Files.readString(Path.of("/proc/self/task/" + tid + "/schedstat"))
                    .trim().split("\\s+");
            return new long[] {Long.parseLong(f[0]), Long.parseLong(f[1])};
        } catch (IOException | RuntimeException e) {
            return new long[] {-1, -1};
        }
    }
}
