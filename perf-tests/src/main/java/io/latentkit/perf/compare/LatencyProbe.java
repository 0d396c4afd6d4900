package io.latentkit.perf.compare;

import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.control.TelemetryHandler;
import io.latentkit.engine.io.NullSink;
import io.latentkit.osc.OscServer;
import io.latentkit.osc.OscServerConfig;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Child program of part 3, latentkit side. Three measurements on an engine rendering in real time
 * on the null sink:
 * <ol>
 *   <li>{@code imm}: in-process, a trigger with a tag published through {@link EngineProxy} at
 *       {@code ASAP}, timed until a telemetry consumer thread sees {@code onVoiceStarted} for that
 *       tag (published by the render thread after the block that starts the voice);</li>
 *   <li>{@code ts}: the same with a target frame 20 ms ahead: the start frame's error against the
 *       target (sample accuracy) and the time from the target instant to the report;</li>
 *   <li>{@code osc}: over UDP, a bundle of {@code /hit} and {@code /sync id} timed until
 *       {@code /synced id} comes back: the OSC layer's nearest reply to "the voice has started"
 *       (the render thread reports the sync after handling the hit, in the same block).</li>
 * </ol>
 *
 * <p>Usage: {@code LatencyProbe count=N buffer=FRAMES}.
 */
public final class LatencyProbe {
    private static final long AHEAD_NS = 20_000_000L;

    private LatencyProbe() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = Child.args(argv);
        int count = Integer.parseInt(a.getOrDefault("count", "500"));
        int buffer = Integer.parseInt(a.getOrDefault("buffer", "256"));
        Map<String, Object> r = new LinkedHashMap<>();
        inProcess(count, buffer, r);
        overOsc(count, buffer, r);
        Child.result(r);
    }

    private static void inProcess(int count, int buffer, Map<String, Object> r) throws Exception {
        Fixtures fx = Fixtures.defaultKit(0.1);
        Engine engine = Engine.create(EngineConfig.defaults(), fx.kit());
        engine.start(new NullSink(buffer));
        int n = 2 * count;
        long[] sent = new long[n + 1];
        long[] target = new long[n + 1];
        long[] targetNs = new long[n + 1];
        long[] seenNs = new long[n + 1];
        long[] seenFrame = new long[n + 1];
        Thread consumer = new Thread(() -> {
            TelemetryHandler h = new TelemetryHandler() {
                @Override
                public void onVoiceStarted(long tag, int pad, long frame) {
                    if (tag > 0 && tag <= n) {
                        seenNs[(int) tag] = System.nanoTime();
                        seenFrame[(int) tag] = frame;
                    }
                }
            };
            while (!Thread.currentThread().isInterrupted()) {
                if (engine.telemetry().poll(h, 256) == 0) {
                    Thread.onSpinWait();
                }
            }
        }, "latency-telemetry");
        consumer.setDaemon(true);
        consumer.start();
        Thread.sleep(500);
        EngineProxy proxy = engine.proxy();
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        for (int tag = 1; tag <= n; tag++) {
            // Random phase against the block clock, a few ms apart.
            LockSupport.parkNanos(3_000_000L + rnd.nextLong(2_000_000L));
            long now = System.nanoTime();
            if (tag <= count) {
                sent[tag] = now;
                target[tag] = EngineProxy.ASAP;
                proxy.trigger(tag % 12, 0.8f, EngineProxy.ASAP, tag);
            } else {
                targetNs[tag] = now + AHEAD_NS;
                target[tag] = engine.clock().frameAtNanoTime(targetNs[tag]);
                sent[tag] = now;
                proxy.trigger(tag % 12, 0.8f, target[tag], tag);
            }
        }
        Thread.sleep(200);
        consumer.interrupt();
        Histogram imm = new Histogram(3);
        long[] tsLate = new long[count];
        int nTs = 0;
        long missing = 0;
        long exact = 0;
        long maxErr = 0;
        for (int tag = 1; tag <= n; tag++) {
            if (seenNs[tag] == 0) {
                missing++;
                continue;
            }
            if (tag <= count) {
                imm.recordValue(Math.max(0, seenNs[tag] - sent[tag]));
            } else {
                long err = Math.abs(seenFrame[tag] - target[tag]);
                maxErr = Math.max(maxErr, err);
                if (err == 0) {
                    exact++;
                }
                tsLate[nTs++] = seenNs[tag] - targetNs[tag];
            }
        }
        r.put("imm_p50_us", us(imm.getValueAtPercentile(50)));
        r.put("imm_p99_us", us(imm.getValueAtPercentile(99)));
        r.put("imm_max_us", us(imm.getMaxValue()));
        r.put("ts_exact_frames", exact + "/" + count);
        r.put("ts_max_frame_error", maxErr);
        long[] ts = java.util.Arrays.copyOf(tsLate, nTs);
        java.util.Arrays.sort(ts);
        r.put("ts_report_after_target_p50_us", us(percentile(ts, 50)));
        r.put("ts_report_after_target_p99_us", us(percentile(ts, 99)));
        r.put("ts_report_after_target_min_us", us(nTs == 0 ? 0 : ts[0]));
        r.put("inproc_missing", missing);
        r.put("late_events", engine.counters().lateEvents());
        r.put("render_thread_alloc_bytes_total", Child.allocatedBytes(engine.renderThread().getId()));
        engine.close();
    }

    private static void overOsc(int count, int buffer, Map<String, Object> r) throws Exception {
        Fixtures fx = Fixtures.defaultKit(0.1);
        Engine engine = Engine.create(EngineConfig.defaults(), fx.kit());
        engine.start(new NullSink(buffer));
        OscServerConfig d = OscServerConfig.defaults();
        OscServerConfig oc = new OscServerConfig(d.bindAddress(), 0, d.allow(), d.limits(), d.horizonNanos(),
                d.ratePerSecondPerHost(), d.rateBurstPerHost(), d.notifyLeaseNanos(), d.maxSubscribers(),
                d.telemetryIntervalNanos(), d.maxTcpConnections(), d.receiveBufferBytes());
        Histogram rtt = new Histogram(3);
        long lost = 0;
        try (OscServer osc = OscServer.start(oc, engine, null); DatagramSocket sock = new DatagramSocket()) {
            sock.setSoTimeout(500);
            InetSocketAddress to = new InetSocketAddress(d.bindAddress(), osc.port());
            byte[] in = new byte[1024];
            Thread.sleep(300);
            for (int i = 1; i <= count; i++) {
                LockSupport.parkNanos(3_000_000L);
                byte[] b = Osc.bundleAt(1L, List.of(Osc.message("/hit", i % 12, 0.8f), Osc.message("/sync", i)));
                long t0 = System.nanoTime();
                sock.send(new DatagramPacket(b, b.length, to));
                boolean got = false;
                while (!got) {
                    DatagramPacket p = new DatagramPacket(in, in.length);
                    try {
                        sock.receive(p);
                    } catch (java.net.SocketTimeoutException e) {
                        break;
                    }
                    if (Osc.address(in, p.getLength()).equals("/synced")) {
                        got = true;
                    }
                }
                if (got) {
                    rtt.recordValue(System.nanoTime() - t0);
                } else {
                    lost++;
                }
            }
        }
        r.put("osc_sync_p50_us", us(rtt.getValueAtPercentile(50)));
        r.put("osc_sync_p99_us", us(rtt.getValueAtPercentile(99)));
        r.put("osc_sync_max_us", us(rtt.getMaxValue()));
        r.put("osc_sync_lost", lost);
        engine.close();
    }

    /** Nearest-rank percentile of a sorted array (signed values allowed); 0 when empty. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    static String us(long ns) {
        return String.format(java.util.Locale.ROOT, "%.1f", ns / 1000.0);
    }
}
