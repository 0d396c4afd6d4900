package io.latentkit.perf.compare;

import java.util.Locale;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.sink.NullSink;
import io.latentkit.osc.OscServer;
import io.latentkit.osc.OscServerConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
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
 * <p>Usage: {@code DeadlineServer voices=256 seconds=S buffer=FRAMES}.
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
        engine.start(new NullSink(buffer));
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
        Child.result(r);
        osc.close();
        engine.close();
    }
}
