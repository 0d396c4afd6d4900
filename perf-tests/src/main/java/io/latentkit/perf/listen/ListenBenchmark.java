package io.latentkit.perf.listen;

import io.latentkit.listen.ListenConfig;
import io.latentkit.listen.ListenMode;
import io.latentkit.listen.ListenModels;
import io.latentkit.models.Models;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Listen mode's figures (issue 15), in one run, as Markdown:
 * <ol>
 *   <li>{@code onsets}: onset F1 at ±10 and ±25 ms of the streaming detector and of aubio's
 *       {@code aubioonset} (the peer, default settings) on the same 16-bit WAV files: grooves rendered
 *       from the Hydrogen training kits at five tempos, clean and with pink noise;</li>
 *   <li>{@code classes}: class accuracy of the live decider by classification window;</li>
 *   <li>{@code latency}: live runs per fixed latency L: decision latency from each true onset to its
 *       trigger, missed slots, and where each voice started against onset + L;</li>
 *   <li>{@code enrol}: enrolment accuracy on espeak-ng vocal percussion after 5 examples per class.</li>
 * </ol>
 *
 * <pre>
 * perf-tests/bench io.latentkit.perf.listen.ListenBenchmark [--parts onsets,classes,latency,enrol]
 *     [--latencies auto,15,20] [--windows 10,20,30,40,50,100,250] [--classifiers short,full,blend,auto] [--blocks 64,32] [--live-bars 24] [--held-back 15] [--seed 2] [--models DIR] [--out FILE]
 * </pre>
 *
 * <p>The takes use seed 2 by default; the detector was tuned on seed-1-style takes of another
 * kit rotation (see the README), so these are held-out takes of the same kits.
 */
public final class ListenBenchmark {
    private ListenBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Set<String> parts = Set.of("onsets", "classes", "latency", "enrol");
        String latencies = "15,20";
        String windows = "10,20,30,40,50,100,250";
        String blocks = "64,32";
        String classifiers = "short,full,blend,auto";
        int liveBars = 24;
        int heldBack = 15;
        long seed = 2;
        Path out = null;
        Path modelsDir = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--parts" -> parts = Set.of(args[++i].split(","));
                case "--latencies" -> latencies = args[++i];
                case "--windows" -> windows = args[++i];
                case "--blocks" -> blocks = args[++i];
                case "--classifiers" -> classifiers = args[++i];
                case "--live-bars" -> liveBars = Integer.parseInt(args[++i]);
                case "--held-back" -> heldBack = Integer.parseInt(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--models" -> modelsDir = Path.of(args[++i]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path work = Files.createDirectories(Path.of("perf-tests/target/listen"));
        List<String> md = new ArrayList<>();
        md.add("# Listen mode benchmark");
        md.add("");
        md.add("Run " + Instant.now() + " on " + Runtime.getRuntime().availableProcessors() + " CPUs, load average "
                + loadAverage() + " at the start; java " + System.getProperty("java.version") + "; peer: "
                + Aubio.version() + ".");
        md.add("");
        List<DrumTakes.KitSounds> kits = DrumTakes.load(Path.of("models/training/labels.csv"));
        kits.removeIf(k -> !k.playable());
        // The evaluation kit: sounds no model was trained or tuned on (FluidR3 GM through fluidsynth).
        List<DrumTakes.KitSounds> evaluation = EvaluationKit.available() ? List.of(EvaluationKit.load(work)) : List.of();
        Models loaded = modelsDir == null ? ListenModels.load() : Models.load(modelsDir, Models.DEFAULT_THREADS);
        md.add("Models: " + (modelsDir == null ? "the shipped ones" : modelsDir.toString()) + "; classifier "
                + loaded.classifier().model().metadata().getOrDefault("version", "unknown") + ".");
        md.add("");
        try (Models models = loaded) {
            if (parts.contains("onsets")) {
                md.add("## Onsets (" + OfflineParts.TEMPOS.length * OfflineParts.TAKES_PER_TEMPO + " takes of "
                        + OfflineParts.BARS + " bars per row)");
                md.add("");
                md.add("Training kits (" + kits.size() + " Hydrogen kits; the detector was tuned on other takes of them):");
                md.add("");
                md.addAll(OfflineParts.onsets(kits, new double[] {Double.POSITIVE_INFINITY, 20, 10}, seed, work));
                md.add("");
                if (!evaluation.isEmpty()) {
                    md.add("Evaluation kit (" + evaluation.get(0).kit() + ": never trained or tuned on):");
                    md.add("");
                    md.addAll(OfflineParts.onsets(evaluation, new double[] {Double.POSITIVE_INFINITY, 20, 10}, seed, work));
                    md.add("");
                }
                flush(md, out);
            }
            if (parts.contains("classes")) {
                double[] classWindows = LivePart.parse(windows);
                ListenConfig.Classifier[] choices = Arrays.stream(classifiers.split(","))
                        .map(c -> ListenConfig.Classifier.valueOf(c.toUpperCase(Locale.ROOT)))
                        .toArray(ListenConfig.Classifier[]::new);
                md.add("## Class accuracy by window (clean takes; hits of one class only)");
                md.add("");
                if (!evaluation.isEmpty()) {
                    md.add("Evaluation kit (" + evaluation.get(0).kit() + "):");
                    md.add("");
                    md.addAll(OfflineParts.classes(evaluation, classWindows, choices, seed, models));
                    md.add("");
                }
                md.add("Training kits (the classifier was trained on these sounds: an upper bound, not a result):");
                md.add("");
                md.addAll(OfflineParts.classes(kits, classWindows, choices, seed, models));
                md.add("");
                if (!evaluation.isEmpty()) {
                    ListenConfig d = ListenConfig.defaults();
                    md.add(String.format(Locale.ROOT, "What the default (L = %.0f ms, %.0f ms window, %s) hears on the"
                            + " evaluation kit:", d.latencyMs(), d.windowMs(),
                            ListenMode.classifierFor(d).name().toLowerCase(Locale.ROOT)));
                    md.add("");
                    OfflineParts.classes(evaluation, new double[] {d.windowMs()},
                            new ListenConfig.Classifier[] {ListenConfig.Classifier.AUTO}, seed, models);
                    md.addAll(OfflineParts.confusion());
                    md.add("");
                }
                flush(md, out);
            }
            if (parts.contains("latency")) {
                md.add("## Live: decision latency and the drum's place (120 BPM, " + liveBars + " bars, clean)");
                md.add("");
                md.add(LivePart.header());
                DrumTakes.Take take = DrumTakes.groove("live", kits.get((int) (seed % kits.size())), 120, liveBars, 0.7f,
                        Double.POSITIVE_INFINITY, seed * 31);
                List<String> calibrations = new ArrayList<>();
                for (double block : LivePart.parse(blocks)) {
                    for (double l : LivePart.parse(latencies)) {
                        md.add(LivePart.run(take, l, 10, (int) block));
                        if (LivePart.lastCalibration != null) {
                            calibrations.add("- " + (int) block + "-frame input blocks: " + LivePart.lastCalibration);
                        }
                        flush(md, out);
                    }
                }
                md.add("");
                if (!calibrations.isEmpty()) {
                    md.add("What `auto` measured at each start (the listen banner's line):");
                    md.add("");
                    md.addAll(calibrations);
                    md.add("");
                }
            }
            if (parts.contains("enrol")) {
                for (double[] wg : new double[][] {{10, 50}, {10, 120}, {40, 120}}) {
                    md.add(String.format(Locale.ROOT, "## Enrolment on vocal percussion (espeak-ng + sox; 5 examples"
                            + " per class; %.0f ms window, L = %.0f ms; minimum gap %.0f ms)", wg[0],
                            wg[0] + ListenConfig.RESERVE_MS, wg[1]));
                    md.add("");
                    md.addAll(EnrolPart.run(models, wg[0], wg[1], heldBack, seed, work));
                    md.add("");
                    flush(md, out);
                }
                EnrolPart.cleanUp(work);
            }
        }
        md.add("Load average at the end: " + loadAverage() + ".");
        flush(md, out);
        if (out == null) {
            System.out.println(String.join("\n", md));
        }
    }

    private static void flush(List<String> md, Path out) throws Exception {
        if (out != null) {
            Path tmp = out.resolveSibling(out.getFileName() + ".tmp");
            Files.writeString(tmp, String.join("\n", md) + "\n");
            Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split(" ");
            return f[0] + " / " + f[1] + " / " + f[2] + " (1 / 5 / 15 min)";
        } catch (IOException e) {
            return "unknown";
        }
    }
}
