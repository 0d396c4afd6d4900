package io.latentkit.models;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latentkit.core.dsp.OnsetDetector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Nearest sounds in a sample library by distance between VAE latent means. Every hit is an item:
 * a one-shot file is one item, a longer file is cut at its onsets and each hit is an item with its
 * onset time. The index is cached as JSON and rebuilt per file when a file's size or modification
 * time changes, when files appear or vanish, or when the models change (training-data digest).
 *
 * <p>Building uses the VAE, so it runs where the models live (the inference worker, or the CLI's
 * thread). A built index is immutable: queries are any-thread and allocate only the result.
 */
public final class SimilarityIndex {
    /** Files indexed: every format the engine's decoder reads (WAV, AIFF, FLAC). */
    public static final List<String> EXTENSIONS = List.of(".wav", ".wave", ".aif", ".aiff", ".aifc", ".flac");
    /** A file longer than this many clip lengths is treated as a recording and cut at onsets. */
    private static final double ONE_SHOT_CLIPS = 1.5;
    /** 2: FLAC indexed, and the onset detector of models 2.0 (a long one-sound file is one item). */
    private static final int CACHE_VERSION = 2;

    /** One indexed hit. */
    public record Item(String file, int onsetSamples, float[] embedding) {
    }

    /** A query answer: the item, its onset in seconds and its distance (Euclidean, latent units). */
    public record Match(String file, double onsetSeconds, float distance) {
    }

    /** What a build did, for messages and tests. */
    public record BuildStats(int filesIndexed, int filesReused, int filesSkipped, List<String> skipped) {
    }

    private final List<Item> items;
    private final float[] matrix;
    private final int dim;
    private final int sampleRateHz;
    private final BuildStats stats;

    private SimilarityIndex(List<Item> items, int dim, int sampleRateHz, BuildStats stats) {
        this.items = List.copyOf(items);
        this.dim = dim;
        this.sampleRateHz = sampleRateHz;
        this.stats = stats;
        this.matrix = new float[items.size() * dim];
        for (int i = 0; i < items.size(); i++) {
            System.arraycopy(items.get(i).embedding(), 0, matrix, i * dim, dim);
        }
    }

    /** An index over given items (for benchmarks and tests). */
    public static SimilarityIndex of(List<Item> items, int dim, int sampleRateHz) {
        return new SimilarityIndex(items, dim, sampleRateHz, new BuildStats(0, 0, 0, List.of()));
    }

    public int size() {
        return items.size();
    }

    public List<Item> items() {
        return items;
    }

    public BuildStats stats() {
        return stats;
    }

    /** The default cache file for a library: under the user's cache folder, named by the library's path. */
    public static Path defaultCacheFile(Path library) {
        String home = System.getProperty("user.home", ".");
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] h = md.digest(library.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
            return Path.of(home, ".cache", "latentkit", "similarity", HexFormat.of().formatHex(h, 0, 8) + ".json");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    /**
     * Builds (or refreshes from {@code cacheFile}) the index over every sound file under {@code library}.
     * Files that cannot be read, or are silent, are skipped and listed in {@link #stats()}.
     */
    public static SimilarityIndex build(Path library, DrumVae vae, Path cacheFile) throws IOException, ModelException {
        if (!Files.isDirectory(library)) {
            throw new BadAudioException("not a folder: " + library);
        }
        FeatureSpec spec = vae.spec();
        String digest = vae.encoderModel().metadata().get("training_data_digest") + "/"
                + vae.encoderModel().metadata().get("version");
        ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
        Map<String, CachedFile> cached = new HashMap<>();
        if (cacheFile != null && Files.isRegularFile(cacheFile)) {
            try {
                Cache c = json.readValue(cacheFile.toFile(), Cache.class);
                if (c.version == CACHE_VERSION && digest.equals(c.modelDigest) && c.files != null) {
                    for (CachedFile f : c.files) {
                        cached.put(f.path, f);
                    }
                }
            } catch (IOException e) {
                // A damaged cache is only a cache: rebuild from the files.
                cached.clear();
            }
        }
        List<Path> files;
        try (Stream<Path> walk = Files.walk(library)) {
            files = walk.filter(Files::isRegularFile).filter(SimilarityIndex::isSoundFile).sorted().toList();
        }
        OnsetDetector onsets = new OnsetDetector(spec.sampleRateHz());
        List<CachedFile> fresh = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        int indexed = 0;
        int reused = 0;
        for (Path p : files) {
            String rel = library.relativize(p).toString().replace('\\', '/');
            long size = Files.size(p);
            long mtime = Files.getLastModifiedTime(p).toMillis();
            CachedFile c = cached.get(rel);
            if (c != null && c.size == size && c.mtimeMs == mtime) {
                fresh.add(c);
                reused++;
                continue;
            }
            CachedFile f = new CachedFile();
            f.path = rel;
            f.size = size;
            f.mtimeMs = mtime;
            f.items = new ArrayList<>();
            try {
                float[] x = AudioFiles.readMono(p, spec.sampleRateHz());
                int[] starts = x.length <= ONE_SHOT_CLIPS * spec.clipSamples() ? new int[] {0} : onsets.detect(x);
                if (starts.length == 0) {
                    // A file with no onset found still holds a sound (the preparer finds its attack).
                    starts = new int[] {0};
                }
                for (int i = 0; i < starts.length; i++) {
                    // A hit runs to the next onset; the preparer keeps one clip of it from its attack.
                    int end = i + 1 < starts.length ? starts[i + 1] : x.length;
                    end = Math.min(end, starts[i] + 2 * spec.clipSamples());
                    try {
                        CachedItem it = new CachedItem();
                        it.onsetSamples = starts[i];
                        it.embedding = vae.encode(x, starts[i], end).mean();
                        f.items.add(it);
                    } catch (BadAudioException e) {
                        // A hit too short or silent to encode is no hit; the file's others still count.
                        continue;
                    }
                }
            } catch (BadAudioException e) {
                skipped.add(rel + ": " + e.getMessage());
            }
            fresh.add(f);
            indexed++;
        }
        if (cacheFile != null && (indexed > 0 || fresh.size() != cached.size())) {
            Cache out = new Cache();
            out.version = CACHE_VERSION;
            out.modelDigest = digest;
            out.files = fresh;
            Path abs = cacheFile.toAbsolutePath();
            Files.createDirectories(abs.getParent());
            Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName().toString(), ".tmp");
            try {
                json.writeValue(tmp.toFile(), out);
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        List<Item> items = new ArrayList<>();
        for (CachedFile f : fresh) {
            for (CachedItem it : f.items) {
                if (it.embedding != null && it.embedding.length == spec.latentSize()) {
                    items.add(new Item(f.path, it.onsetSamples, it.embedding));
                }
            }
        }
        return new SimilarityIndex(items, spec.latentSize(), spec.sampleRateHz(),
                new BuildStats(indexed, reused, skipped.size(), List.copyOf(skipped)));
    }

    private static boolean isSoundFile(Path p) {
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

    /** JSON shape of the cache file. Public fields for Jackson; not part of the API. */
    static final class Cache {
        public int version;
        public String modelDigest;
        public List<CachedFile> files;
    }

    /** One file's entry in the cache. */
    static final class CachedFile {
        public String path;
        public long size;
        public long mtimeMs;
        public List<CachedItem> items;
    }

    /** One hit's entry in the cache. */
    static final class CachedItem {
        public int onsetSamples;
        public float[] embedding;
    }
}
