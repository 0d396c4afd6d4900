package io.latentkit.perf.soak;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Writes a soak's samples as {@code soak.csv} and a Markdown summary {@code soak.md}: the table,
 * the growth of resident memory and of the heap after collection (the mean of the last 10 minutes
 * against minutes 10 to 20, for runs of 30 minutes or more; goal within 2 %), threads and open
 * files at the start and the end, and the counters the server reported.
 *
 * <p>Stateless; any thread.
 */
final class SoakReport {
    private SoakReport() {
    }

    static Path write(Path out, List<ProcessSample> samples, int exitCode, SoakLoad load, double minutes) throws IOException {
        long sent = load.sent();
        Soak.writeCsv(out.resolve("soak.csv"), samples);
        Path md = out.resolve("soak.md");
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(md, StandardCharsets.UTF_8))) {
            w.printf(Locale.ROOT, "# Soak: %.1f minutes, %d messages sent, server exit %d%n%n", minutes, sent, exitCode);
            w.println("| s | RSS MiB | heap after GC MiB | threads | open files | output level | misses | late | drops | nonfinite"
                    + " | reloads | reloads failed | latent ready | listen onsets | listen triggered | listen model errors"
                    + " | MIDI notes |");
            w.println("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|");
            for (ProcessSample s : samples) {
                Map<String, Double> st = s.status();
                w.printf(Locale.ROOT, "| %.0f | %d | %d | %d | %d | %.3f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f | %.0f"
                        + " | %.0f | %.0f |%n", s.seconds(),
                        s.rssKib() / 1024, s.heapAfterGcMib(), s.threads(), s.openFiles(),
                        st.getOrDefault("output_rms", -1.0), st.getOrDefault("misses", -1.0), st.getOrDefault("late", -1.0),
                        st.getOrDefault("drops", -1.0), st.getOrDefault("nonfinite", 0.0),
                        st.getOrDefault("model_reloads", 0.0), st.getOrDefault("model_reload_failures", 0.0),
                        st.getOrDefault("reply /latent/ready", 0.0), st.getOrDefault("listen_onsets", 0.0),
                        st.getOrDefault("listen_triggered", 0.0), st.getOrDefault("listen_model_errors", 0.0),
                        st.getOrDefault("midi_notes", 0.0));
            }
            if (minutes >= 30) {
                w.println();
                w.printf(Locale.ROOT, "RSS, last 10 min against minutes 10-20: %+.2f %%%n",
                        growth(samples, s -> s.rssKib(), minutes));
                w.printf(Locale.ROOT, "Heap after GC, last 10 min against minutes 10-20: %+.2f %%%n",
                        growth(samples, s -> s.heapAfterGcMib(), minutes));
            }
            if (!samples.isEmpty()) {
                ProcessSample first = samples.get(0);
                ProcessSample last = samples.get(samples.size() - 1);
                w.println();
                w.printf("Threads %d -> %d (latentkit's: %s -> %s); open files %d -> %d%n", first.threads(),
                        last.threads(), first.latentkitThreads(), last.latentkitThreads(), first.openFiles(),
                        last.openFiles());
                w.println();
                w.printf(Locale.ROOT, "Model reloads sent: %d of a whole folder, %d with the decoder truncated%n",
                        load.goodReloadsSent(), load.badReloadsSent());
                w.println();
                w.println("Replies the script got, by kind:");
                w.println();
                load.replies().forEach((k, v) -> w.printf(Locale.ROOT, "- `%s`: %d%n", k, v));
                w.println();
                w.println("Last status (server, listen mode, replies):");
                w.println();
                last.status().forEach((k, v) -> w.printf(Locale.ROOT, "- %s: %.0f%n", k, v));
            }
        }
        return md;
    }

    /** Percent change of the mean of the last 10 minutes against minutes 10-20. */
    static double growth(List<ProcessSample> samples, ToDoubleFunction<ProcessSample> f, double minutes) {
        double early = mean(samples, f, 600, 1200);
        double late = mean(samples, f, minutes * 60 - 600, minutes * 60 + 1);
        return 100 * (late - early) / early;
    }

    private static double mean(List<ProcessSample> samples, ToDoubleFunction<ProcessSample> f, double from, double to) {
        double sum = 0;
        int n = 0;
        for (ProcessSample s : samples) {
            if (s.seconds() >= from && s.seconds() < to) {
                sum += f.applyAsDouble(s);
                n++;
            }
        }
        return n == 0 ? Double.NaN : sum / n;
    }
}
