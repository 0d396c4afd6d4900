package io.latentkit.perf.listen;

import io.latentkit.listen.ListenConfig;
import io.latentkit.listen.ListenMode;
import io.latentkit.listen.OfflineListen;
import io.latentkit.listen.onset.StreamingOnsetDetector;
import io.latentkit.models.AudioFiles;
import io.latentkit.models.Models;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The offline parts of the listen benchmark: onset F1 of the streaming detector and of aubio on
 * the same rendered takes (written as 16-bit WAV files, which both read), and class accuracy of
 * the live decider by classification window.
 *
 * <p>Single-threaded.
 */
final class OfflineParts {
    static final int[] TEMPOS = {80, 100, 120, 140, 170};
    static final int TAKES_PER_TEMPO = 3;
    static final int BARS = 8;

    private OfflineParts() {
    }

    /** The takes of one noise condition: five tempos, three kits each, alternate takes at -1 and -14 dBFS peak. */
    static List<DrumTakes.Take> takes(List<DrumTakes.KitSounds> kits, double snrDb, long seed) {
        List<DrumTakes.Take> out = new ArrayList<>();
        int t = 0;
        for (int tempo : TEMPOS) {
            for (int k = 0; k < TAKES_PER_TEMPO; k++) {
                DrumTakes.KitSounds kit = kits.get((int) ((t * 7 + k * 5 + seed) % kits.size()));
                float peak = t % 2 == 0 ? 0.9f : 0.2f;
                out.add(DrumTakes.groove(kit.kit() + "@" + tempo, kit, tempo, BARS, peak, snrDb, seed * 1_000_003L + t));
                t++;
            }
        }
        return out;
    }

    static String snrName(double snr) {
        return Double.isInfinite(snr) ? "clean" : String.format(Locale.ROOT, "pink noise %.0f dB below", snr);
    }

    /** Onset F1 at ±10 and ±25 ms, ours and aubio's, per noise condition; Markdown rows. */
    static List<String> onsets(List<DrumTakes.KitSounds> kits, double[] snrs, long seed, Path work) throws Exception {
        List<String> rows = new ArrayList<>();
        rows.add("| material | onsets | latentkit F1 ±10 ms | latentkit F1 ±25 ms (P / R) | aubio F1 ±10 ms | aubio F1 ±25 ms (P / R) | latentkit mean placement error |");
        rows.add("|---|---|---|---|---|---|---|");
        StreamingOnsetDetector.Params params = StreamingOnsetDetector.Params.defaults();
        for (double snr : snrs) {
            OnsetScore ours10 = new OnsetScore();
            OnsetScore ours25 = new OnsetScore();
            OnsetScore aub10 = new OnsetScore();
            OnsetScore aub25 = new OnsetScore();
            double err = 0;
            long matched = 0;
            long truthCount = 0;
            int i = 0;
            for (DrumTakes.Take take : takes(kits, snr, seed)) {
                Path wav = work.resolve("onsets-" + (Double.isInfinite(snr) ? "clean" : (int) snr + "db") + "-" + i++ + ".wav");
                AudioFiles.writeWav16(wav, take.mono(), DrumTakes.RATE);
                float[] x = AudioFiles.readMono(wav, DrumTakes.RATE);
                long[] truth = take.truth().stream().mapToLong(DrumTakes.Onset::frame).toArray();
                truthCount += truth.length;
                long[] ours = StreamingOnsetDetector.detectAll(x, ListenConfig.INPUT_RATE_HZ, params,
                        StreamingOnsetDetector.DEFAULT_SENSITIVITY);
                long[] aubio = Aubio.onsets(wav, DrumTakes.RATE);
                int[] m = ours10.add(truth, ours, 480);
                ours25.add(truth, ours, 1200);
                aub10.add(truth, aubio, 480);
                aub25.add(truth, aubio, 1200);
                for (int j = 0; j < m.length; j++) {
                    if (m[j] >= 0) {
                        err += ours[m[j]] - truth[j];
                        matched++;
                    }
                }
                Files.deleteIfExists(wav);
            }
            rows.add(String.format(Locale.ROOT, "| %s | %d | **%.3f** | **%.3f** (%.3f / %.3f) | %.3f | %.3f (%.3f / %.3f) | %+.2f ms |",
                    snrName(snr), truthCount, ours10.f1(), ours25.f1(), ours25.precision(), ours25.recall(), aub10.f1(),
                    aub25.f1(), aub25.precision(), aub25.recall(), err / matched * 1000 / DrumTakes.RATE));
        }
        return rows;
    }

    /** Class accuracy of the decider on clean takes, per window; Markdown rows. */
    static List<String> classes(List<DrumTakes.KitSounds> kits, double[] windowsMs, ListenConfig.Classifier[] choices,
            long seed, Models models) throws Exception {
        List<String> rows = new ArrayList<>();
        rows.add("| window | latency it needs | classifier | hits scored | accuracy | kick | snare | hihat_closed | hihat_open | crash | ride | toms |");
        rows.add("|---|---|---|---|---|---|---|---|---|---|---|---|");
        List<DrumTakes.Take> takes = takes(kits, Double.POSITIVE_INFINITY, seed);
        for (double w : windowsMs) {
            for (ListenConfig.Classifier choice : choices) {
                rows.add(classRow(takes, ListenConfig.forLatency(w + ListenConfig.RESERVE_MS).withClassifier(choice),
                        models));
            }
        }
        return rows;
    }

    /** What the decider said for each true class (one class per hit), for the confusion table. */
    static Map<String, Map<String, Long>> lastConfusion = new TreeMap<>();

    /** The confusion of the last {@link #classes} row: Markdown, one row per true class. */
    static List<String> confusion() {
        List<String> rows = new ArrayList<>();
        rows.add("| true class | hits | heard as (count) |");
        rows.add("|---|---|---|");
        lastConfusion.forEach((c, got) -> {
            long n = got.values().stream().mapToLong(Long::longValue).sum();
            StringBuilder b = new StringBuilder();
            got.entrySet().stream().sorted((x, y) -> Long.compare(y.getValue(), x.getValue()))
                    .forEach(e -> b.append(b.length() == 0 ? "" : ", ").append(e.getKey()).append(" (").append(e.getValue()).append(')'));
            rows.add("| " + c + " | " + n + " | " + b + " |");
        });
        return rows;
    }

    private static String classRow(List<DrumTakes.Take> takes, ListenConfig config, Models models) throws Exception {
        OfflineListen ol = new OfflineListen(config, models);
        lastConfusion = new TreeMap<>();
        Map<String, long[]> per = new TreeMap<>();
        long right = 0;
        long n = 0;
        for (DrumTakes.Take take : takes) {
            List<OfflineListen.Hit> hits = ol.run(take.mono(), StreamingOnsetDetector.DEFAULT_SENSITIVITY);
            long[] det = hits.stream().mapToLong(OfflineListen.Hit::onsetFrame).toArray();
            long[] truth = take.truth().stream().mapToLong(DrumTakes.Onset::frame).toArray();
            int[] m = new OnsetScore().add(truth, det, 1200);
            for (int i = 0; i < truth.length; i++) {
                List<String> cs = take.truth().get(i).classes();
                if (m[i] < 0 || cs.size() != 1) {
                    continue; // scored: hits found, of one class (a kick and a hat together are not)
                }
                String c = cs.get(0).startsWith("tom_") ? "toms" : cs.get(0);
                String got = hits.get(m[i]).className();
                // The classifiers have one tom class (listen mode plays it on the mid tom): any tom is right.
                boolean ok = c.equals("toms") ? got.startsWith("tom_") : cs.get(0).equals(got);
                lastConfusion.computeIfAbsent(c, x -> new TreeMap<>()).merge(got.startsWith("tom_") ? "toms" : got, 1L, Long::sum);
                long[] v = per.computeIfAbsent(c, x -> new long[2]);
                v[0] += ok ? 1 : 0;
                v[1]++;
                right += ok ? 1 : 0;
                n++;
            }
        }
        String name = config.classifier().name().toLowerCase(Locale.ROOT);
        if (config.classifier() == ListenConfig.Classifier.AUTO) {
            name = "auto (" + ListenMode.classifierFor(config).name().toLowerCase(Locale.ROOT) + ")";
        }
        return String.format(Locale.ROOT, "| %.0f ms | %.0f ms | %s | %d | **%.3f** | %s | %s | %s | %s | %s | %s | %s |",
                config.windowMs(), config.latencyMs(), name, n, right / (double) n, share(per, "kick"), share(per, "snare"),
                share(per, "hihat_closed"), share(per, "hihat_open"), share(per, "crash"), share(per, "ride"),
                share(per, "toms"));
    }

    private static String share(Map<String, long[]> per, String c) {
        long[] v = per.get(c);
        return v == null || v[1] == 0 ? "–" : String.format(Locale.ROOT, "%.2f (%d)", v[0] / (double) v[1], v[1]);
    }
}
