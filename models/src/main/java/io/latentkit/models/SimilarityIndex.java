package io.latentkit.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.nio.file.Path;

/**
 * Nearest sounds by exact distance between VAE latent means, every point scanned: what a small
 * library is searched with ({@link LibraryIndex} keeps the library's points on disk and decides),
 * and the truth the HNSW index is measured against.
 *
 * <p>Immutable: queries are any-thread and allocate only the result.
 */
public final class SimilarityIndex {
    /** Files indexed: every format the engine's decoder reads (WAV, AIFF, FLAC). */
    public static final List<String> EXTENSIONS = List.of(".wav", ".wave", ".aif", ".aiff", ".aifc", ".flac");

    /** One indexed hit. */
    public record Item(String file, int onsetSamples, float[] embedding) {
    }

    /** A query answer: the item, its onset in seconds and its distance (Euclidean, latent units). */
    public record Match(String file, double onsetSeconds, float distance) {
    }

    private final List<Item> items;
    private final float[] matrix;
    private final int dim;
    private final int sampleRateHz;

    private SimilarityIndex(List<Item> items, int dim, int sampleRateHz) {
        this.items = List.copyOf(items);
        this.dim = dim;
        this.sampleRateHz = sampleRateHz;
        this.matrix = new float[items.size() * dim];
        for (int i = 0; i < items.size(); i++) {
            System.arraycopy(items.get(i).embedding(), 0, matrix, i * dim, dim);
        }
    }

    /** An index over these items. */
    public static SimilarityIndex of(List<Item> items, int dim, int sampleRateHz) {
        return new SimilarityIndex(items, dim, sampleRateHz);
    }

    public int size() {
        return items.size();
    }

    public List<Item> items() {
        return items;
    }

    /** Whether the file's name is that of a format the engine decodes. */
    public static boolean isSoundFile(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        for (String e : EXTENSIONS) {
            if (n.endsWith(e)) {
                return true;
            }
        }
        return false;
    }

    /** The {@code n} nearest items to {@code query}, nearest first. */
    public List<Match> nearest(float[] query, int n) {
        if (query.length != dim) {
            throw new IllegalArgumentException("query has " + query.length + " dimensions, index " + dim);
        }
        int k = Math.min(n, items.size());
        int[] best = new int[k];
        float[] bestD = new float[k];
        int filled = 0;
        final float[] m = matrix;
        for (int i = 0, rows = items.size(); i < rows; i++) {
            int base = i * dim;
            float d = 0f;
            for (int j = 0; j < dim; j++) {
                float diff = m[base + j] - query[j];
                d += diff * diff;
            }
            if (filled < k || d < bestD[filled - 1]) {
                // Insertion into the sorted top-k: k is small (a handful), so this beats a heap.
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
        List<Match> out = new ArrayList<>(filled);
        for (int i = 0; i < filled; i++) {
            Item it = items.get(best[i]);
            out.add(new Match(it.file(), (double) it.onsetSamples() / sampleRateHz, (float) Math.sqrt(bestD[i])));
        }
        return out;
    }
}
