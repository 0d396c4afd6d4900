package io.latentkit.perf.listen;

import io.latentkit.listen.ListenConfig;
import io.latentkit.listen.onset.StreamingOnsetDetector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the streaming detector's errors on rendered takes are: every false onset (unmatched at
 * ±25 ms) by what sounded before it and how long before, every missed onset by its classes, and
 * a model of the decision latency (the later of the report and the end of the window after the
 * placed onset, against the true onset) with the placement error behind it. Takes of any seed:
 * tune on seeds other than the benchmark's (2), never on the evaluation kit.
 *
 * <pre>
 * perf-tests/bench io.latentkit.perf.listen.OnsetErrors [SEED] [clean,20,10] [--list]
 * </pre>
 *
 * <p>Single-threaded.
 */
public final class OnsetErrors {
    private OnsetErrors() {
    }

    public static void main(String[] args) throws Exception {
        long seed = args.length > 0 ? Long.parseLong(args[0]) : 1;
        String conditions = args.length > 1 ? args[1] : "clean,20,10";
        boolean list = args.length > 2 && args[2].equals("--list");
        List<DrumTakes.KitSounds> kits = DrumTakes.load(Path.of("models/training/labels.csv"));
        kits.removeIf(k -> !k.playable());
        StreamingOnsetDetector.Params params = tuned(StreamingOnsetDetector.Params.defaults());
        long window = Long.getLong("window.frames", ListenConfig.defaults().windowFrames());
        for (String c : conditions.split(",")) {
            double snr = c.equals("clean") ? Double.POSITIVE_INFINITY : Double.parseDouble(c);
            OnsetScore s10 = new OnsetScore();
            OnsetScore s25 = new OnsetScore();
            Map<String, Integer> falseBy = new TreeMap<>();
            List<Double> lat = new ArrayList<>();
            List<Double> place = new ArrayList<>();
            List<Double> report = new ArrayList<>();
            Map<String, Integer> missedBy = new TreeMap<>();
            for (DrumTakes.Take take : OfflineParts.takes(kits, snr, seed)) {
                float[] x = take.mono();
                long[] truth = take.truth().stream().mapToLong(DrumTakes.Onset::frame).toArray();
                long[][] run = detect(x, params);
                long[] det = run[0];
                long[] pos = run[1];
                s10.add(truth, det, 480);
                int[] m = s25.add(truth, det, 1200);
                boolean[] used = new boolean[det.length];
                for (int i = 0; i < truth.length; i++) {
                    if (m[i] >= 0) {
                        // The decision waits for the report and for the window after the placed onset.
                        lat.add((Math.max(pos[m[i]], det[m[i]] + window) - truth[i]) * 1000.0 / DrumTakes.RATE);
                        place.add((det[m[i]] - truth[i]) * 1000.0 / DrumTakes.RATE);
                        double pe = (det[m[i]] - truth[i]) * 1000.0 / DrumTakes.RATE;
                        double dl = (pos[m[i]] - truth[i]) * 1000.0 / DrumTakes.RATE;
                        report.add(dl);
                        if (list && (pe > 4 || dl > 14)) {
                            System.out.printf(Locale.ROOT, "  LATE %s at %.3f s: %s placed %+.1f ms, reported %.1f ms%n", take.name(),
                                    truth[i] / (double) DrumTakes.RATE, String.join("+", take.truth().get(i).classes()), pe, dl);
                        }
                    }
                }
                for (int j : m) {
                    if (j >= 0) {
                        used[j] = true;
                    }
                }
                for (int j = 0; j < det.length; j++) {
                    if (used[j]) {
                        continue;
                    }
                    int p = -1;
                    for (int i = 0; i < truth.length && truth[i] <= det[j]; i++) {
                        p = i;
                    }
                    String why;
                    if (p < 0) {
                        why = "before any hit";
                    } else {
                        double ms = (det[j] - truth[p]) * 1000.0 / DrumTakes.RATE;
                        String bucket = ms < 60 ? "25-60 ms" : ms < 120 ? "60-120 ms" : ms < 250 ? "120-250 ms" : ">250 ms";
                        String after = m[p] >= 0 ? "after a found " : "after a missed ";
                        why = after + String.join("+", take.truth().get(p).classes()) + ", " + bucket;
                        if (list) {
                            System.out.printf(Locale.ROOT, "  FP %s at %.3f s: %.1f ms %s%n", take.name(),
                                    det[j] / (double) DrumTakes.RATE, ms, why);
                        }
                    }
                    falseBy.merge(why, 1, Integer::sum);
                }
                for (int i = 0; i < truth.length; i++) {
                    if (m[i] < 0 && list) {
                        long near = Long.MAX_VALUE;
                        for (long d : det) {
                            if (Math.abs(d - truth[i]) < Math.abs(near)) {
                                near = d - truth[i];
                            }
                        }
                        double gap = i == 0 ? -1 : (truth[i] - truth[i - 1]) * 1000.0 / DrumTakes.RATE;
                        System.out.printf(Locale.ROOT, "  FN %s at %.3f s: %s, %.1f ms after %s, nearest detection %+.1f ms%n",
                                take.name(), truth[i] / (double) DrumTakes.RATE, String.join("+", take.truth().get(i).classes()),
                                gap, i == 0 ? "-" : String.join("+", take.truth().get(i - 1).classes()), near * 1000.0 / DrumTakes.RATE);
                    }
                    if (m[i] < 0) {
                        missedBy.merge(String.join("+", take.truth().get(i).classes()), 1, Integer::sum);
                    }
                }
            }
            System.out.printf(Locale.ROOT, "%s seed %d: F1 10 ms %.3f, 25 ms %.3f (P %.3f / R %.3f); fp %d fn %d%n", c, seed,
                    s10.f1(), s25.f1(), s25.precision(), s25.recall(), s25.falsePositives, s25.falseNegatives);
            Collections.sort(lat);
            Collections.sort(place);
            Collections.sort(report);
            System.out.printf(Locale.ROOT, "%s seed %d: reported after the true onset p50 %.2f p95 %.2f p99 %.2f ms%n", c, seed,
                    report.get(report.size() / 2), report.get((int) (report.size() * 0.95)), report.get((int) (report.size() * 0.99)));
            System.out.printf(Locale.ROOT, "%s seed %d: decision model (report or window end) p50 %.2f p95 %.2f p99 %.2f; placement p5 %.2f p50 %.2f p95 %.2f ms%n", c, seed,
                    lat.get(lat.size() / 2), lat.get((int) (lat.size() * 0.95)), lat.get((int) (lat.size() * 0.99)),
                    place.get((int) (place.size() * 0.05)), place.get(place.size() / 2), place.get((int) (place.size() * 0.95)));
            falseBy.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(25)
                    .forEach(e -> System.out.println("  false " + e.getValue() + ": " + e.getKey()));
            missedBy.entrySet().stream().sorted((a, b) -> b.getValue() - a.getValue()).limit(12)
                    .forEach(e -> System.out.println("  missed " + e.getValue() + ": " + e.getKey()));
        }
    }

    /**
     * The settings with any of the system properties {@code onset.backtrack}, {@code onset.fraction},
     * {@code onset.lookahead} and {@code onset.fft} applied, for trying a change before making it.
     */
    static StreamingOnsetDetector.Params tuned(StreamingOnsetDetector.Params p) {
        String v;
        if ((v = System.getProperty("onset.fraction")) != null) {
            p = p.withRefineFraction(Float.parseFloat(v));
        }
        if ((v = System.getProperty("onset.backtrack")) != null) {
            p = p.withBacktrackFraction(Float.parseFloat(v));
        }
        if ((v = System.getProperty("onset.lookahead")) != null) {
            p = p.withLookaheadHops(Integer.parseInt(v));
        }
        if ((v = System.getProperty("onset.fft")) != null) {
            p = p.withFftFrames(Integer.parseInt(v));
        }
        return p;
    }

    /** The detector over a whole take, as listen mode runs it: onsets, and the position each was reported at. */
    private static long[][] detect(float[] x, StreamingOnsetDetector.Params params) {
        StreamingOnsetDetector d = new StreamingOnsetDetector(ListenConfig.INPUT_RATE_HZ, params);
        int hop = d.hopFrames();
        float[] buf = new float[hop];
        long[] on = new long[64];
        long[] at = new long[64];
        int n = 0;
        for (int k = 0; (long) k * hop < x.length + (long) (params.lookaheadHops() + 1) * hop; k++) {
            for (int i = 0; i < hop; i++) {
                int p = k * hop + i;
                buf[i] = p < x.length ? x[p] : 0f;
            }
            long o = d.push(buf, 0);
            if (o >= 0 && o < x.length) {
                if (n == on.length) {
                    on = Arrays.copyOf(on, 2 * n);
                    at = Arrays.copyOf(at, 2 * n);
                }
                on[n] = o;
                at[n++] = d.position();
            }
        }
        return new long[][] {Arrays.copyOf(on, n), Arrays.copyOf(at, n)};
    }
}
