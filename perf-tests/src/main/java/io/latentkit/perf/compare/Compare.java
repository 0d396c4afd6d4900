package io.latentkit.perf.compare;

import java.net.SocketTimeoutException;
import java.time.LocalTime;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The side-by-side comparison of issue 7 (run by {@code perf-tests/compare}): latentkit against
 * scsynth, FluidSynth and Gervill, every engine measured in the same run on the same machine, and
 * a Markdown report of medians, spreads and ratios.
 *
 * <p>Parts: 1 voices per core offline, 2 deadline test, 3 control latency, 4 ring handoff, 5 GC
 * (collected from every Java child of parts 1–4). Every measurement runs in a child process; this
 * program only writes fixtures, starts children one at a time, and writes the report.
 *
 * <p>Threading: the main thread, plus one OSC sender thread in part 2.
 */
public final class Compare {
    private static final String[] ENGINES = {"latentkit", "scsynth", "fluidsynth", "gervill"};

    private final Options o;
    private final Path work;
    private final StringBuilder md = new StringBuilder();
    private final List<String[]> targets = new ArrayList<>();
    private final List<String[]> gcRows = new ArrayList<>();
    private final String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private final String cp = System.getProperty("java.class.path");

    private Compare(Options o) {
        this.o = o;
        this.work = o.work;
    }

    /** Command-line settings. */
    static final class Options {
        boolean quick;
        Path out = Path.of("perf-tests/RESULTS.md");
        Path work = Path.of("perf-tests/target/compare");
        int runs = 5;
        double seconds = 60;
        int[] voices = {64, 128, 256, 512, 1024, 2048, 4096};
        double deadlineSeconds = 600;
        int deadlineRuns = 1;
        int latencyCount = 2000;
        int handoffEvents = 200_000;
        String jmh = "-wi 5 -i 10 -w 1s -r 1s";
        TreeSet<Integer> parts = new TreeSet<>(List.of(1, 2, 3, 4));
        String core = "1";
        double length = 1.0;
        int buffer = 256;
        String label = "";
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("compare: " + e.getMessage());
            System.exit(2);
            return;
        }
        new Compare(o).run();
    }

    static Options parse(String[] args) {
        Options o = new Options();
        List<String> a = Arrays.asList(args);
        if (a.contains("--quick")) {
            o.quick = true;
            o.runs = 3;
            o.seconds = 5;
            o.voices = new int[] {64, 256};
            o.deadlineSeconds = 20;
            o.latencyCount = 200;
            o.handoffEvents = 20_000;
            o.jmh = "-wi 1 -i 3 -w 1s -r 1s";
        }
        for (int i = 0; i < args.length; i++) {
            String k = args[i];
            switch (k) {
                case "--quick" -> { }
                case "--out" -> o.out = Path.of(val(args, ++i, k));
                case "--work" -> o.work = Path.of(val(args, ++i, k));
                case "--runs" -> o.runs = Integer.parseInt(val(args, ++i, k));
                case "--seconds" -> o.seconds = Double.parseDouble(val(args, ++i, k));
                case "--voices" -> o.voices = Arrays.stream(val(args, ++i, k).split(",")).mapToInt(Integer::parseInt)
                        .toArray();
                case "--deadline-seconds" -> o.deadlineSeconds = Double.parseDouble(val(args, ++i, k));
                case "--deadline-runs" -> o.deadlineRuns = Integer.parseInt(val(args, ++i, k));
                case "--latency-count" -> o.latencyCount = Integer.parseInt(val(args, ++i, k));
                case "--parts" -> {
                    o.parts = new TreeSet<>();
                    for (String p : val(args, ++i, k).split(",")) {
                        o.parts.add(Integer.parseInt(p.trim()));
                    }
                }
                case "--core" -> o.core = val(args, ++i, k);
                case "--label" -> o.label = val(args, ++i, k);
                case "-h", "--help" -> throw new IllegalArgumentException(
                        "usage: perf-tests/compare [--quick] [--out FILE] [--parts 1,2,3,4] [--runs R] [--seconds S]"
                                + " [--voices 64,256,...] [--deadline-seconds S] [--deadline-runs R] [--latency-count N] [--core CPU]"
                                + " [--work DIR] [--label TEXT]");
                default -> throw new IllegalArgumentException("unknown option " + k + " (see --help)");
            }
        }
        for (int v : o.voices) {
            if (v < 4 || v % 4 != 0 || v > 7680) {
                throw new IllegalArgumentException("--voices: each count must be a multiple of 4 in 4..7680, got " + v);
            }
        }
        if (o.runs < 1 || o.seconds <= 0 || o.deadlineSeconds <= 0) {
            throw new IllegalArgumentException("--runs, --seconds and --deadline-seconds must be positive");
        }
        return o;
    }

    private static String val(String[] a, int i, String k) {
        if (i >= a.length) {
            throw new IllegalArgumentException(k + " needs a value");
        }
        return a[i];
    }

    private void run() throws Exception {
        Files.createDirectories(work);
        String started = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        String loadBefore = loadAvg();
        long t0 = System.nanoTime();
        StringBuilder body = new StringBuilder();
        for (int p : o.parts) {
            log("part " + p);
            md.setLength(0);
            try {
                switch (p) {
                    case 1 -> voicesPerCore();
                    case 2 -> deadline();
                    case 3 -> latency();
                    case 4 -> ring();
                    default -> md.append("Part ").append(p).append(": no such part.\n\n");
                }
            } catch (Exception e) {
                md.append("\n**Part ").append(p).append(" failed**: ").append(e).append("\n\n");
                log("part " + p + " failed: " + e);
            }
            body.append(md);
        }
        md.setLength(0);
        gcSection();
        body.append(md);
        double minutes = (System.nanoTime() - t0) / 60e9;
        StringBuilder r = new StringBuilder();
        r.append("# latentkit side by side: scsynth, FluidSynth, Gervill\n\n");
        if (!o.label.isEmpty()) {
            r.append("> ").append(o.label).append("\n\n");
        }
        r.append("Generated by `perf-tests/compare").append(o.quick ? " --quick" : "").append("` (see perf-tests/README-PERF.md).\n\n");
        r.append("## Machine and versions\n\n| | |\n|---|---|\n");
        r.append("| date (UTC) | ").append(started).append(" |\n");
        r.append("| CPU | ").append(cpuModel()).append(" |\n");
        r.append("| cores (online) | ").append(Runtime.getRuntime().availableProcessors()).append(" |\n");
        r.append("| kernel | ").append(firstLine("uname", "-srm")).append(" |\n");
        r.append("| load average before / after | ").append(loadBefore).append(" / ").append(loadAvg()).append(" |\n");
        r.append("| JDK (latentkit, Gervill) | ").append(System.getProperty("java.vm.name")).append(' ')
                .append(System.getProperty("java.runtime.version")).append(" |\n");
        r.append("| scsynth | ").append(firstLine("scsynth", "-v")).append(" |\n");
        r.append("| FluidSynth | ").append(firstLine("fluidsynth", "--version")).append(" |\n");
        r.append("| JACK (for real-time scsynth) | ").append(firstLine("jackd", "--version")).append(" |\n");
        r.append("| settings | runs ").append(o.runs).append(", offline audio ").append(o.seconds).append(" s, voices ")
                .append(Arrays.toString(o.voices)).append(", deadline test ").append(o.deadlineSeconds)
                .append(" s, peers pinned with `taskset -c ").append(o.core).append("`, total ")
                .append(String.format(Locale.ROOT, "%.1f", minutes)).append(" min |\n\n");
        r.append("## Targets\n\n| target | measured | verdict |\n|---|---|---|\n");
        for (String[] t : targets) {
            r.append("| ").append(t[0]).append(" | ").append(t[1]).append(" | ").append(t[2]).append(" |\n");
        }
        r.append('\n').append(body);
        Files.createDirectories(o.out.toAbsolutePath().getParent());
        Files.writeString(o.out, r.toString(), StandardCharsets.UTF_8);
        log("report written to " + o.out);
    }

    // ---------------------------------------------------------------- part 1

    private void voicesPerCore() throws Exception {
        Path dir = work.resolve("part1");
        Files.createDirectories(dir);
        Fixtures fx = Fixtures.defaultKit(o.length);
        List<Path> wavs = new ArrayList<>();
        for (int i = 0; i < fx.count(); i++) {
            Path w = dir.resolve("sound" + i + ".wav");
            fx.writeWav(i, w);
            wavs.add(w);
        }
        Path sf2 = dir.resolve("compare.sf2");
        fx.writeSf2(sf2);
        double baseSeconds = Math.min(0.5, o.seconds / 10);
        int nv = o.voices.length;
        Map<String, double[]> wallMedian = new LinkedHashMap<>();
        Map<String, double[]> cpuMedian = new LinkedHashMap<>();
        Map<String, String[]> cells = new LinkedHashMap<>();
        Map<String, String> failures = new LinkedHashMap<>();
        for (String e : ENGINES) {
            wallMedian.put(e, new double[nv]);
            cpuMedian.put(e, new double[nv]);
            cells.put(e, new String[nv]);
        }
        StringBuilder voiceChecks = new StringBuilder();
        // An engine whose median real-time factor fell below SATURATED_RTF at some N (it can no longer
        // play that many voices live on one core) is not run at larger N: the 70% point (RTF 1.43)
        // is already bracketed, and such runs would take hours (Gervill at 4096 voices) without
        // changing any figure in the report.
        Map<String, Integer> saturatedAt = new LinkedHashMap<>();
        Map<Integer, String> gervillVoices = new LinkedHashMap<>();
        for (int vi = 0; vi < nv; vi++) {
            int n = o.voices[vi];
            Path nd = dir.resolve("n" + n);
            Files.createDirectories(nd);
            int rate = Fixtures.RATE_HZ;
            Score full = new Score(n, Math.round(o.seconds * rate), fx.frames());
            Score base = new Score(n, Math.round(baseSeconds * rate), fx.frames());
            ScsynthFiles.writeScore(nd.resolve("full.osc"), full, wavs, rate);
            ScsynthFiles.writeScore(nd.resolve("base.osc"), base, wavs, rate);
            MidiScore.write(nd.resolve("full.mid"), full, rate);
            MidiScore.write(nd.resolve("base.mid"), base, rate);
            Map<String, List<Double>> rtfWall = new LinkedHashMap<>();
            Map<String, List<Double>> rtfCpu = new LinkedHashMap<>();
            for (String e : ENGINES) {
                rtfWall.put(e, new ArrayList<>());
                rtfCpu.put(e, new ArrayList<>());
            }
            long timeout = (long) (60 + o.seconds * Math.max(1, n / 64.0) * 2);
            for (int run = 1; run <= o.runs; run++) {
                log(String.format(Locale.ROOT, "part 1: N=%d run %d/%d", n, run, o.runs));
                // latentkit
                if (!saturatedAt.containsKey("latentkit")) {
                    Proc lk = javaChild(nd.resolve("latentkit-" + run), "io.latentkit.perf.compare.OfflineLatentkit", true,
                            List.of(), timeout, "voices=" + n, "seconds=" + o.seconds, "length=" + o.length);
                    recordJava("latentkit", n, run, lk, rtfWall, rtfCpu, failures, "part 1 N=" + n);
                    if (lk.ok() && run == 1) {
                        voiceChecks.append(String.format(Locale.ROOT, "| %d | %s–%s | %s | %s |%n", n,
                                lk.result().get("min_voices"), lk.result().get("max_voices"), lk.result().get("late"),
                                lk.result().get("stolen")));
                    }
                }
                // Gervill
                if (!saturatedAt.containsKey("gervill")) {
                    Proc gv = javaChild(nd.resolve("gervill-" + run), "io.latentkit.perf.compare.OfflineGervill", true,
                            List.of("--add-exports", "java.desktop/com.sun.media.sound=ALL-UNNAMED",
                                    "-Djava.util.prefs.userRoot=" + work.resolve("prefs").toAbsolutePath()), timeout,
                            "voices=" + n, "seconds=" + o.seconds, "length=" + o.length, "sf2=" + sf2.toAbsolutePath());
                    recordJava("gervill", n, run, gv, rtfWall, rtfCpu, failures, "part 1 N=" + n);
                    if (gv.ok() && run == 1) {
                        gervillVoices.put(n, gv.result().getOrDefault("voice_status_active", "?"));
                    }
                }
                // scsynth NRT
                peer("scsynth", n, run, nd, baseSeconds, timeout, rtfWall, rtfCpu, failures, s -> List.of("scsynth",
                        "-N", nd.resolve(s + ".osc").toString(), "_", nd.resolve("scsynth-" + s + ".wav").toString(),
                        "48000", "WAV", "float", "-o", "2", "-i", "0", "-n", "32768", "-m", "262144", "-z", "64"));
                // FluidSynth
                peer("fluidsynth", n, run, nd, baseSeconds, timeout, rtfWall, rtfCpu, failures, s -> List.of(
                        "fluidsynth", "-ni", "-q", "-R", "0", "-C", "0", "-r", "48000", "-g", "1",
                        "-o", "synth.polyphony=" + Math.min(65535, n + Math.max(16, n / 16)),
                        "-o", "synth.cpu-cores=1", "-F", nd.resolve("fluidsynth-" + s + ".wav").toString(), "-T", "wav",
                        sf2.toString(), nd.resolve(s + ".mid").toString()));
                deleteWavs(nd);
            }
            for (String e : ENGINES) {
                wallMedian.get(e)[vi] = Stats.median(rtfWall.get(e));
                cpuMedian.get(e)[vi] = Stats.median(rtfCpu.get(e));
                if (saturatedAt.containsKey(e)) {
                    cells.get(e)[vi] = "not run (RTF < " + SATURATED_RTF + " at N=" + saturatedAt.get(e) + ")";
                    continue;
                }
                cells.get(e)[vi] = Stats.spread(rtfWall.get(e), "%.1f") + " / cpu " + Stats.f("%.1f",
                        Stats.median(rtfCpu.get(e)));
                if (wallMedian.get(e)[vi] < SATURATED_RTF) {
                    saturatedAt.put(e, n);
                }
            }
            skip.clear();
            skip.addAll(saturatedAt.keySet());
        }
        md.append("## 1. Voices per core, offline\n\n");
        md.append(String.format(Locale.ROOT, "Every engine plays the same %d sounds (the default kit's, mono 48 kHz, each cut or padded "
                + "to %.2f s, fixed pans) and the same score: N/4 slots of 4 voices, each slot restarted every %.2f s, "
                + "so exactly N voices sound after the first %.2f s; %.0f s of stereo audio at 48 kHz. Each program "
                + "runs pinned to one core (`taskset -c %s`).%n%n", fx.count(), o.length, o.length, o.length, o.seconds,
                o.core));
        md.append("| engine | what it runs per voice |\n|---|---|\n");
        md.append("| latentkit | offline render through the render agent (ring drain, scheduler, voice: sample read "
                + "without interpolation at unit pitch (its unit-pitch loop; 4-point Hermite at other pitches), gain × exponential-decay envelope (no decay set), constant-power pan), "
                + "output guard; timed inside the process around the render loop, score fed one step ahead |\n");
        md.append("| scsynth | `scsynth -N` NRT, SynthDef `lkplay`: PlayBuf (unit rate) × EnvGen (3-segment linear, "
                + "1 ms attack, 6 ms release) → Pan2 → Out; a whole-process time minus a " + baseSeconds
                + " s score run (start-up, buffer loading) |\n");
        md.append("| fluidsynth | `fluidsynth -F` with the fixture SF2 (one note → 4 layered zones), reverb and chorus "
                + "off; SF2 voice: 4-point interpolation, volume envelope (defaults), per-voice IIR low-pass (cut-off at "
                + "maximum), pan; whole-process time minus a short run |\n");
        md.append("| gervill | JDK SoftSynthesizer via `AudioSynthesizer.openStream`, same SF2, reverb/chorus/AGC off, "
                + "linear interpolation; timed around the stream reads |\n\n");
        md.append("Real-time factor (audio seconds per wall second on one core; median (min–max, n) of the runs) / "
                + "the same per CPU second:\n\n| N | ");
        md.append(String.join(" | ", ENGINES)).append(" |\n|---|");
        md.append("---|".repeat(ENGINES.length)).append('\n');
        for (int vi = 0; vi < nv; vi++) {
            md.append("| ").append(o.voices[vi]);
            for (String e : ENGINES) {
                md.append(" | ").append(cells.get(e)[vi]);
            }
            md.append(" |\n");
        }
        md.append("\nVoices at 70% of one core (from the medians, wall time; interpolated unless marked):\n\n"
                + "| engine | voices @70% (wall) | voices @70% (CPU time) |\n|---|---|---|\n");
        Map<String, Double> at70 = new LinkedHashMap<>();
        for (String e : ENGINES) {
            double[] w = Stats.voicesAtLoad(o.voices, inverse(wallMedian.get(e)), 0.7);
            double[] c = Stats.voicesAtLoad(o.voices, inverse(cpuMedian.get(e)), 0.7);
            at70.put(e, w[0]);
            md.append("| ").append(e).append(" | ").append(fmtVoices(w)).append(" | ").append(fmtVoices(c))
                    .append(" |\n");
        }
        md.append("\nlatentkit voice count check (sampled at block ends after the first sample length; a slot whose "
                + "voices end exactly at a block end and restart at the next block's first frame counts 4 short "
                + "there), late events and steals, first run:\n\n| N | voices min–max | late | stolen |\n"
                + "|---|---|---|---|\n").append(voiceChecks);
        md.append("\nGervill voices active at the end of the first run (`getVoiceStatus()`): ").append(gervillVoices)
                .append(". scsynth and FluidSynth voice counts are not read back: they follow from the score (scsynth "
                        + "frees each synth at its buffer's end, FluidSynth's notes end 2 ms before the sample does).\n");
        if (!failures.isEmpty()) {
            md.append("\nFailures:\n\n");
            failures.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        }
        md.append('\n');
        ratioTarget("voices per core ≥ 1.5× scsynth", at70.get("latentkit"), at70.get("scsynth"), 1.5);
        ratioTarget("voices per core ≥ 2× FluidSynth", at70.get("latentkit"), at70.get("fluidsynth"), 2.0);
        double g = at70.get("latentkit") / at70.get("gervill");
        targets.add(new String[] {"(no target) voices per core vs Gervill", ratio(g), "—"});
    }

    private static final double SATURATED_RTF = 1.0;
    /** bin/latentkit's flags for `serve` on JDK 17 (generational ZGC is added there on 21-22 only). */
    static final List<String> SERVE_JVM_FLAGS = List.of("-XX:+UseZGC", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch",
            "-XX:PerMethodTrapLimit=0", "-XX:PerBytecodeTrapLimit=0");
    private final Set<String> skip = new HashSet<>();

    private static double[] inverse(double[] rtf) {
        double[] l = new double[rtf.length];
        for (int i = 0; i < rtf.length; i++) {
            l[i] = rtf[i] > 0 ? 1.0 / rtf[i] : Double.NaN;
        }
        return l;
    }

    private static String fmtVoices(double[] v) {
        if (Double.isNaN(v[0])) {
            return "n/a";
        }
        return String.format(Locale.ROOT, "%.0f", v[0]) + (v[1] == 1 ? " (extrapolated above the sweep)"
                : v[1] == 2 ? " (below the sweep, scaled from the smallest N)" : "");
    }

    private void ratioTarget(String name, Double ours, Double theirs, double want) {
        if (ours == null || theirs == null || ours.isNaN() || theirs.isNaN()) {
            targets.add(new String[] {name, "not measured", "unknown"});
            return;
        }
        double r = ours / theirs;
        targets.add(new String[] {name, ratio(r) + String.format(Locale.ROOT, " (%.0f vs %.0f voices @70%%)", ours,
                theirs), r >= want ? "met" : String.format(Locale.ROOT, "missed by %.2f× (%.0f%%)", want / r,
                100 * (1 - r / want))});
    }

    private static String ratio(double r) {
        return Double.isNaN(r) ? "n/a" : String.format(Locale.ROOT, "%.2f×", r);
    }

    private void recordJava(String engine, int n, int run, Proc p, Map<String, List<Double>> wall,
                            Map<String, List<Double>> cpu, Map<String, String> failures, String what) throws IOException {
        if (!p.ok() || !p.result().containsKey("wall_ns")) {
            failures.putIfAbsent(engine + " N=" + n, "exit " + p.rc() + ": " + p.tail());
            return;
        }
        wall.get(engine).add(o.seconds / (Long.parseLong(p.result().get("wall_ns")) / 1e9));
        cpu.get(engine).add(o.seconds / (Long.parseLong(p.result().get("cpu_ns")) / 1e9));
        gcRow(engine + " offline, " + what + " run " + run, p);
    }

    @FunctionalInterface
    private interface Cmd {
        List<String> of(String score);
    }

    private void peer(String engine, int n, int run, Path nd, double baseSeconds, long timeout,
                      Map<String, List<Double>> wall, Map<String, List<Double>> cpu, Map<String, String> failures,
                      Cmd cmd) throws Exception {
        if (failures.containsKey(engine + " N=" + n) || skip.contains(engine)) {
            return;
        }
        List<String> pin = List.of("taskset", "-c", o.core);
        List<String> b = new ArrayList<>(pin);
        b.addAll(cmd.of("base"));
        Proc base = Proc.run(b, nd.resolve(engine + "-base-" + run + ".log"), timeout, true);
        List<String> f = new ArrayList<>(pin);
        f.addAll(cmd.of("full"));
        Proc full = Proc.run(f, nd.resolve(engine + "-full-" + run + ".log"), timeout, true);
        if (!base.ok() || !full.ok()) {
            Proc bad = full.ok() ? base : full;
            failures.put(engine + " N=" + n, "exit " + bad.rc() + ": " + bad.tail() + " (log " + bad.log() + ")");
            return;
        }
        double audio = o.seconds - baseSeconds;
        double dw = (full.wallNs() - base.wallNs()) / 1e9;
        double dc = full.cpuS() - base.cpuS();
        wall.get(engine).add(dw > 0 ? audio / dw : Double.NaN);
        cpu.get(engine).add(dc > 0 ? audio / dc : Double.NaN);
    }

    private static void deleteWavs(Path nd) throws IOException {
        try (var s = Files.list(nd)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (p.getFileName().toString().endsWith(".wav")) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    // ---------------------------------------------------------------- part 2

    private void deadline() throws Exception {
        Path dir = work.resolve("part2");
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
            log("part 2: latentkit deadline run " + run);
            Map<String, String> r = deadlineLatentkit(dir.resolve("latentkit-" + run), voices, warmup);
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
                    i + 1, us(r.get("p50_ns")), us(r.get("p99_ns")), us(r.get("p9999_ns")), us(r.get("max_ns")),
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
            targets.add(new String[] {"zero deadline misses at 256 voices (" + lk.size() + " × " + o.deadlineSeconds
                    + " s)", misses + " misses", misses == 0 ? "met" : "missed by " + misses + " misses"});
            targets.add(new String[] {"render p99.99 ≤ ½ block budget (666 µs) at 256 voices",
                String.format(Locale.ROOT, "%.1f µs", p9999 / 1000), p9999 <= budget / 2.0 ? "met"
                        : String.format(Locale.ROOT, "missed by %.0f µs (%.1f× the target)", (p9999 - budget / 2.0) / 1000.0,
                        p9999 / (budget / 2.0))});
        } else {
            targets.add(new String[] {"zero deadline misses at 256 voices", "not measured", "unknown"});
            targets.add(new String[] {"render p99.99 ≤ ½ block budget at 256 voices", "not measured", "unknown"});
        }
        md.append("**scsynth** (`jackd -d dummy` + `scsynth -u`, same stream as `/s_new lkplay`):\n\n");
        log("part 2: scsynth deadline");
        md.append(deadlineScsynth(dir.resolve("scsynth"), voices, warmup)).append("\n\n");
    }

    private Map<String, String> deadlineLatentkit(Path dir, int voices, double warmup) throws Exception {
        Files.createDirectories(dir);
        Path gc = dir.resolve("gc.log");
        List<String> cmd = new ArrayList<>(List.of(javaBin, "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-Xlog:gc:file=" + gc.toAbsolutePath()));
        // The JVM flags `bin/latentkit serve` runs with: the deadline test measures the server as
        // performers run it (ZGC, fixed pre-touched heap, no speculative-trap deoptimisation).
        cmd.addAll(SERVE_JVM_FLAGS);
        cmd.addAll(List.of("-cp", cp, "io.latentkit.perf.compare.DeadlineServer",
                "voices=" + voices, "seconds=" + o.deadlineSeconds, "buffer=" + o.buffer));
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
        long waitUntil = System.nanoTime() + (long) ((o.deadlineSeconds + 60) * 1e9);
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
            gcRow("latentkit deadline test (render thread bytes while measured)", new Proc(0, 0, Double.NaN, result,
                    logFile, ""), gc);
        } else {
            result.put("error", Proc.tail(Files.readString(logFile), 4));
        }
        return result;
    }

    private String deadlineScsynth(Path dir, int voices, double warmup) {
        try {
            Fixtures fx = Fixtures.defaultKit(voices / 1000.0);
            Files.createDirectories(dir);
            List<Path> wavs = new ArrayList<>();
            for (int i = 0; i < fx.count(); i++) {
                Path w = dir.resolve("sound" + i + ".wav");
                fx.writeWav(i, w);
                wavs.add(w);
            }
            int port = freePort();
            try (ScsynthRealtime sc = ScsynthRealtime.start(dir, port, o.buffer, wavs, null)) {
                HitSender sender = new HitSender(port, true);
                sender.dur = voices / 1000f;
                sender.start();
                Thread.sleep((long) (warmup * 1000));
                long xr0 = sc.jackXruns();
                List<Double> avg = new ArrayList<>();
                double peak = 0;
                List<Double> synths = new ArrayList<>();
                long end = System.nanoTime() + (long) (o.deadlineSeconds * 1e9);
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

    /** Sends 1,000 hits/s over UDP: {@code /hit pad vel} to latentkit or {@code /s_new lkplay} to scsynth. */
    private static final class HitSender implements Runnable {
        private final int port;
        private final boolean scsynth;
        private final Thread thread = new Thread(this, "osc-hit-sender");
        private volatile boolean running = true;
        volatile long sent;
        volatile long maxLateNs;
        float dur = 1f;

        HitSender(int port, boolean scsynth) {
            this.port = port;
            this.scsynth = scsynth;
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join(2000);
        }

        @Override
        public void run() {
            try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                byte[][] msgs = new byte[12][];
                for (int i = 0; i < 12; i++) {
                    msgs[i] = scsynth
                            ? Osc.message("/s_new", ScsynthFiles.DEF, -1, 0, 0, "buf", i, "pan", Fixtures.PAN[i], "amp",
                                    1f, "dur", dur)
                            : Osc.message("/hit", i, 1f);
                }
                InetAddress lo = InetAddress.getLoopbackAddress();
                long next = System.nanoTime();
                long n = 0;
                while (running) {
                    next += 1_000_000L;
                    long now;
                    while ((now = System.nanoTime()) < next) {
                        LockSupport.parkNanos(Math.min(200_000L, next - now));
                    }
                    maxLateNs = Math.max(maxLateNs, now - next);
                    byte[] m = msgs[(int) (n % 12)];
                    s.send(new DatagramPacket(m, m.length, lo, port));
                    n++;
                    sent = n;
                }
            } catch (IOException e) {
                running = false;
            }
        }
    }

    // ---------------------------------------------------------------- part 3

    private void latency() throws Exception {
        Path dir = work.resolve("part3");
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
            log("part 3: latentkit latency run " + run);
            List<String> args = new ArrayList<>(List.of("count=" + o.latencyCount, "buffer=" + o.buffer,
                    "raw=" + dir.resolve("latentkit-" + run + "-raw.txt").toAbsolutePath()));
            if (lo != null) {
                args.add("client=" + lo.toAbsolutePath());
            }
            Proc p = javaChild(dir.resolve("latentkit-" + run), "io.latentkit.perf.compare.LatencyProbe", false,
                    List.of(), 400, args.toArray(new String[0]));
            if (p.ok() && !p.result().isEmpty()) {
                runs.add(p.result());
                gcRow("latentkit latency probe run " + run + " (render thread total, incl. warm-up)", p);
            } else {
                md.append("latentkit latency run failed: ").append(p.tail()).append("\n\n");
            }
        }
        Map<String, String> sc = new LinkedHashMap<>();
        String scNote = null;
        log("part 3: scsynth latency");
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
            targets.add(new String[] {"timestamped control sample-accurate (over OSC, `/started` frame = timetag's frame)",
                exact + " at the exact frame (max error " + runs.get(0).get("osc_ts_max_frame_error") + " frames)",
                parts[0].equals(parts[1]) ? "met" : "missed: " + (Long.parseLong(parts[1]) - Long.parseLong(parts[0]))
                        + " off the frame"});
        } else {
            targets.add(new String[] {"timestamped control sample-accurate", "not measured", "unknown"});
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
        int port = freePort();
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

    // ---------------------------------------------------------------- part 4

    private void ring() throws Exception {
        Path dir = work.resolve("part4");
        Files.createDirectories(dir);
        md.append("## 4. Ring handoff\n\n");
        md.append("Producer → consumer thread, one trigger per event. Latency: a producer publishes every 10 µs "
                + "(busy-paced) an event stamped with `System.nanoTime()`; the consumer spins on the queue (Disruptor: "
                + "the engine's `ControlRing` through `EngineProxy`, drained with its `EventPoller`, as the render "
                + "thread does; `ArrayBlockingQueue` drained by `poll()` spinning and by blocking `take()`; "
                + "`ConcurrentLinkedQueue` by `poll()`) and records now − stamp in an HdrHistogram. Queue messages "
                + "are allocated per event (a record with the trigger's fields); the ring's events are pre-allocated. "
                + "Bytes per event from `ThreadMXBean.getThreadAllocatedBytes` on each side.\n\n");
        String[] kinds = {"disruptor", "abq_poll", "abq_take", "clq_poll"};
        Map<String, List<Double>> p50 = new LinkedHashMap<>();
        Map<String, List<Double>> p99 = new LinkedHashMap<>();
        Map<String, List<Double>> p9999 = new LinkedHashMap<>();
        Map<String, String> bytes = new LinkedHashMap<>();
        for (String k : kinds) {
            p50.put(k, new ArrayList<>());
            p99.put(k, new ArrayList<>());
            p9999.put(k, new ArrayList<>());
        }
        for (int run = 1; run <= o.runs; run++) {
            log("part 4: handoff run " + run);
            Proc p = javaChild(dir.resolve("handoff-" + run), "io.latentkit.perf.compare.RingHandoff", false, List.of(),
                    300, "events=" + o.handoffEvents, "intervalNs=10000");
            if (!p.ok()) {
                md.append("handoff run ").append(run).append(" failed: ").append(p.tail()).append("\n\n");
                continue;
            }
            gcRow("ring handoff run " + run + " (all queues)", p);
            for (String k : kinds) {
                p50.get(k).add(Double.parseDouble(p.result().get(k + "_p50_ns")) / 1000);
                p99.get(k).add(Double.parseDouble(p.result().get(k + "_p99_ns")) / 1000);
                p9999.get(k).add(Double.parseDouble(p.result().get(k + "_p9999_ns")) / 1000);
                bytes.put(k, p.result().get(k + "_producer_bytes_per_event") + " / "
                        + p.result().get(k + "_consumer_bytes_per_event"));
            }
        }
        md.append("| queue | handoff p50 µs | p99 µs | p99.99 µs | bytes/event producer / consumer (last run) |\n"
                + "|---|---|---|---|---|\n");
        for (String k : kinds) {
            md.append("| ").append(k).append(" | ").append(Stats.spread(p50.get(k), "%.2f")).append(" | ")
                    .append(Stats.spread(p99.get(k), "%.2f")).append(" | ").append(Stats.spread(p9999.get(k), "%.1f"))
                    .append(" | ").append(bytes.getOrDefault(k, "n/a")).append(" |\n");
        }
        double d99 = Stats.median(p99.get("disruptor"));
        double abqPoll = Stats.median(p99.get("abq_poll"));
        double abqTake = Stats.median(p99.get("abq_take"));
        String measured = String.format(Locale.ROOT, "p99 %.2f µs vs ABQ %.2f µs (poll, %.0f×) / %.2f µs (take, %.0f×)",
                d99, abqPoll, abqPoll / d99, abqTake, abqTake / d99);
        double worst = Math.min(abqPoll / d99, abqTake / d99);
        double best = Math.max(abqPoll / d99, abqTake / d99);
        targets.add(new String[] {"ring handoff p99 ≥ 100× better than ArrayBlockingQueue", measured,
            worst >= 100 ? "met (both consumers)" : best >= 100 ? String.format(Locale.ROOT,
                    "met against one ABQ consumer (%.0f×), missed against the other (%.1f× of the 100× asked)", best, worst)
                    : String.format(Locale.ROOT, "missed: best ratio %.2f× against the 100× asked (a factor %.0f short)",
                    best, 100 / best)});
        log("part 4: JMH publish cost");
        Path csv = dir.resolve("jmh.csv").toAbsolutePath();
        List<String> jmh = new ArrayList<>(List.of("RingPublishBenchmark", "-f", "1"));
        jmh.addAll(Arrays.asList(o.jmh.split(" ")));
        jmh.addAll(List.of("-prof", "gc", "-rf", "csv", "-rff", csv.toString()));
        Proc p = javaChild(dir.resolve("jmh"), "org.openjdk.jmh.Main", false, List.of(), 900, jmh.toArray(new String[0]));
        md.append("\nPublish cost (JMH `RingPublishBenchmark`, `").append(o.jmh)
                .append("`, one producer, a consumer thread draining continuously; `-prof gc`):\n\n");
        if (p.ok() && Files.exists(csv)) {
            md.append("| queue | ns per publish (± 99.9% CI) | B/op (gc.alloc.rate.norm) |\n|---|---|---|\n");
            Map<String, String[]> rows = new LinkedHashMap<>();
            for (String line : Files.readAllLines(csv)) {
                String[] c = line.split(",");
                if (c.length < 8 || c[0].startsWith("\"Benchmark")) {
                    continue;
                }
                String name = c[0].replace("\"", "");
                String q = c[c.length - 1].replace("\"", "");
                String[] row = rows.computeIfAbsent(q, x -> new String[] {"", ""});
                if (name.endsWith("publish")) {
                    row[0] = String.format(Locale.ROOT, "%.1f ± %.1f", Double.parseDouble(c[4]), parseOr(c[5]));
                } else if (name.endsWith("gc.alloc.rate.norm")) {
                    row[1] = String.format(Locale.ROOT, "%.1f", Double.parseDouble(c[4]));
                }
            }
            rows.forEach((q, row) -> md.append("| ").append(q).append(" | ").append(row[0]).append(" | ").append(row[1])
                    .append(" |\n"));
        } else {
            md.append("JMH run failed: ").append(p.tail()).append('\n');
        }
        md.append('\n');
    }

    private static double parseOr(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    // ---------------------------------------------------------------- part 5

    private void gcSection() {
        md.append("## 5. GC and render-thread allocation\n\n");
        md.append("Every Java child runs with `-Xlog:gc:file=…` (the default collector, except the deadline server, which runs with `bin/latentkit serve`'s flags: ZGC, 1 GiB pre-touched heap, trap limits 0); longest pause and number of "
                + "pauses from that log. Render-thread bytes: the thread that renders (latentkit: the render loop's "
                + "thread, including the score feeding in part 1, which publishes into the ring without allocating; "
                + "Gervill: the thread reading its stream).\n\n");
        md.append("| run | render-thread bytes | longest GC pause | GC pauses |\n|---|---|---|---|\n");
        for (String[] r : gcRows) {
            md.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        md.append('\n');
    }

    private void gcRow(String what, Proc p) throws IOException {
        gcRow(what, p, p.log().resolveSibling(p.log().getFileName().toString().replace(".log", ".gc.log")));
    }

    private void gcRow(String what, Proc p, Path gcLog) throws IOException {
        double[] gc = Proc.gcPauses(gcLog);
        String bytes = p.result().getOrDefault("render_thread_alloc_bytes",
                p.result().getOrDefault("render_thread_alloc_bytes_total", "—"));
        String pause = Double.isNaN(gc[0]) ? "no log" : gc[1] == 0 ? "no pause" : String.format(Locale.ROOT, "%.2f ms",
                gc[0]);
        gcRows.add(new String[] {what, bytes, pause, String.format(Locale.ROOT, "%.0f", gc[1])});
    }

    // ---------------------------------------------------------------- helpers

    private Proc javaChild(Path base, String main, boolean pin, List<String> jvmArgs, long timeoutS, String... args)
            throws IOException, InterruptedException {
        Path log = Path.of(base + ".log");
        Path gc = Path.of(base + ".gc.log");
        Files.deleteIfExists(gc);
        List<String> cmd = new ArrayList<>();
        if (pin) {
            cmd.addAll(List.of("taskset", "-c", o.core));
        }
        cmd.add(javaBin);
        cmd.addAll(List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xlog:gc:file="
                + gc.toAbsolutePath()));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", cp, main));
        cmd.addAll(Arrays.asList(args));
        return Proc.run(cmd, log, timeoutS, false);
    }

    private static int freePort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String us(String ns) {
        return String.format(Locale.ROOT, "%.1f", Long.parseLong(ns) / 1000.0);
    }

    private static String cpuModel() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name")) {
                    return l.substring(l.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            return "unknown";
        }
        return "unknown";
    }

    private static String loadAvg() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String firstLine(String... cmd) {
        try {
            Process p = Proc.track(new ProcessBuilder(cmd).redirectErrorStream(true).start());
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(10, TimeUnit.SECONDS);
            for (String l : out.split("\n")) {
                if (!l.isBlank()) {
                    return l.trim().replace("|", "/");
                }
            }
            return "no output";
        } catch (IOException | InterruptedException e) {
            return "not found (" + cmd[0] + ")";
        }
    }

    private static void log(String s) {
        System.err.println("[compare " + LocalTime.now().withNano(0) + "] " + s);
    }
}
