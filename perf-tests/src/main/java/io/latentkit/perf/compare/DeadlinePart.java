package io.latentkit.perf.compare;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Part 2, the deadline test: latentkit and scsynth render in real time while a UDP client sends
 * 1,000 hits a second ({@link HitSender}); latentkit reports its block render times, misses and
 * render-thread bytes, scsynth its CPU figures and JACK's xruns.
 *
 * <p>Threading: the main thread, plus the sender's thread.
 */
final class DeadlinePart {
    private final Harness h;
    private final CompareOptions o;
    private final StringBuilder md;

    DeadlinePart(Harness h, StringBuilder md) {
        this.h = h;
        this.o = h.o;
        this.md = md;
    }

    void run() throws Exception {
        Path dir = h.work.resolve("part2");
        Files.createDirectories(dir);
        int voices = 256;
        double warmup = 3.0;
        md.append("## 2. Deadline test\n\n");
        md.append(String.format(Locale.ROOT, "Real-time rendering, %d voices kept sounding by a UDP OSC client sending "
                + "1,000 triggers/s (each sound lasts %.3f s), 48 kHz, 64-frame blocks (budget 1,333 µs), a %d-frame "
                + "device buffer; %.0f s warm-up of the stream, then %.0f s measured. The client is a Java thread in the "
                + "orchestrator process (its own UDP socket), not in the server's JVM.%n%n", voices, voices / 1000.0,
                o.buffer, warmup, o.deadlineSeconds));
        List<Map<String, String>> lk = new ArrayList<>();
        int runs = Math.max(1, o.deadlineRuns);
        for (int run = 1; run <= runs; run++) {
            Harness.log("part 2: latentkit deadline run " + run);
            Map<String, String> r = deadlineLatentkit(dir.resolve("latentkit-" + run), voices, warmup,
                    o.deadlineSeconds, o.buffer, List.of());
            lk.add(r);
        }
        md.append("**latentkit** (`Engine.start(NullSink)` + `OscServer`, figures from `counters().renderNanosInterval()`; "
                + "one row per run):\n\n");
        md.append("| run | render p50 | p99 | p99.99 | max | blocks | deadline misses | over-budget blocks | voices min/avg/max "
                + "| OSC messages | render-thread bytes |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
        List<Double> p9999s = new ArrayList<>();
        List<Double> missesAll = new ArrayList<>();
        long budget = 0;
        for (int i = 0; i < lk.size(); i++) {
            Map<String, String> r = lk.get(i);
            if (!r.containsKey("p50_ns")) {
                md.append("| ").append(i + 1).append(" | failed: ").append(r.getOrDefault("error", r.toString()))
                        .append(" |||||||||| \n");
                continue;
            }
            md.append(String.format(Locale.ROOT, "| %d | %s µs | %s µs | %s µs | %s µs | %s | %s | %s | %s/%s/%s | %s | %s |%n",
                    i + 1, Harness.us(r.get("p50_ns")), Harness.us(r.get("p99_ns")), Harness.us(r.get("p9999_ns")), Harness.us(r.get("max_ns")),
                    r.get("blocks"), r.get("deadline_misses"), r.get("over_budget_blocks"), r.get("voices_min"),
                    r.get("voices_avg"), r.get("voices_max"), r.get("osc_messages"), r.get("render_thread_alloc_bytes")));
            budget = Long.parseLong(r.get("budget_ns"));
            p9999s.add(Double.parseDouble(r.get("p9999_ns")));
            missesAll.add(Double.parseDouble(r.get("deadline_misses")));
        }
        md.append('\n');
        if (!p9999s.isEmpty()) {
            double p9999 = Stats.median(p9999s);
            long misses = (long) missesAll.stream().mapToDouble(Double::doubleValue).sum();
            h.targets.add(new String[] {"zero deadline misses at 256 voices (" + lk.size() + " × " + o.deadlineSeconds
                    + " s)", misses + " misses", misses == 0 ? "met" : "missed by " + misses + " misses"});
            h.targets.add(new String[] {"render p99.99 ≤ ½ block budget (666 µs) at 256 voices",
                String.format(Locale.ROOT, "%.1f µs", p9999 / 1000), p9999 <= budget / 2.0 ? "met"
                        : String.format(Locale.ROOT, "missed by %.0f µs (%.1f× the target)", (p9999 - budget / 2.0) / 1000.0,
                        p9999 / (budget / 2.0))});
        } else {
            h.targets.add(new String[] {"zero deadline misses at 256 voices", "not measured", "unknown"});
            h.targets.add(new String[] {"render p99.99 ≤ ½ block budget at 256 voices", "not measured", "unknown"});
        }
        md.append("**scsynth** (`jackd -d dummy` + `scsynth -u`, same stream as `/s_new lkplay`):\n\n");
        Harness.log("part 2: scsynth deadline");
        md.append(deadlineScsynth(dir.resolve("scsynth"), voices, warmup, o.deadlineSeconds, o.buffer)).append("\n\n");
    }

    /**
     * One real-time latentkit run ({@link DeadlineServer}) under the hit stream; {@code extra}
     * holds JVM flags (before the class) and {@code key=value} arguments (after it).
     */
    Map<String, String> deadlineLatentkit(Path dir, int voices, double warmup, double seconds, int buffer,
            List<String> extra) throws Exception {
        Files.createDirectories(dir);
        Path gc = dir.resolve("gc.log");
        List<String> cmd = new ArrayList<>(List.of(h.javaBin, "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-Xlog:gc:file=" + gc.toAbsolutePath()));
        // The JVM flags `bin/latentkit serve` runs with: the deadline test measures the server as
        // performers run it (ZGC, fixed pre-touched heap, no speculative-trap deoptimisation).
        cmd.addAll(Harness.SERVE_JVM_FLAGS);
        for (String x : extra) {
            if (x.startsWith("-")) {
                cmd.add(x);
            }
        }
        cmd.addAll(List.of("-cp", h.cp, "io.latentkit.perf.compare.DeadlineServer",
                "voices=" + voices, "seconds=" + seconds, "buffer=" + buffer));
        for (String x : extra) {
            if (!x.startsWith("-")) {
                cmd.add(x);
            }
        }
        Path logFile = dir.resolve("child.log");
        Process p = Proc.track(new ProcessBuilder(cmd).redirectErrorStream(true).start());
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                 var w = Files.newBufferedWriter(logFile)) {
                for (String l; (l = in.readLine()) != null; ) {
                    w.write(l);
                    w.newLine();
                    w.flush();
                    lines.add(l);
                }
            } catch (IOException ignored) {
                // The child ended; whatever it wrote is in the log.
            }
        }, "child-reader");
        reader.setDaemon(true);
        reader.start();
        int port = -1;
        long end = System.nanoTime() + 60_000_000_000L;
        while (port < 0 && System.nanoTime() < end) {
            String l = lines.poll(1, TimeUnit.SECONDS);
            if (l != null && l.startsWith("READY port=")) {
                port = Integer.parseInt(l.substring(11).trim());
            }
            if (l == null && !p.isAlive()) {
                break;
            }
        }
        Map<String, String> result = new LinkedHashMap<>();
        if (port < 0) {
            p.destroyForcibly();
            result.put("error", "server did not start: " + Proc.tail(Files.readString(logFile), 4));
            return result;
        }
        HitSender sender = new HitSender(port, false);
        sender.start();
        Thread.sleep((long) (warmup * 1000));
        try (OutputStream os = p.getOutputStream()) {
            os.write("GO\n".getBytes(StandardCharsets.US_ASCII));
        }
        long waitUntil = System.nanoTime() + (long) ((seconds + 60) * 1e9);
        while (System.nanoTime() < waitUntil) {
            String l = lines.poll(1, TimeUnit.SECONDS);
            if (l != null && l.startsWith("RESULT")) {
                result.putAll(Proc.parseResult(l));
                break;
            }
            if (l == null && !p.isAlive()) {
                break;
            }
        }
        sender.stop();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        result.put("client_sent", Long.toString(sender.sent));
        result.put("client_late_max_us", String.format(Locale.ROOT, "%.0f", sender.maxLateNs / 1000.0));
        if (result.containsKey("p50_ns")) {
            h.gcRow("latentkit deadline test (render thread bytes while measured)", new Proc(0, 0, Double.NaN, result,
                    logFile, ""), gc);
        } else {
            result.put("error", Proc.tail(Files.readString(logFile), 4));
        }
        return result;
    }

    /** scsynth on a private JACK dummy server under the same stream: its status figures and JACK's xruns. */
    String deadlineScsynth(Path dir, int voices, double warmup, double seconds, int buffer) {
        try {
            Fixtures fx = Fixtures.defaultKit(voices / 1000.0);
            Files.createDirectories(dir);
            List<Path> wavs = new ArrayList<>();
            for (int i = 0; i < fx.count(); i++) {
                Path w = dir.resolve("sound" + i + ".wav");
                fx.writeWav(i, w);
                wavs.add(w);
            }
            int port = Harness.freePort();
            try (ScsynthRealtime sc = ScsynthRealtime.start(dir, port, buffer, wavs, null)) {
                HitSender sender = new HitSender(port, true);
                sender.dur = voices / 1000f;
                sender.start();
                Thread.sleep((long) (warmup * 1000));
                long xr0 = sc.jackXruns();
                List<Double> avg = new ArrayList<>();
                double peak = 0;
                List<Double> synths = new ArrayList<>();
                long end = System.nanoTime() + (long) (seconds * 1e9);
                DatagramSocket q = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                q.setSoTimeout(500);
                byte[] buf = new byte[1024];
                byte[] status = Osc.message("/status");
                long noReply = 0;
                while (System.nanoTime() < end) {
                    Thread.sleep(1000);
                    q.send(new DatagramPacket(status, status.length, InetAddress.getLoopbackAddress(), port));
                    try {
                        DatagramPacket dp = new DatagramPacket(buf, buf.length);
                        q.receive(dp);
                        Object[] a = Osc.args(buf, dp.getLength());
                        if (a.length >= 7) {
                            synths.add(((Number) a[2]).doubleValue());
                            avg.add(((Number) a[5]).doubleValue());
                            peak = Math.max(peak, ((Number) a[6]).doubleValue());
                        }
                    } catch (SocketTimeoutException e) {
                        noReply++;
                    }
                }
                q.close();
                sender.stop();
                long xr = sc.jackXruns() - xr0;
                return String.format(Locale.ROOT, "| synths (median of 1 s samples) | avg CPU %% (median) | peak CPU %% (max) "
                        + "| JACK xrun lines | /status unanswered | messages sent |%n|---|---|---|---|---|---|%n"
                        + "| %.0f | %.1f | %.1f | %d | %d | %d |%n%nscsynth reports CPU as a percentage of the "
                        + "block budget (average and peak over its measuring window), not a per-block histogram, so "
                        + "p50/p99.99/max render time and deadline misses comparable to latentkit's are not available; "
                        + "the JACK dummy driver paces by the wall clock and logs late cycles as xruns (counted from "
                        + "its log). scsynth was not pinned here (it shares the 2 cores with jackd and the client, "
                        + "as latentkit does).",
                        Stats.median(synths), Stats.median(avg), peak, xr, noReply, sender.sent);
            }
        } catch (Exception e) {
            return "scsynth could not run headless here: " + e.getMessage();
        }
    }

}
