package io.latentkit.perf.models;

import io.latentkit.models.AudioFiles;
import io.latentkit.models.BadAudioException;
import io.latentkit.models.ClipPreparer;
import io.latentkit.models.DrumClassifier;
import io.latentkit.models.DrumVae;
import io.latentkit.models.FeatureSpec;
import io.latentkit.models.LatentOps;
import io.latentkit.models.Models;
import io.latentkit.models.PhaseReconstructor;
import io.latentkit.models.SimilarityIndex;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * Latency harness for issues 6 and 13 (HdrHistogram, one thread, one intra-op thread; pin the JVM to one
 * core with {@code taskset -c 0}): classifier per hit (features + model, and model alone), the
 * short-window classifier per listen-mode decision, VAE
 * decode plus phase reconstruction per sound, a similarity query over 10,000 items, and the phase
 * reconstruction comparison (SampleVAE's 10 Griffin-Lim iterations from zero phase against fast
 * Griffin-Lim) in spectral convergence and time.
 *
 * <p>Usage: {@code ModelLatencyBenchmark [SOUND_DIR]}; SOUND_DIR (default: The Black Pearl kit from
 * hydrogen-drumkits, WAV) supplies real hits. Single-threaded; run it alone.
 */
public final class ModelLatencyBenchmark {
    private static final int WARMUP = 200;
    private static final int RUNS = 2000;
    /**
     * Thread CPU time beside wall time: on a shared, loaded machine the wall-clock figures include
     * time the thread spent descheduled; CPU time is what the work costs on a core of its own
     * (ONNX Runtime with one intra-op thread runs on the calling thread, so it is counted).
     */
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private ModelLatencyBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path soundDir = Path.of(args.length > 0 ? args[0] : "/usr/share/hydrogen/data/drumkits/The Black Pearl 1.0");
        FeatureSpec spec = FeatureSpec.CURRENT;
        List<float[]> hits = new ArrayList<>();
        try (Stream<Path> s = Files.list(soundDir)) {
            for (Path p : s.filter(p -> p.toString().toLowerCase(Locale.ROOT).endsWith(".wav")).sorted().toList()) {
                try {
                    hits.add(AudioFiles.readMono(p, spec.sampleRateHz()));
                } catch (BadAudioException e) {
                    System.err.println("skipped " + p.getFileName() + ": " + e.getMessage());
                }
            }
        }
        System.out.printf(Locale.ROOT, "%d real hits from %s; java %s; cores visible %d%n", hits.size(), soundDir,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        try (Models models = Models.loadDefault()) {
            if (!models.isAvailable()) {
                throw new IllegalStateException(models.unavailableReason().orElse(""));
            }
            System.out.println("phase reconstruction FFT: " + models.vae().reconstructor().fftName());
            classifier(models.classifier(), spec, hits);
            shortClassifier(models.shortClassifier(), hits);
            decode(models.vae(), spec);
            phase(models.vae(), spec, hits);
            similarity(spec);
        }
    }

    private static void classifier(DrumClassifier classifier, FeatureSpec spec, List<float[]> hits) throws Exception {
        // The frames this classifier reads (its classifier_frames metadata), as DrumClassifier computes them.
        ClipPreparer prep = new ClipPreparer(spec, classifier.framesUsed());
        System.out.printf(Locale.ROOT, "classifier %s reads %d of %d frames%n",
                classifier.model().metadata().get("version"), classifier.framesUsed(), spec.clipFrames());
        float[] logMel = new float[prep.logMelSize()];
        Histogram full = new Histogram(3);
        Histogram fullCpu = new Histogram(3);
        Histogram model = new Histogram(3);
        for (int i = 0; i < WARMUP + RUNS; i++) {
            float[] x = hits.get(i % hits.size());
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            prep.prepare(x, 0, Math.min(x.length, 10 * spec.sampleRateHz()), logMel);
            long t1 = System.nanoTime();
            classifier.runOn(logMel);
            long t2 = System.nanoTime();
            long c2 = THREADS.getCurrentThreadCpuTime();
            if (i >= WARMUP) {
                full.recordValue(t2 - t0);
                fullCpu.recordValue(Math.max(1, c2 - c0));
                model.recordValue(t2 - t1);
            }
        }
        report("classifier per hit (clip + log-mel + model), wall", full);
        report("classifier per hit (clip + log-mel + model), CPU", fullCpu);
        report("classifier model only, wall", model);
    }

    /**
     * The short-window classifier as listen mode uses it: the samples from 20 ms before the onset
     * (the first sample at 5% of the peak) to its window after it, features and model per decision.
     */
    private static void shortClassifier(DrumClassifier classifier, List<float[]> hits) throws Exception {
        System.out.printf(Locale.ROOT, "short classifier reads %d samples after the onset (%d frames)%n",
                classifier.windowSamples(), classifier.framesUsed());
        int[] onsets = new int[hits.size()];
        for (int h = 0; h < hits.size(); h++) {
            float[] x = hits.get(h);
            float peak = 0f;
            for (float v : x) {
                peak = Math.max(peak, Math.abs(v));
            }
            int i = 0;
            while (i < x.length - 1 && Math.abs(x[i]) < 0.05f * peak) {
                i++;
            }
            onsets[h] = i;
        }
        Histogram wall = new Histogram(3);
        Histogram cpu = new Histogram(3);
        for (int i = 0; i < WARMUP + RUNS; i++) {
            int h = i % hits.size();
            float[] x = hits.get(h);
            int from = Math.max(0, onsets[h] - 960);
            int to = Math.min(x.length, onsets[h] + classifier.windowSamples());
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            classifier.classify(x, from, to);
            long t1 = System.nanoTime();
            long c1 = THREADS.getCurrentThreadCpuTime();
            if (i >= WARMUP) {
                wall.recordValue(t1 - t0);
                cpu.recordValue(Math.max(1, c1 - c0));
            }
        }
        report("short classifier per decision (window + log-mel + model), wall", wall);
        report("short classifier per decision (window + log-mel + model), CPU", cpu);
    }

    private static void decode(DrumVae vae, FeatureSpec spec) throws Exception {
        Random rng = new Random(1);
        float[] out = new float[spec.clipSamples()];
        Histogram h = new Histogram(3);
        Histogram hCpu = new Histogram(3);
        Histogram decoderOnly = new Histogram(3);
        float[] mag = new float[spec.clipFrames() * spec.bins()];
        int runs = RUNS / 4;
        for (int i = 0; i < WARMUP / 4 + runs; i++) {
            float[] z = LatentOps.random(vae.latentSize(), rng);
            long c0 = THREADS.getCurrentThreadCpuTime();
            long t0 = System.nanoTime();
            vae.decodeInto(z, DrumVae.DEFAULT_ITERATIONS, out);
            long t1 = System.nanoTime();
            long c1 = THREADS.getCurrentThreadCpuTime();
            vae.decodeMagnitude(z, mag);
            long t2 = System.nanoTime();
            if (i >= WARMUP / 4) {
                h.recordValue(t1 - t0);
                hCpu.recordValue(Math.max(1, c1 - c0));
                decoderOnly.recordValue(t2 - t1);
            }
        }
        report("VAE decode + fast GL x" + DrumVae.DEFAULT_ITERATIONS + " per sound, wall", h);
        report("VAE decode + fast GL x" + DrumVae.DEFAULT_ITERATIONS + " per sound, CPU", hCpu);
        report("VAE decoder model only, wall", decoderOnly);
    }

    private static void phase(DrumVae vae, FeatureSpec spec, List<float[]> hits) throws Exception {
        PhaseReconstructor pr = vae.reconstructor();
        ClipPreparer prep = new ClipPreparer(spec);
        float[] logMel = new float[prep.logMelSize()];
        List<float[]> real = new ArrayList<>();
        for (float[] x : hits) {
            prep.prepare(x, 0, Math.min(x.length, 10 * spec.sampleRateHz()), logMel);
            float[] mag = new float[spec.clipFrames() * spec.bins()];
            pr.magnitude(prep.clip(), mag);
            real.add(mag);
        }
        List<float[]> decoded = new ArrayList<>();
        Random rng = new Random(2);
        for (int i = 0; i < real.size(); i++) {
            float[] mag = new float[spec.clipFrames() * spec.bins()];
            vae.decodeMagnitude(LatentOps.random(vae.latentSize(), rng), mag);
            decoded.add(mag);
        }
        float[] out = new float[spec.clipSamples()];
        System.out.println();
        System.out.println("phase reconstruction: mean spectral convergence (lower is better) and time per sound");
        System.out.println("method                                   | SC real hits | SC VAE decodes | wall p50 ms | wall p99 ms | CPU p50 ms | CPU p99 ms");
        String[] names = {"Griffin-Lim x10, zero phase (SampleVAE)", "Griffin-Lim x32, zero phase",
            "fast GL x8, PV init", "fast GL x10, PV init", "fast GL x12, PV init", "PGHI + fast GL x4",
            "PGHI + fast GL x6", "PGHI + fast GL x8", "fast GL x32, PV init"};
        for (int m = 0; m < names.length; m++) {
            Histogram h = new Histogram(3);
            Histogram cpu = new Histogram(3);
            double[] sc = new double[2];
            for (int set = 0; set < 2; set++) {
                List<float[]> mags = set == 0 ? real : decoded;
                for (int rep = 0; rep < 2; rep++) {
                    for (float[] mag : mags) {
                        long c0 = THREADS.getCurrentThreadCpuTime();
                        long t0 = System.nanoTime();
                        switch (m) {
                            case 0 -> pr.griffinLimZeroPhase(mag, 10, out);
                            case 1 -> pr.griffinLimZeroPhase(mag, 32, out);
                            case 2 -> pr.fastGriffinLim(mag, 8, out);
                            case 3 -> pr.fastGriffinLim(mag, 10, out);
                            case 4 -> pr.fastGriffinLim(mag, 12, out);
                            case 5 -> pr.pghiFastGriffinLim(mag, 4, out);
                            case 6 -> pr.pghiFastGriffinLim(mag, 6, out);
                            case 7 -> pr.pghiFastGriffinLim(mag, 8, out);
                            default -> pr.fastGriffinLim(mag, 32, out);
                        }
                        long t1 = System.nanoTime();
                        long c1 = THREADS.getCurrentThreadCpuTime();
                        if (rep > 0) {
                            h.recordValue(t1 - t0);
                            cpu.recordValue(Math.max(1, c1 - c0));
                        } else {
                            sc[set] += pr.spectralConvergence(mag, out) / mags.size();
                        }
                    }
                }
            }
            System.out.printf(Locale.ROOT, "%-40s | %12.4f | %14.4f | %11.2f | %11.2f | %10.2f | %10.2f%n", names[m],
                    sc[0], sc[1], h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6,
                    cpu.getValueAtPercentile(50) / 1e6, cpu.getValueAtPercentile(99) / 1e6);
        }
        System.out.println();
    }

    private static void similarity(FeatureSpec spec) {
        Random rng = new Random(3);
        List<SimilarityIndex.Item> items = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            items.add(new SimilarityIndex.Item("f" + (i / 10) + ".wav", (i % 10) * 4800, LatentOps.random(spec.latentSize(), rng)));
        }
        SimilarityIndex index = SimilarityIndex.of(items, spec.latentSize(), spec.sampleRateHz());
        Histogram h = new Histogram(3);
        long sink = 0;
        for (int i = 0; i < WARMUP + RUNS; i++) {
            float[] q = LatentOps.random(spec.latentSize(), rng);
            long t0 = System.nanoTime();
            sink += index.nearest(q, 5).size();
            long t1 = System.nanoTime();
            if (i >= WARMUP) {
                h.recordValue(t1 - t0);
            }
        }
        report("similarity query, 10,000 items, top 5", h);
        if (sink == 0) {
            System.out.println("(no results)");
        }
    }

    private static void report(String what, Histogram h) {
        System.out.printf(Locale.ROOT, "%-55s p50 %7.3f ms  p99 %7.3f ms  max %7.3f ms  (n=%d)%n", what,
                h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6,
                h.getTotalCount());
    }
}
