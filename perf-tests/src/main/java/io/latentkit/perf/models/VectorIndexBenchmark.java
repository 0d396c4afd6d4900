package io.latentkit.perf.models;

import io.latentkit.models.LatentPrior;
import io.latentkit.models.Models;
import io.latentkit.models.SimilarityIndex;
import io.latentkit.models.VectorIndex;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * The embedded vector index against brute force (HdrHistogram, one thread; pin the JVM to one core
 * with {@code taskset -c 0} and give it {@code -Xmx3g}): N points drawn from the shipped VAE's
 * latent prior (where library sounds lie), ten per "file"; build time (per 100,000 points) and
 * merge to one segment; then, for each beam width asked for, top-10 query latency of the HNSW index
 * after a warm-up (one reader reused for every query) and recall@10 against an exact scan of the
 * same points; the scan's own latency; and an incremental update (1% of the files replaced, then
 * committed). Each timing is wall clock and, beside it, the querying thread's CPU time (the work
 * itself, without the time the shared machine's scheduler kept the thread waiting).
 * {@code crossover} mode instead times, at several library sizes, a query through the
 * graph, a scan of points already in memory, and loading the points from the index for a scan.
 *
 * <p>Usage: {@code VectorIndexBenchmark [key=value...]}: {@code n} (1000000), {@code queries}
 * (1000), {@code m} (16), {@code beam} (100), {@code ef} (comma list, 10,16,32,64),
 * {@code quantized} (false), {@code dir} (an index folder kept between runs: built once if it does
 * not hold n points, else reused; default a temporary folder deleted at the end),
 * {@code update} (true: replace 1% of the files after the queries, commit, measure again; a number:
 * that many such rounds, each committed, before measuring again; false: no update),
 * {@code mode} (index or crossover), {@code sizes} (crossover: comma list).
 */
public final class VectorIndexBenchmark {
    private static final int PER_FILE = 10;
    private static final int K = 10;
    private static final int WARMUP = 2000;

    private VectorIndexBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new HashMap<>();
        for (String s : args) {
            int eq = s.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("arguments are key=value: " + s);
            }
            a.put(s.substring(0, eq), s.substring(eq + 1));
        }
        LatentPrior prior;
        try (Models models = Models.loadDefault()) {
            prior = models.vae().prior();
        }
        System.out.printf(Locale.ROOT, "java %s; cores visible %d; max heap %d MB%n", System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors(), Runtime.getRuntime().maxMemory() >> 20);
        VectorIndex.Options opt = new VectorIndex.Options(Integer.parseInt(a.getOrDefault("m", "16")),
                Integer.parseInt(a.getOrDefault("beam", "100")), VectorIndex.DEFAULT_CANDIDATES,
                Boolean.parseBoolean(a.getOrDefault("quantized", "false")), 1900);
        if (a.getOrDefault("mode", "index").equals("crossover")) {
            crossover(prior, opt, a.getOrDefault("sizes", "1000,2000,5000,10000,20000,50000,100000"),
                    Integer.parseInt(a.getOrDefault("queries", "1000")));
            return;
        }
        int n = Integer.parseInt(a.getOrDefault("n", "1000000"));
        int queries = Integer.parseInt(a.getOrDefault("queries", "1000"));
        String keep = a.get("dir");
        Path dir = keep != null ? Files.createDirectories(Path.of(keep)) : Files.createTempDirectory("latentkit-vector-bench");
        try {
            String update = a.getOrDefault("update", "true");
            int updates = update.equals("true") ? 1 : update.equals("false") ? 0 : Integer.parseInt(update);
            index(prior, opt, n, queries, dir, a.getOrDefault("ef", "10,16,32,64"), updates);
        } finally {
            if (keep == null) {
                delete(dir);
            }
        }
    }

    private static void index(LatentPrior prior, VectorIndex.Options opt, int n, int queries, Path dir, String efs,
            int updates) throws Exception {
        int dim = prior.dim();
        float[] flat = points(prior, n, new Random(1));
        System.out.printf(Locale.ROOT, "%d points (%d-d, VAE prior), %d per file; M %d, beam %d, %s vectors%n", n, dim,
                PER_FILE, opt.maxConn(), opt.beamWidth(), opt.quantized() ? "7-bit quantised" : "float");
        try (VectorIndex index = VectorIndex.open(dir, dim, opt)) {
            if (index.size() != n) {
                long t0 = System.nanoTime();
                for (int f = 0; f < n / PER_FILE; f++) {
                    index.replaceFile("f" + f + ".wav", new VectorIndex.FileStamp(f, f), items(flat, dim, f));
                }
                index.commit();
                double build = (System.nanoTime() - t0) / 1e9;
                long t1 = System.nanoTime();
                int before = index.segments();
                index.optimize();
                double merge = (System.nanoTime() - t1) / 1e9;
                System.out.printf(Locale.ROOT, "build %.1f s (%.1f s per 100,000), %d segments merged to one in %.1f s%n",
                        build, build * 100_000 / n, before, merge);
            } else {
                System.out.printf(Locale.ROOT, "reusing the index in %s (%d segments)%n", dir, index.segments());
            }
            long c0 = System.nanoTime();
            index.checkIntegrity();
            System.out.printf(Locale.ROOT, "checksums of the whole index verified in %.2f s%n", (System.nanoTime() - c0) / 1e9);
            Random qr = new Random(2);
            float[][] qs = new float[queries][];
            int[][] truth = new int[queries][];
            Histogram brute = new Histogram(10_000_000_000L, 3);
            for (int i = 0; i < WARMUP / 10; i++) {
                bruteForce(flat, dim, prior.sample(qr), K);
            }
            for (int i = 0; i < queries; i++) {
                qs[i] = prior.sample(qr);
                long b = System.nanoTime();
                truth[i] = bruteForce(flat, dim, qs[i], K);
                brute.recordValue(System.nanoTime() - b);
            }
            report("exact scan top-10 (points in memory)", brute);
            for (String e : efs.split(",")) {
                int ef = Integer.parseInt(e.trim());
                measure(index, ef, "HNSW top-10, ef " + ef, prior, qs, truth);
            }
            if (updates == 0) {
                return;
            }
            // Each round replaces 1% of the files and commits, as a library changing file by file
            // does: every round writes a segment; Lucene's merge policy decides what to merge.
            Random ur = new Random(3 + index.segments());
            int changed = Math.max(1, n / PER_FILE / 100);
            for (int round = 0; round < updates; round++) {
                long t2 = System.nanoTime();
                for (int j = 0; j < changed; j++) {
                    int f = ur.nextInt(n / PER_FILE);
                    index.replaceFile("f" + f + ".wav", new VectorIndex.FileStamp(f, f + 1), items(flat, dim, f));
                }
                index.commit();
                System.out.printf(Locale.ROOT, "incremental: %d files replaced and committed in %.2f s, %d segments now%n",
                        changed, (System.nanoTime() - t2) / 1e9, index.segments());
            }
            int ef = opt.candidates();
            measure(index, ef, "HNSW top-10, ef " + ef + ", after it (" + index.segments() + " segments)", prior, qs, truth);
        }
    }

    /** Warms up, then times every query through the same reader and counts its recall. */
    private static void measure(VectorIndex index, int ef, String what, LatentPrior prior, float[][] qs, int[][] truth)
            throws Exception {
        Random wr = new Random(4);
        for (int i = 0; i < WARMUP; i++) {
            index.nearest(prior.sample(wr), K, 48000, ef);
        }
        Histogram h = new Histogram(10_000_000_000L, 3);
        Histogram cpu = new Histogram(10_000_000_000L, 3);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long hits = 0;
        for (int i = 0; i < qs.length; i++) {
            long c = threads.getCurrentThreadCpuTime();
            long a = System.nanoTime();
            List<SimilarityIndex.Match> got = index.nearest(qs[i], K, 48000, ef);
            h.recordValue(System.nanoTime() - a);
            cpu.recordValue(Math.max(0, threads.getCurrentThreadCpuTime() - c));
            Set<String> want = new HashSet<>();
            for (int t : truth[i]) {
                want.add("f" + (t / PER_FILE) + ".wav@" + (t % PER_FILE));
            }
            for (SimilarityIndex.Match m : got) {
                hits += want.contains(m.file() + "@" + Math.round(m.onsetSeconds() * 10)) ? 1 : 0;
            }
        }
        report(what, h);
        report("    the same queries, thread CPU time", cpu);
        System.out.printf(Locale.ROOT, "    recall@10 %.4f over %d queries%n", hits / (double) (K * qs.length), qs.length);
    }

    private static void crossover(LatentPrior prior, VectorIndex.Options opt, String sizes, int queries) throws Exception {
        int dim = prior.dim();
        System.out.printf(Locale.ROOT, "crossover: %d-d VAE prior points, %d queries per size, M %d, beam %d, ef %d%n",
                dim, queries, opt.maxConn(), opt.beamWidth(), opt.candidates());
        for (String s : sizes.split(",")) {
            int n = Integer.parseInt(s.trim());
            float[] flat = points(prior, n, new Random(1));
            Path dir = Files.createTempDirectory("latentkit-vector-cross");
            try (VectorIndex index = VectorIndex.open(dir, dim, opt)) {
                for (int f = 0; f < n / PER_FILE; f++) {
                    index.replaceFile("f" + f + ".wav", new VectorIndex.FileStamp(f, f), items(flat, dim, f));
                }
                index.commit();
                index.optimize();
                long l0 = System.nanoTime();
                SimilarityIndex scan = SimilarityIndex.of(index.items(), dim, 48000);
                double loadMs = (System.nanoTime() - l0) / 1e6;
                Random qr = new Random(2);
                Histogram graph = new Histogram(10_000_000_000L, 3);
                Histogram exact = new Histogram(10_000_000_000L, 3);
                for (int i = 0; i < WARMUP + queries; i++) {
                    float[] q = prior.sample(qr);
                    long a = System.nanoTime();
                    index.nearest(q, K, 48000);
                    long b = System.nanoTime();
                    scan.nearest(q, K);
                    long c = System.nanoTime();
                    if (i >= WARMUP) {
                        graph.recordValue(b - a);
                        exact.recordValue(c - b);
                    }
                }
                System.out.printf(Locale.ROOT,
                        "n %7d  graph p50 %7.3f p99 %7.3f ms | scan p50 %7.3f p99 %7.3f ms | load points for a scan %7.1f ms%n",
                        n, graph.getValueAtPercentile(50) / 1e6, graph.getValueAtPercentile(99) / 1e6,
                        exact.getValueAtPercentile(50) / 1e6, exact.getValueAtPercentile(99) / 1e6, loadMs);
            } finally {
                delete(dir);
            }
        }
    }

    private static float[] points(LatentPrior prior, int n, Random rng) {
        int dim = prior.dim();
        float[] flat = new float[n * dim];
        for (int i = 0; i < n; i++) {
            System.arraycopy(prior.sample(rng), 0, flat, i * dim, dim);
        }
        return flat;
    }

    /** The file's items; onsets are 0.1 s apart so that a match's onset names its item. */
    private static List<SimilarityIndex.Item> items(float[] flat, int dim, int f) {
        List<SimilarityIndex.Item> out = new ArrayList<>(PER_FILE);
        for (int j = 0; j < PER_FILE; j++) {
            float[] v = new float[dim];
            System.arraycopy(flat, (f * PER_FILE + j) * dim, v, 0, dim);
            out.add(new SimilarityIndex.Item("f" + f + ".wav", j * 4800, v));
        }
        return out;
    }

    private static int[] bruteForce(float[] flat, int dim, float[] q, int k) {
        int[] best = new int[k];
        float[] bestD = new float[k];
        int filled = 0;
        for (int i = 0, rows = flat.length / dim; i < rows; i++) {
            int base = i * dim;
            float d = 0f;
            for (int j = 0; j < dim; j++) {
                float diff = flat[base + j] - q[j];
                d += diff * diff;
            }
            if (filled < k || d < bestD[filled - 1]) {
                int pos = filled < k ? filled++ : k - 1;
                while (pos > 0 && bestD[pos - 1] > d) {
                    bestD[pos] = bestD[pos - 1];
                    best[pos] = best[pos - 1];
                    pos--;
                }
                bestD[pos] = d;
                best[pos] = i;
            }
        }
        return best;
    }

    private static void report(String what, Histogram h) {
        System.out.printf(Locale.ROOT, "%-46s p50 %8.3f ms  p99 %8.3f ms  max %8.3f ms  (n=%d)%n", what,
                h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6,
                h.getTotalCount());
    }

    private static void delete(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
