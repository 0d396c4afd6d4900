package io.latentkit.perf.compare;

import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.control.TelemetryHandler;
import io.latentkit.engine.sink.NullSink;
import io.latentkit.osc.OscServer;
import io.latentkit.osc.OscServerConfig;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
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
 *   <li>{@code osc}: over UDP to latentkit's own OSC server, {@code /hit ,ifi pad vel id} timed until
 *       {@code /started id pad frame target} comes back (sent when the render thread reports the voice
 *       started), immediate and in a bundle 20 ms ahead, by the liblo client {@code lo_latency}
 *       ({@link LoClient}) when {@code client=} names it, else by the same protocol in Java; raw
 *       per-trigger lines go to {@code raw=}.</li>
 * </ol>
 *
 * <p>Usage: {@code LatencyProbe count=N buffer=FRAMES [client=PATH] [raw=FILE]}.
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
        String client = a.getOrDefault("client", "");
        Path raw = Path.of(a.getOrDefault("raw", "latentkit-osc-raw.txt"));
        inProcess(count, buffer, r);
        overOsc(count, buffer, client.isEmpty() ? null : client, raw, r);
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
        SplittableRandom rnd = new SplittableRandom(3);
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
        long[] ts = Arrays.copyOf(tsLate, nTs);
        Arrays.sort(ts);
        r.put("ts_report_after_target_p50_us", us(percentile(ts, 50)));
        r.put("ts_report_after_target_p99_us", us(percentile(ts, 99)));
        r.put("ts_report_after_target_min_us", us(nTs == 0 ? 0 : ts[0]));
        r.put("inproc_missing", missing);
        r.put("late_events", engine.counters().lateEvents());
        r.put("render_thread_alloc_bytes_total", Child.allocatedBytes(engine.renderThread().getId()));
        engine.close();
    }

    private static void overOsc(int count, int buffer, String client, Path raw, Map<String, Object> r)
            throws Exception {
        Fixtures fx = Fixtures.defaultKit(0.1);
        Engine engine = Engine.create(EngineConfig.defaults(), fx.kit());
        engine.start(new NullSink(buffer));
        OscServerConfig d = OscServerConfig.defaults();
        OscServerConfig oc = new OscServerConfig(d.bindAddress(), 0, d.allow(), d.limits(), d.horizonNanos(),
                d.ratePerSecondPerHost(), d.rateBurstPerHost(), d.notifyLeaseNanos(), d.maxSubscribers(),
                d.telemetryIntervalNanos(), d.maxTcpConnections(), d.receiveBufferBytes());
        try (OscServer osc = OscServer.start(oc, engine, null)) {
            Thread.sleep(300);
            if (client != null) {
                Path log = Path.of(raw + ".log");
                Process p = Proc.track(new ProcessBuilder(client, "latentkit", Integer.toString(osc.port()),
                        Integer.toString(count), raw.toString()).redirectErrorStream(true)
                        .redirectOutput(log.toFile()).start());
                if (!p.waitFor(250, TimeUnit.SECONDS) || p.exitValue() != 0) {
                    p.destroyForcibly();
                    throw new IllegalStateException("liblo client failed: " + Proc.tail(Files.readString(log), 4));
                }
                r.put("osc_client", "liblo");
            } else {
                javaClient(count, osc.port(), raw);
                r.put("osc_client", "java");
            }
            LoClient.summarise(raw).forEach((k, v) -> r.put("osc_" + k, v.replace(' ', '_')));
            r.put("osc_started_expired", osc.counters().startedExpired());
            r.put("osc_started_untracked", osc.counters().startedUntracked());
        }
        r.put("osc_late_events", engine.counters().lateEvents());
        engine.close();
    }

    /**
     * The fallback client where liblo's cannot be built: the same protocol as {@code lo_latency.c}
     * ({@code /hit ,ifi pad 0.8 id} -> {@code /started}, immediate and in a bundle 20 ms ahead, 3-5 ms
     * apart after 50 untimed warm-up triggers), with Java's UDP socket, writing the same raw lines.
     */
    private static void javaClient(int count, int port, Path raw) throws Exception {
        int warmup = 50;
        List<String> lines = new ArrayList<>();
        try (DatagramSocket sock = new DatagramSocket()) {
            InetSocketAddress to = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            byte[] in = new byte[1024];
            SplittableRandom rnd = new SplittableRandom(5);
            for (int i = 0; i < warmup + 2 * count; i++) {
                LockSupport.parkNanos(3_000_000L + rnd.nextLong(2_000_000L));
                int id = 1 + i;
                boolean timed = i >= warmup + count;
                byte[] m = Osc.message("/hit", i % 12, 0.8f, id);
                long t0 = System.nanoTime();
                if (timed) {
                    long epoch = System.currentTimeMillis() * 1_000_000L + AHEAD_NS;
                    m = Osc.bundleAt(Osc.timetagOfEpochNanos(epoch), List.of(m));
                }
                sock.send(new DatagramPacket(m, m.length, to));
                String status = "lost";
                long t1 = 0;
                long frame = 0;
                long target = 0;
                long end = t0 + 1_000_000_000L;
                while (status.equals("lost") && System.nanoTime() < end) {
                    sock.setSoTimeout((int) Math.max(1, (end - System.nanoTime()) / 1_000_000L));
                    DatagramPacket p = new DatagramPacket(in, in.length);
                    try {
                        sock.receive(p);
                    } catch (SocketTimeoutException e) {
                        break;
                    }
                    long t = System.nanoTime();
                    String address = Osc.address(in, p.getLength());
                    Object[] a = Osc.args(in, p.getLength());
                    if (address.equals("/started") && a.length >= 4 && Integer.valueOf(id).equals(a[0])) {
                        status = "ok";
                        t1 = t;
                        frame = (Long) a[2];
                        target = (Long) a[3];
                    } else if (address.equals("/fail") && a.length >= 2 && Integer.valueOf(id).equals(a[1])) {
                        status = "fail";
                    }
                }
                if (i >= warmup) {
                    String mode = timed ? "ts" : "imm";
                    int seq = i - warmup - (timed ? count : 0);
                    lines.add(LoClient.line(mode, seq, status, (t1 - t0) / 1e3,
                            timed ? (t1 - t0 - AHEAD_NS) / 1e3 : null, frame, target));
                }
            }
        }
        Files.write(raw, lines);
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
        return String.format(Locale.ROOT, "%.1f", ns / 1000.0);
    }
}
