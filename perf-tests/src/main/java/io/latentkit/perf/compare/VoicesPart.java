package io.latentkit.perf.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Part 1, voices per core offline: every engine renders the same score of the same sounds pinned
 * to one core, over a sweep of voice counts ({@link Sweep}), at unit pitch or with every voice
 * pitched by the same number of semitones.
 *
 * <p>Threading: the main thread only.
 */
final class VoicesPart {
    private static final String LK_INTERP = "latentkit-interp";
    private static final String[] UNIT_ENGINES = {"latentkit", "scsynth", "fluidsynth", "gervill"};
    /**
     * Pitched, latentkit runs twice: as it plays a tuned pad (from the pad's pre-pitched copy,
     * built inside the timed render) and interpolating every frame, as a voice whose pitch changed
     * since its copy was built plays.
     */
    private static final String[] PITCHED_ENGINES = {"latentkit", LK_INTERP, "scsynth", "fluidsynth", "gervill"};

    /** The MIDI engines address a voice by channel and key: 15 channels x 128 keys x 4 layers. */
    private static final int MIDI_MAX_VOICES = 15 * 128 * 4;

    private final Harness h;
    private final CompareOptions o;
    private final double pitch;
    private final StringBuilder md;
    private final String[] engineNames;

    VoicesPart(Harness h, double pitch, StringBuilder md) {
        this.h = h;
        this.o = h.o;
        this.pitch = pitch;
        this.md = md;
        this.engineNames = pitch == 0 ? UNIT_ENGINES : PITCHED_ENGINES;
    }

    private String tag() {
        return pitch == 0 ? "unit" : String.format(Locale.ROOT, "pitch %+.2f", pitch);
    }

    void run() throws Exception {
        Path dir = h.work.resolve(pitch == 0 ? "part1" : "part1-pitch");
        Files.createDirectories(dir);
        Fixtures fx = Fixtures.defaultKit(o.length);
        List<Path> wavs = new ArrayList<>();
        for (int i = 0; i < fx.count(); i++) {
            Path w = dir.resolve("sound" + i + ".wav");
            fx.writeWav(i, w);
            wavs.add(w);
        }
        Path sf2 = dir.resolve("compare.sf2");
        fx.writeSf2(sf2, pitch);
        int played = Score.playedFrames(fx.frames(), pitch);
        double baseSeconds = Math.min(0.5, o.seconds / 10);
        Map<String, Integer> caps = new LinkedHashMap<>();
        caps.put("latentkit", Sweep.MAX_VOICES);
        if (pitch != 0) {
            caps.put(LK_INTERP, Sweep.MAX_VOICES);
        }
        caps.put("scsynth", Sweep.MAX_VOICES);
        caps.put("fluidsynth", MIDI_MAX_VOICES);
        caps.put("gervill", MIDI_MAX_VOICES);
        Sweep sweep = new Sweep(o.voices, caps);
        Map<String, Map<Integer, String>> cells = new LinkedHashMap<>();
        for (String e : engineNames) {
            cells.put(e, new LinkedHashMap<>());
        }
        Map<String, String> failures = new LinkedHashMap<>();
        StringBuilder voiceChecks = new StringBuilder();
        Map<Integer, String> gervillVoices = new LinkedHashMap<>();
        Integer nBoxed;
        for (int vi = 0; (nBoxed = sweep.count(vi)) != null; vi++) {
            int n = nBoxed;
            List<String> engines = sweep.engines(n);
            Path nd = dir.resolve("n" + n);
            Files.createDirectories(nd);
            int rate = Fixtures.RATE_HZ;
            Score full = new Score(n, Math.round(o.seconds * rate), played);
            Score base = new Score(n, Math.round(baseSeconds * rate), played);
            if (engines.contains("scsynth")) {
                ScsynthFiles.writeScore(nd.resolve("full.osc"), full, wavs, rate, pitch);
                ScsynthFiles.writeScore(nd.resolve("base.osc"), base, wavs, rate, pitch);
            }
            if (engines.contains("fluidsynth")) {
                MidiScore.write(nd.resolve("full.mid"), full, rate);
                MidiScore.write(nd.resolve("base.mid"), base, rate);
            }
            Map<String, List<Double>> rtfWall = new LinkedHashMap<>();
            Map<String, List<Double>> rtfCpu = new LinkedHashMap<>();
            for (String e : engineNames) {
                rtfWall.put(e, new ArrayList<>());
                rtfCpu.put(e, new ArrayList<>());
            }
            long timeout = (long) (60 + o.seconds * Math.max(1, n / 64.0) * 2);
            String pitchArg = "pitch=" + pitch;
            for (int run = 1; run <= o.runs; run++) {
                Harness.log(String.format(Locale.ROOT, "part 1 (%s): N=%d run %d/%d, engines %s", tag(), n, run, o.runs,
                        engines));
                if (engines.contains("latentkit") && !failures.containsKey("latentkit N=" + n)) {
                    Proc lk = h.javaChild(nd.resolve("latentkit-" + run), "io.latentkit.perf.compare.OfflineLatentkit",
                            true, List.of(), timeout, "voices=" + n, "seconds=" + o.seconds, "length=" + o.length,
                            pitchArg);
                    recordJava("latentkit", n, run, lk, rtfWall, rtfCpu, failures);
                    if (lk.ok() && run == 1) {
                        voiceChecks.append(String.format(Locale.ROOT, "| %d | %s–%s | %s | %s |%n", n,
                                lk.result().get("min_voices"), lk.result().get("max_voices"), lk.result().get("late"),
                                lk.result().get("stolen")));
                    }
                }
                if (engines.contains(LK_INTERP) && !failures.containsKey(LK_INTERP + " N=" + n)) {
                    Proc lk = h.javaChild(nd.resolve(LK_INTERP + "-" + run), "io.latentkit.perf.compare.OfflineLatentkit",
                            true, List.of(), timeout, "voices=" + n, "seconds=" + o.seconds, "length=" + o.length,
                            pitchArg, "prepitch=0");
                    recordJava(LK_INTERP, n, run, lk, rtfWall, rtfCpu, failures);
                }
                if (engines.contains("gervill") && !failures.containsKey("gervill N=" + n)) {
                    Proc gv = h.javaChild(nd.resolve("gervill-" + run), "io.latentkit.perf.compare.OfflineGervill", true,
                            List.of("--add-exports", "java.desktop/com.sun.media.sound=ALL-UNNAMED",
                                    "-Djava.util.prefs.userRoot=" + h.work.resolve("prefs").toAbsolutePath()), timeout,
                            "voices=" + n, "seconds=" + o.seconds, "length=" + o.length, pitchArg,
                            "sf2=" + sf2.toAbsolutePath());
                    recordJava("gervill", n, run, gv, rtfWall, rtfCpu, failures);
                    if (gv.ok() && run == 1) {
                        gervillVoices.put(n, gv.result().getOrDefault("voice_status_active", "?"));
                    }
                }
                if (engines.contains("scsynth")) {
                    peer("scsynth", n, run, baseSeconds, timeout, rtfWall, rtfCpu, failures, s -> List.of("scsynth",
                            "-N", nd.resolve(s + ".osc").toString(), "_", nd.resolve("scsynth-" + s + ".wav").toString(),
                            "48000", "WAV", "float", "-o", "2", "-i", "0", "-n", "32768", "-m", "262144", "-z", "64"),
                            nd);
                }
                if (engines.contains("fluidsynth")) {
                    peer("fluidsynth", n, run, baseSeconds, timeout, rtfWall, rtfCpu, failures, s -> List.of(
                            "fluidsynth", "-ni", "-q", "-R", "0", "-C", "0", "-r", "48000", "-g", "1",
                            "-o", "synth.polyphony=" + Math.min(65535, n + Math.max(16, n / 16)),
                            "-o", "synth.cpu-cores=1", "-F", nd.resolve("fluidsynth-" + s + ".wav").toString(), "-T",
                            "wav", sf2.toString(), nd.resolve(s + ".mid").toString()), nd);
                }
                deleteWavs(nd);
            }
            for (String e : engines) {
                if (rtfWall.get(e).isEmpty()) {
                    sweep.stop(e, "failed at N=" + n);
                    continue;
                }
                sweep.record(e, n, 1.0 / Stats.median(rtfWall.get(e)), 1.0 / Stats.median(rtfCpu.get(e)));
                cells.get(e).put(n, Stats.spread(rtfWall.get(e), "%.1f") + " / cpu "
                        + Stats.f("%.1f", Stats.median(rtfCpu.get(e))));
            }
        }
        report(fx, baseSeconds, sweep, cells, failures, voiceChecks, gervillVoices);
    }

    private void report(Fixtures fx, double baseSeconds, Sweep sweep, Map<String, Map<Integer, String>> cells, Map<String, String> failures, StringBuilder voiceChecks,
            Map<Integer, String> gervillVoices) {
        boolean pitched = pitch != 0;
        md.append(pitched ? String.format(Locale.ROOT, "## 1b. Voices per core, offline, pitched %+.2f semitones%n%n",
                pitch) : "## 1a. Voices per core, offline, unit pitch\n\n");
        md.append(String.format(Locale.ROOT, "Every engine plays the same %d sounds (the default kit's, mono 48 kHz, each "
                + "cut or padded to %.2f s, fixed pans) and the same score: N/4 slots of 4 voices, each slot restarted "
                + "every %.3f s (the sample length over the pitch ratio %.4f, so a voice ends as its slot restarts), "
                + "so exactly N voices sound after the first %.3f s; %.0f s of stereo audio at 48 kHz. Each program "
                + "runs pinned to one core (`taskset -c %s`).%n%n", fx.count(), o.length,
                Score.playedFrames(fx.frames(), pitch) / (double) Fixtures.RATE_HZ, Score.ratio(pitch),
                Score.playedFrames(fx.frames(), pitch) / (double) Fixtures.RATE_HZ, o.seconds, o.core));
        md.append("| engine | what it runs per voice |\n|---|---|\n");
        md.append("| latentkit | offline render through the render agent (ring drain, scheduler, voice: ")
                .append(pitched ? "the tuned pad's pre-pitched copy (4-point Lagrange interpolation from a 4,096-phase "
                        + "table, computed once per sound and pitch inside the timed render, on the render loop's thread: the "
                        + "copies' bytes show in section 5) read by its unit-pitch loop"
                        : "sample read without interpolation (its unit-pitch loop)")
                .append(", gain × exponential-decay envelope (no decay set), constant-power pan), output guard; timed "
                        + "inside the process around the render loop, score fed one step ahead |\n");
        if (pitched) {
            md.append("| latentkit-interp | the same with pre-pitched copies off (`Engine.prePitch(false)`): 4-point "
                    + "Lagrange interpolation of every frame (its pitched loop), as a voice whose pad's pitch changed "
                    + "since its copy was built plays; the output is bit-identical |\n");
        }
        md.append("| scsynth | `scsynth -N` NRT, SynthDef `lkplay`: PlayBuf (rate ")
                .append(String.format(Locale.ROOT, "%.4f", Score.ratio(pitch)))
                .append(pitched ? ", cubic interpolation" : "")
                .append(") × EnvGen (3-segment linear, 1 ms attack, 6 ms release) → Pan2 → Out; a whole-process time "
                        + "minus a ").append(baseSeconds).append(" s score run (start-up, buffer loading) |\n");
        md.append("| fluidsynth | `fluidsynth -F` with the fixture SF2 (one note → 4 layered zones")
                .append(pitched ? ", each tuned by coarseTune/fineTune" : "")
                .append("), reverb and chorus off; SF2 voice: 4-point interpolation, volume envelope (defaults), "
                        + "per-voice IIR low-pass (cut-off at maximum), pan; whole-process time minus a short run |\n");
        md.append("| gervill | JDK SoftSynthesizer via `AudioSynthesizer.openStream`, same SF2, reverb/chorus/AGC off, "
                + "linear interpolation; timed around the stream reads |\n\n");
        md.append("Real-time factor (audio seconds per wall second on one core; median (min–max, n) of the runs) / "
                + "the same per CPU second. The sweep goes on past the requested counts until each engine's load "
                + "reached 70% of the core in wall and in CPU time; an engine is not run at larger N after that:\n\n| N | ");
        md.append(String.join(" | ", engineNames)).append(" |\n|---|");
        md.append("---|".repeat(engineNames.length)).append('\n');
        for (int n : sweep.counts()) {
            md.append("| ").append(n);
            for (String e : engineNames) {
                String why = sweep.notRun(e, n);
                md.append(" | ").append(why != null ? why : cells.get(e).get(n));
            }
            md.append(" |\n");
        }
        md.append("\nVoices at 70% of one core (interpolated between the two measured counts around it; never "
                + "extrapolated):\n\n| engine | voices @70% (wall) | voices @70% (CPU time) |\n|---|---|---|\n");
        Map<String, Double> at70 = new LinkedHashMap<>();
        for (String e : engineNames) {
            double[] w = sweep.atTarget(e);
            double[] c = sweep.atTargetCpu(e);
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
        String what = pitched ? " (pitched)" : " (unit pitch)";
        ratioTarget("voices per core ≥ 1.5× scsynth" + what, at70.get("latentkit"), at70.get("scsynth"), 1.5);
        ratioTarget("voices per core ≥ 2× FluidSynth" + what, at70.get("latentkit"), at70.get("fluidsynth"), 2.0);
        if (pitched) {
            ratioTarget("pitched voices per core ≥ 2.5× scsynth's pitched PlayBuf (tuned pads)", at70.get("latentkit"),
                    at70.get("scsynth"), 2.5);
            ratioTarget("pitched voices per core ≥ 2.5× scsynth's pitched PlayBuf (interpolating every frame)",
                    at70.get(LK_INTERP), at70.get("scsynth"), 2.5);
            double lk = at70.get("latentkit");
            h.targets.add(new String[] {"≥ 4,000 pitched stereo voices per core (RenderCostReport; here mono voices "
                    + "through the whole engine)", Double.isNaN(lk) ? "not bracketed" : String.format(Locale.ROOT,
                    "%.0f mono voices @70%% → %.0f @100%%", lk, lk / Sweep.TARGET_LOAD), "see README (JMH)"});
        }
        double g = at70.get("latentkit") / at70.get("gervill");
        h.targets.add(new String[] {"(no target) voices per core vs Gervill" + what, Harness.ratio(g), "—"});
    }

    private static String fmtVoices(double[] v) {
        return Double.isNaN(v[0]) ? "not bracketed by the sweep" : String.format(Locale.ROOT, "%.0f", v[0]);
    }

    private void ratioTarget(String name, Double ours, Double theirs, double want) {
        if (ours == null || theirs == null || ours.isNaN() || theirs.isNaN()) {
            h.targets.add(new String[] {name, "not measured (70% point not bracketed)", "unknown"});
            return;
        }
        double r = ours / theirs;
        h.targets.add(new String[] {name, Harness.ratio(r) + String.format(Locale.ROOT, " (%.0f vs %.0f voices @70%%)",
                ours, theirs), r >= want ? "met" : String.format(Locale.ROOT, "missed by %.2f× (%.0f%%)", want / r,
                100 * (1 - r / want))});
    }

    private void recordJava(String engine, int n, int run, Proc p, Map<String, List<Double>> wall,
            Map<String, List<Double>> cpu, Map<String, String> failures) throws IOException {
        if (!p.ok() || !p.result().containsKey("wall_ns")) {
            failures.putIfAbsent(engine + " N=" + n, "exit " + p.rc() + ": " + p.tail());
            return;
        }
        wall.get(engine).add(o.seconds / (Long.parseLong(p.result().get("wall_ns")) / 1e9));
        cpu.get(engine).add(o.seconds / (Long.parseLong(p.result().get("cpu_ns")) / 1e9));
        h.gcRow(engine + " offline, part 1 (" + tag() + ") N=" + n + " run " + run, p);
    }

    @FunctionalInterface
    private interface Cmd {
        List<String> of(String score);
    }

    private void peer(String engine, int n, int run, double baseSeconds, long timeout, Map<String, List<Double>> wall,
            Map<String, List<Double>> cpu, Map<String, String> failures, Cmd cmd, Path nd) throws Exception {
        if (failures.containsKey(engine + " N=" + n)) {
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
}
