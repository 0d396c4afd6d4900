package io.latentkit.perf.models;

import io.latentkit.models.LatentPrior;
import io.latentkit.models.Models;
import io.latentkit.models.SimilarityIndex;
import io.latentkit.models.VectorIndex;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * The embedded vector index against brute force (HdrHistogram, one thread; pin the JVM to one core
 * with {@code taskset -c 0} and give it {@code -Xmx3g}): N points drawn from the shipped VAE's
 * latent prior (where library sounds lie), ten per "file"; build time; top-10 query latency of
 * the HNSW index and of a brute-force scan over the same points; recall@10 of the index against
 * the scan; and an incremental update (1% of the files replaced, then committed).
 *
 * <p>Usage: {@code VectorIndexBenchmark [N [QUERIES [CANDIDATES]]]} (defaults 1,000,000, 1000, 64).
 * Writes the index under a temporary folder, deleted at the end.
 */
public final class VectorIndexBenchmark {
    private static final int PER_FILE = 10;
    private static final int K = 10;

    private VectorIndexBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int queries = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int candidates = args.length > 2 ? Integer.parseInt(args[2]) : VectorIndex.DEFAULT_CANDIDATES;
        LatentPrior prior;
        try (Models models = Models.loadDefault()) {
            prior = models.vae().prior();
        }
        int dim = prior.dim();
        Random rng = new Random(1);
        float[] flat = new float[n * dim];
        for (int i = 0; i < n; i++) {
            System.arraycopy(prior.sample(rng), 0, flat, i * dim, dim);
        }
        System.out.printf(Locale.ROOT, "%d points (%d-d, VAE prior), %d per file; java %s; cores visible %d%n", n, dim,
                PER_FILE, System.getProperty("java.version"), Runtime.getRuntime().availableProcessors());
        Path dir = Files.createTempDirectory("latentkit-vector-bench");
        try {
            long t0 = System.nanoTime();
            try (VectorIndex index = VectorIndex.open(dir, dim, candidates, 1024)) {
                for (int f = 0; f < n / PER_FILE; f++) {
                    index.replaceFile("f" + f + ".wav", new VectorIndex.FileStamp(f, f), items(flat, dim, f));
                }
                index.commit();
                double build = (System.nanoTime() - t0) / 1e9;
                long t1 = System.nanoTime();
                index.optimize();
                double merge = (System.nanoTime() - t1) / 1e9;
                System.out.printf(Locale.ROOT, "build %.1f s, merge to one segment %.1f s, %d hits indexed%n", build,
                        merge, index.size());
                Random qr = new Random(2);
                float[][] qs = new float[queries + 200][];
                for (int i = 0; i < qs.length; i++) {
                    qs[i] = prior.sample(qr);
                }
                Histogram hnsw = new Histogram(10_000_000_000L, 3);
                Histogram brute = new Histogram(10_000_000_000L, 3);
                long hits = 0;
                for (int i = 0; i < qs.length; i++) {
                    long a = System.nanoTime();
                    List<SimilarityIndex.Match> got = index.nearest(qs[i], K, 48000);
                    long b = System.nanoTime();
                    int[] truth = bruteForce(flat, dim, qs[i], K);
                    long c = System.nanoTime();
                    if (i >= 200) {
                        hnsw.recordValue(b - a);
                        brute.recordValue(c - b);
                        Set<String> want = new HashSet<>();
                        for (int t : truth) {
                            want.add("f" + (t / PER_FILE) + ".wav@" + (t % PER_FILE));
                        }
                        for (SimilarityIndex.Match m : got) {
                            hits += want.contains(m.file() + "@" + Math.round(m.onsetSeconds() * 10)) ? 1 : 0;
                        }
                    }
                }
                report("HNSW top-10 (candidates " + candidates + ")", hnsw);
                report("brute force top-10", brute);
                System.out.printf(Locale.ROOT, "recall@10 %.4f over %d queries%n", hits / (double) (K * queries), queries);
                long t2 = System.nanoTime();
                Random ur = new Random(3);
                int changed = Math.max(1, n / PER_FILE / 100);
                for (int j = 0; j < changed; j++) {
                    int f = ur.nextInt(n / PER_FILE);
                    index.replaceFile("f" + f + ".wav", new VectorIndex.FileStamp(f, f + 1), items(flat, dim, f));
                }
                index.commit();
                System.out.printf(Locale.ROOT, "incremental: %d files replaced and committed in %.2f s%n", changed,
                        (System.nanoTime() - t2) / 1e9);
            }
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
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
        System.out.printf(Locale.ROOT, "%-40s p50 %8.3f ms  p99 %8.3f ms  max %8.3f ms  (n=%d)%n", what,
                h.getValueAtPercentile(50) / 1e6, h.getValueAtPercentile(99) / 1e6, h.getMaxValue() / 1e6,
                h.getTotalCount());
    }
}
