package io.latentkit.perf.listen;

import io.latentkit.listen.ListenConfig;
import io.latentkit.listen.OfflineListen;
import io.latentkit.listen.onset.StreamingOnsetDetector;
import io.latentkit.models.AudioFiles;
import io.latentkit.models.Models;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Enrolment on vocal percussion synthesised with {@code espeak-ng} and {@code sox} (evaluation
 * material only): four beatbox sounds, "b" ({@code [[bU]]}), "ts", "k" and "psh" ({@code [[pS]]}),
 * said by several synthetic performers (an espeak voice with its own pitch and speed), each take
 * varied in pitch (espeak and a sox pitch shift of up to ±100 cents), speed and level. A performer
 * learns each class from the next 5 hits through listen mode's own detector and decider, then
 * performs held-back takes in shuffled order, 450 ms apart over a -70 dBFS noise floor. The
 * detector's minimum gap is a parameter: the synthetic "b" and "psh" rise twice within one sound.
 *
 * <p>Single-threaded; runs the two programs once per take.
 */
final class EnrolPart {
    static final String[] CLASSES = {"b", "ts", "k", "psh"};
    static final String[] PHONEMES = {"[[bU]]", "[[ts]]", "[[k]]", "[[pS]]"};
    static final String[][] PERFORMERS = {{"en", "30", "170"}, {"en-us", "60", "200"}, {"de", "45", "150"},
        {"nl", "70", "220"}, {"sv", "20", "180"}, {"en-gb-scotland", "55", "250"}};
    static final int LEARN = 5;

    private EnrolPart() {
    }

    /** One vocal hit: espeak-ng, trimmed and varied with sox; mono 48 kHz. */
    static float[] say(String voice, int pitch, int speed, String phonemes, int cents, double gainDb, Path work)
            throws Exception {
        Path raw = work.resolve("espeak.wav");
        Path out = work.resolve("hit.wav");
        exec("espeak-ng", "-v", voice, "-p", Integer.toString(pitch), "-s", Integer.toString(speed), "-w", raw.toString(),
                phonemes);
        exec("sox", raw.toString(), "-r", "48000", out.toString(), "silence", "1", "0.002", "-45d", "reverse", "silence",
                "1", "0.002", "-45d", "reverse", "pitch", Integer.toString(cents), "norm", String.format(Locale.ROOT, "%.1f", gainDb));
        return AudioFiles.readMono(out, DrumTakes.RATE);
    }

    private static void exec(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", cmd) + " failed");
        }
    }

    private record Hit(String cls, float[] sound) {
    }

    /** Accuracy rows: one per performer and one for all; Markdown. */
    static List<String> run(Models models, double windowMs, double minGapMs, int heldBack, long seed, Path work) throws Exception {
        List<String> rows = new ArrayList<>();
        rows.add("| performer (espeak voice, pitch, speed) | learn onsets found | held-back hits found | right class | accuracy |");
        rows.add("|---|---|---|---|---|");
        Random rng = new Random(seed);
        long allRight = 0;
        long allScored = 0;
        for (String[] perf : PERFORMERS) {
            ListenConfig cfg = ListenConfig.forLatency(windowMs + ListenConfig.RESERVE_MS);
            cfg = cfg.withOnset(cfg.onset().withMinGapMs(minGapMs));
            OfflineListen ol = new OfflineListen(cfg, models);
            int learnFound = 0;
            for (int c = 0; c < CLASSES.length; c++) {
                List<Hit> five = new ArrayList<>();
                for (int i = 0; i < LEARN; i++) {
                    five.add(hit(perf, c, rng, work));
                }
                CompletableFuture<String> done = new CompletableFuture<>();
                ol.decider().learn(CLASSES[c], LEARN, done);
                List<OfflineListen.Hit> found = ol.run(sequence(five, rng, null), StreamingOnsetDetector.DEFAULT_SENSITIVITY);
                learnFound += found.size();
                if (!done.isDone()) {
                    done.completeExceptionally(new IllegalStateException("fewer than 5 onsets"));
                }
            }
            List<Hit> test = new ArrayList<>();
            for (int c = 0; c < CLASSES.length; c++) {
                for (int i = 0; i < heldBack; i++) {
                    test.add(hit(perf, c, rng, work));
                }
            }
            Collections.shuffle(test, rng);
            List<Long> at = new ArrayList<>();
            float[] x = sequence(test, rng, at);
            List<OfflineListen.Hit> found = ol.run(x, StreamingOnsetDetector.DEFAULT_SENSITIVITY);
            long[] truth = at.stream().mapToLong(Long::longValue).toArray();
            int[] m = new OnsetScore().add(truth, found.stream().mapToLong(OfflineListen.Hit::onsetFrame).toArray(), 1200);
            long right = 0;
            long scored = 0;
            for (int i = 0; i < truth.length; i++) {
                if (m[i] >= 0) {
                    scored++;
                    right += found.get(m[i]).className().equals(test.get(i).cls()) ? 1 : 0;
                }
            }
            allRight += right;
            allScored += scored;
            rows.add(String.format(Locale.ROOT, "| %s, %s, %s | %d of %d | %d of %d (%d found in all) | %d | %.3f |", perf[0],
                    perf[1], perf[2], learnFound, LEARN * CLASSES.length, scored, truth.length, found.size(), right,
                    right / (double) scored));
        }
        rows.add(String.format(Locale.ROOT, "| **all** | | %d | %d | **%.3f** |", allScored, allRight,
                allRight / (double) allScored));
        return rows;
    }

    private static Hit hit(String[] perf, int c, Random rng, Path work) throws Exception {
        for (int attempt = 0; ; attempt++) {
            int pitch = clamp(Integer.parseInt(perf[1]) + rng.nextInt(31) - 15, 0, 99);
            int speed = Integer.parseInt(perf[2]) + rng.nextInt(81) - 40;
            float[] s = say(perf[0], pitch, speed, PHONEMES[c], rng.nextInt(201) - 100, -3 - 9 * rng.nextDouble(), work);
            if (s.length > DrumTakes.RATE / 100 || attempt == 5) {
                return new Hit(CLASSES[c], s);
            }
        }
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    /** The hits 450 ms apart after 300 ms, over a -70 dBFS floor; their onsets (first sample above -60 dB of their peak) into {@code at}. */
    private static float[] sequence(List<Hit> hits, Random rng, List<Long> at) {
        int spacing = DrumTakes.RATE * 45 / 100;
        float[] x = new float[DrumTakes.RATE * 3 / 10 + hits.size() * spacing + DrumTakes.RATE / 2];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.0003 * rng.nextGaussian());
        }
        for (int i = 0; i < hits.size(); i++) {
            long start = DrumTakes.RATE * 3L / 10 + (long) i * spacing;
            float[] s = hits.get(i).sound();
            for (int j = 0; j < s.length && start + j < x.length && j < spacing - DrumTakes.RATE / 20; j++) {
                x[(int) (start + j)] += s[j];
            }
            if (at != null) {
                at.add(start + DrumTakes.leadIn(s));
            }
        }
        return x;
    }

    static void cleanUp(Path work) throws IOException {
        Files.deleteIfExists(work.resolve("espeak.wav"));
        Files.deleteIfExists(work.resolve("hit.wav"));
    }
}
