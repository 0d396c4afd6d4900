package io.latentkit.perf.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Part 3, control latency: one liblo client (or a Java fallback) times both engines over UDP on
 * loopback, immediate and timestamped triggers, plus latentkit's in-process figures.
 *
 * <p>Threading: the main thread only.
 */
final class LatencyPart {
    private final Harness h;
    private final CompareOptions o;
    private final StringBuilder md;

    LatencyPart(Harness h, StringBuilder md) {
        this.h = h;
        this.o = h.o;
        this.md = md;
    }

    void run() throws Exception {
        Path dir = h.work.resolve("part3");
        Files.createDirectories(dir);
        md.append("## 3. Control latency\n\n");
        StringBuilder why = new StringBuilder();
        Path lo = LoClient.compile(dir, why);
        String clientNote = lo != null
                ? "**Client: liblo** — `" + LoClient.SOURCE + "`, compiled here with `cc -O2 … -llo` against the "
                        + "host's liblo; the same binary times both engines. Times are `clock_gettime(CLOCK_MONOTONIC)` "
                        + "just before the send and on entry to the liblo handler that receives the reply."
                : "**Client: Java UDP fallback** (the liblo client could not be built: " + why + "); it speaks the "
                        + "same protocol with `DatagramSocket` and `System.nanoTime()`, and scsynth is timed by the "
                        + "harness's Java client.";
        md.append(clientNote).append("\n\n");
        md.append(String.format(Locale.ROOT, "Over OSC, one trigger at a time, 3–5 ms apart (random phase against the "
                + "block clock), after 50 untimed warm-up triggers; %d triggers per mode; a reply not back within 1 s "
                + "counts as lost. latentkit: `/hit ,ifi pad 0.8 id` → `/started ,iihh id pad frame target`, sent by "
                + "the OSC receiver when the render thread reports that the block starting the voice has been "
                + "rendered (`frame`: the voice's first sample; `target`: the frame the bundle's timetag mapped to). "
                + "scsynth: `/notify 1`, then `/s_new lkplay id …` → `/n_go id`. Immediate: a bare message. "
                + "Timestamped: a bundle timetagged 20 ms ahead (system clock, shared by client and server); the "
                + "table gives the reply time minus the target instant (signed). Engines render in real time: "
                + "latentkit on the null sink with a %d-frame device buffer and 64-frame blocks, scsynth on a private "
                + "JACK dummy driver with a %d-frame period and 64-frame blocks.%n%n", o.latencyCount, o.buffer,
                o.buffer));
        List<Map<String, String>> runs = new ArrayList<>();
        int n = o.quick ? 1 : o.runs;
        for (int run = 1; run <= n; run++) {
            Harness.log("part 3: latentkit latency run " + run);
            List<String> args = new ArrayList<>(List.of("count=" + o.latencyCount, "buffer=" + o.buffer,
                    "raw=" + dir.resolve("latentkit-" + run + "-raw.txt").toAbsolutePath()));
            if (lo != null) {
                args.add("client=" + lo.toAbsolutePath());
            }
            Proc p = h.javaChild(dir.resolve("latentkit-" + run), "io.latentkit.perf.compare.LatencyProbe", false,
                    List.of(), 400, args.toArray(new String[0]));
            if (p.ok() && !p.result().isEmpty()) {
                runs.add(p.result());
                h.gcRow("latentkit latency probe run " + run + " (render thread total, incl. warm-up)", p);
            } else {
                md.append("latentkit latency run failed: ").append(p.tail()).append("\n\n");
            }
        }
        Map<String, String> sc = new LinkedHashMap<>();
        String scNote = null;
        Harness.log("part 3: scsynth latency");
        try {
            sc = latencyScsynth(dir.resolve("scsynth"), lo);
        } catch (Exception e) {
            scNote = "scsynth could not run headless here: " + e.getMessage();
        }
        String client = lo != null ? "liblo" : "Java";
        md.append("µs; latentkit: median over ").append(runs.size()).append(" run(s) (min–max where more than one); "
                + "scsynth: one run.\n\n");
        md.append("| engine, mode (client) | p50 | p99 | max | notes |\n|---|---|---|---|---|\n");
        if (!runs.isEmpty()) {
            Map<String, String> r0 = runs.get(0);
            md.append("| latentkit, immediate: send → `/started` (").append(client).append(") | ")
                    .append(med(runs, "osc_imm_p50_us")).append(" | ").append(med(runs, "osc_imm_p99_us")).append(" | ")
                    .append(med(runs, "osc_imm_max_us")).append(" | lost ").append(r0.get("osc_imm_lost"))
                    .append(", failed ").append(r0.get("osc_imm_fail")).append(" |\n");
            md.append("| latentkit, timestamped: target instant → `/started` (").append(client).append(") | ")
                    .append(med(runs, "osc_ts_after_target_p50_us")).append(" | ")
                    .append(med(runs, "osc_ts_after_target_p99_us")).append(" | ")
                    .append(med(runs, "osc_ts_after_target_max_us")).append(" | min ")
                    .append(med(runs, "osc_ts_after_target_min_us")).append("; voice at the timetag's frame: ")
                    .append(r0.getOrDefault("osc_ts_exact_frames", "—")).append(" (max error ")
                    .append(r0.getOrDefault("osc_ts_max_frame_error", "—")).append(" frames); lost ")
                    .append(r0.get("osc_ts_lost")).append(", failed ").append(r0.get("osc_ts_fail"))
                    .append("; late events ").append(r0.get("osc_late_events")).append(" |\n");
        }
        if (scNote == null) {
            md.append("| scsynth, immediate: send → `/n_go` (").append(sc.get("client")).append(") | ")
                    .append(sc.get("imm_p50_us")).append(" | ").append(sc.get("imm_p99_us")).append(" | ")
                    .append(sc.get("imm_max_us")).append(" | lost ").append(sc.get("imm_lost")).append(" |\n");
            md.append("| scsynth, timestamped: target instant → `/n_go` (").append(sc.get("client")).append(") | ")
                    .append(sc.get("ts_after_target_p50_us")).append(" | ").append(sc.get("ts_after_target_p99_us"))
                    .append(" | ").append(sc.get("ts_after_target_max_us")).append(" | min ")
                    .append(sc.get("ts_after_target_min_us")).append(", before target ")
                    .append(sc.get("ts_before_target")).append("; lost ").append(sc.get("ts_lost")).append(" |\n");
        }
        if (!runs.isEmpty()) {
            Map<String, String> r0 = runs.get(0);
            md.append("| latentkit in-process, immediate: `EngineProxy.trigger` → `onVoiceStarted` seen (no OSC) | ")
                    .append(med(runs, "imm_p50_us")).append(" | ").append(med(runs, "imm_p99_us")).append(" | ")
                    .append(med(runs, "imm_max_us")).append(" | missing reports: ").append(r0.get("inproc_missing"))
                    .append(" |\n");
            md.append("| latentkit in-process, timestamped: target instant → report (no OSC) | ")
                    .append(med(runs, "ts_report_after_target_p50_us")).append(" | ")
                    .append(med(runs, "ts_report_after_target_p99_us")).append(" | — | min ")
                    .append(med(runs, "ts_report_after_target_min_us")).append("; start frame = target frame: ")
                    .append(r0.get("ts_exact_frames")).append(" |\n");
        }
        md.append("\n");
        if (scNote != null) {
            md.append(scNote).append("\n\n");
        }
        md.append("Raw per-trigger lines (`mode seq status send_to_reply_us reply_after_target_us frame target`) are "
                + "kept in `").append(dir).append("`. scsynth sends `/n_go` when it has executed the command at the "
                + "start of a control block (the synth's first block is computed in that cycle), latentkit sends "
                + "`/started` after the block that starts the voice has been rendered and its report polled, so "
                + "latentkit's reply comes one block later in its cycle. Both engines render ahead of play-out by "
                + "up to their device buffer, so a reply says a block was computed, not heard, and a timestamped "
                + "reply can come before its target instant (negative values). scsynth honours bundle times to the block "
                + "unless the SynthDef uses OffsetOut (this one uses Out); its start-frame accuracy was not measured.\n\n");
        if (!runs.isEmpty() && runs.get(0).containsKey("osc_ts_exact_frames")) {
            String exact = runs.get(0).get("osc_ts_exact_frames");
            String[] parts = exact.split("/");
            h.targets.add(new String[] {"timestamped control sample-accurate (over OSC, `/started` frame = timetag's frame)",
                exact + " at the exact frame (max error " + runs.get(0).get("osc_ts_max_frame_error") + " frames)",
                parts[0].equals(parts[1]) ? "met" : "missed: " + (Long.parseLong(parts[1]) - Long.parseLong(parts[0]))
                        + " off the frame"});
        } else {
            h.targets.add(new String[] {"timestamped control sample-accurate", "not measured", "unknown"});
        }
    }

    private static String med(List<Map<String, String>> runs, String key) {
        List<Double> xs = new ArrayList<>();
        for (Map<String, String> r : runs) {
            if (r.containsKey(key)) {
                xs.add(Double.parseDouble(r.get(key)));
            }
        }
        return runs.size() > 1 ? Stats.spread(xs, "%.1f") : Stats.f("%.1f", Stats.median(xs));
    }

    /** scsynth's part-3 figures (summary keys as {@link LoClient#summarise}, plus {@code client}). */
    private Map<String, String> latencyScsynth(Path dir, Path lo) throws Exception {
        Fixtures fx = Fixtures.defaultKit(0.1);
        Files.createDirectories(dir);
        List<Path> wavs = new ArrayList<>();
        for (int i = 0; i < fx.count(); i++) {
            Path w = dir.resolve("sound" + i + ".wav");
            fx.writeWav(i, w);
            wavs.add(w);
        }
        int port = Harness.freePort();
        Path raw = dir.resolve("scsynth-raw.txt").toAbsolutePath();
        try (ScsynthRealtime sc = ScsynthRealtime.start(dir, port, o.buffer, wavs, null)) {
            Map<String, String> r = new LinkedHashMap<>();
            if (lo != null) {
                Proc p = Proc.run(List.of(lo.toAbsolutePath().toString(), "scsynth", Integer.toString(port),
                        Integer.toString(o.latencyCount), raw.toString(), ScsynthFiles.DEF),
                        dir.resolve("lo_latency.log"), 400, false);
                if (p.rc() != 0) {
                    throw new IOException("liblo client failed against scsynth: " + p.tail());
                }
                r.put("client", "liblo");
            } else {
                javaScsynthClient(sc, raw);
                r.put("client", "Java");
            }
            r.putAll(LoClient.summarise(raw));
            return r;
        }
    }

    /** The Java fallback for scsynth: the liblo client's protocol and raw format over the harness's socket. */
    private void javaScsynthClient(ScsynthRealtime sc, Path raw) throws Exception {
        sc.send(Osc.message("/notify", 1));
        sc.await("/done", 2000);
        int warmup = 50;
        List<String> lines = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < warmup + 2 * o.latencyCount; i++) {
            LockSupport.parkNanos(3_000_000L + rnd.nextLong(2_000_000L));
            int id = 100_000 + i;
            byte[] m = Osc.message("/s_new", ScsynthFiles.DEF, id, 0, 0, "buf", i % 12, "amp", 1f, "dur", 0.1f);
            boolean timed = i >= warmup + o.latencyCount;
            long t0 = System.nanoTime();
            if (timed) {
                long epoch = System.currentTimeMillis() * 1_000_000L + 20_000_000L;
                sc.send(Osc.bundleAt(Osc.timetagOfEpochNanos(epoch), List.of(m)));
            } else {
                sc.send(m);
            }
            boolean got = false;
            long t1 = 0;
            while (!got) {
                Object[] a = sc.await("/n_go", 1000);
                if (a == null) {
                    break;
                }
                if (a.length > 0 && a[0] instanceof Integer nid && nid == id) {
                    got = true;
                    t1 = System.nanoTime();
                }
            }
            if (i >= warmup) {
                String mode = timed ? "ts" : "imm";
                int seq = i - warmup - (timed ? o.latencyCount : 0);
                lines.add(LoClient.line(mode, seq, got ? "ok" : "lost", (t1 - t0) / 1e3,
                        timed ? (t1 - t0 - 20_000_000L) / 1e3 : null, null, null));
            }
        }
        Files.write(raw, lines);
    }
}
