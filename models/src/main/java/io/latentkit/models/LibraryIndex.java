package io.latentkit.models;

import io.latentkit.core.dsp.OnsetDetector;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.lucene.store.LockObtainFailedException;

/**
 * The similarity index of one sample library, kept on disk and brought up to date file by file.
 * Every hit is an item: a one-shot file is one item, a longer file is cut at its onsets and each
 * hit is an item with its onset time; an item's point is its VAE latent mean.
 *
 * <p>{@link #open} compares the library with the index ({@link VectorIndex}, Lucene): a file whose
 * size or modification time changed, or that is new, is encoded again; a file that is gone is
 * removed; the rest is reused; then one commit. An index that cannot be read (corrupt, truncated,
 * failing its checksums) or that was built by other models, another format or another latent size
 * is rebuilt from the files, and {@link #stats()} says why. Queries search the HNSW graph for a
 * library of at least {@code graphFrom} hits and scan every point (exact) below it, where a scan
 * is faster (the crossover is measured in {@code perf-tests}' VectorIndexBenchmark).
 *
 * <p>Building uses the VAE, so it runs where the models live (the CLI's thread, or the inference
 * worker). One writer per index folder (Lucene's write lock: a second process gets a clear
 * error). Queries are any-thread once open.
 */
public final class LibraryIndex implements AutoCloseable {
    /**
     * Hits from which the graph is searched rather than every point scanned: where their median
     * query times cross (VectorIndexBenchmark mode=crossover, 64-d points, 64 candidates: scan
     * 0.097 ms, graph 0.095 ms at 5,000; the scan also has to read every point from the index
     * first).
     */
    public static final int DEFAULT_GRAPH_FROM = 5_000;
    /** The index folder inside a library (when the library is writable). */
    public static final String FOLDER = ".latentkit-similar";
    /** 1: Lucene 9.12 HNSW, models 2.x embeddings, one-sound files as one item. */
    private static final String FORMAT = "1";
    /** A file longer than this many clip lengths is treated as a recording and cut at onsets. */
    private static final double ONE_SHOT_CLIPS = 1.5;

    /** What opening did: files encoded, reused, removed, hits encoded, skipped files, and a rebuild. */
    public record Stats(int filesIndexed, int filesReused, int filesRemoved, int hitsEncoded, List<String> skipped,
            String rebuiltBecause) {
    }

    private final VectorIndex index;
    private final SimilarityIndex scan;
    private final int size;
    private final int sampleRateHz;
    private final Stats stats;

    private LibraryIndex(VectorIndex index, SimilarityIndex scan, int size, int sampleRateHz, Stats stats) {
        this.index = index;
        this.scan = scan;
        this.size = size;
        this.sampleRateHz = sampleRateHz;
        this.stats = stats;
    }

    /**
     * The index folder for a library: {@value #FOLDER} inside it if the library is writable and not
     * in a system tree (under {@code /usr}, {@code /opt} and the like, which packages own, even when
     * root could write there), else under the user's cache folder, named by the library's path.
     */
    public static Path defaultFolder(Path library) {
        if (Files.isWritable(library) && !inSystemTree(library)) {
            return library.resolve(FOLDER);
        }
        String home = System.getProperty("user.home", ".");
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] h = md.digest(library.toAbsolutePath().normalize().toString().getBytes(StandardCharsets.UTF_8));
            return Path.of(home, ".cache", "latentkit", "similar", HexFormat.of().formatHex(h, 0, 8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java platform", e);
        }
    }

    private static final List<Path> SYSTEM_TREES = Stream.of("/usr", "/opt", "/etc", "/lib", "/lib64", "/bin",
            "/sbin", "/boot", "/snap", "/nix", "/var/lib").map(Path::of).toList();

    /** Whether {@code library} lies in a folder that a package manager owns. */
    static boolean inSystemTree(Path library) {
        Path p = library.toAbsolutePath().normalize();
        for (Path root : SYSTEM_TREES) {
            if (p.startsWith(root)) {
                return true;
            }
        }
        return false;
    }

    /** Opens and refreshes the index of {@code library} in {@code folder}, graph from {@value #DEFAULT_GRAPH_FROM} hits. */
    public static LibraryIndex open(Path library, DrumVae vae, Path folder) throws IOException, ModelException {
        return open(library, vae, folder, DEFAULT_GRAPH_FROM);
    }

    /**
     * Opens the index of {@code library} in {@code folder} (created if absent), brings it up to
     * date with the files and commits. Files that cannot be read, or are silent, hold no hit and are
     * listed in {@link #stats()} (on every open, not only the one that found them).
     *
     * @param graphFrom search the HNSW graph from this many hits; scan every point below it
     * @throws BadAudioException if {@code library} is not a folder or {@code folder} is not an index
     * @throws IOException if the index folder cannot be written, or another process holds it
     */
    public static LibraryIndex open(Path library, DrumVae vae, Path folder, int graphFrom)
            throws IOException, ModelException {
        if (!Files.isDirectory(library)) {
            throw new BadAudioException("not a folder: " + library);
        }
        FeatureSpec spec = vae.spec();
        Map<String, String> want = Map.of("format", FORMAT, "models",
                vae.encoderModel().metadata().get("training_data_digest") + "/"
                        + vae.encoderModel().metadata().get("version"),
                "dim", Integer.toString(spec.latentSize()));
        IndexFolder.prepare(folder);
        String rebuilt = null;
        VectorIndex index = null;
        try {
            index = VectorIndex.open(folder, spec.latentSize());
            rebuilt = staleness(index, want);
        } catch (LockObtainFailedException e) {
            throw new IOException("index " + folder + " is in use by another latentkit (" + e.getMessage() + ")", e);
        } catch (IOException | RuntimeException e) {
            rebuilt = "it could not be read (" + oneLine(e) + ")";
        }
        if (rebuilt != null) {
            if (index != null) {
                index.close();
            }
            IndexFolder.clear(folder);
            index = VectorIndex.open(folder, spec.latentSize());
        }
        try {
            Stats stats = refresh(library, folder, vae, index, want, rebuilt);
            int size = index.size();
            SimilarityIndex scan = size < graphFrom
                    ? SimilarityIndex.of(index.items(), spec.latentSize(), spec.sampleRateHz()) : null;
            return new LibraryIndex(index, scan, size, spec.sampleRateHz(), stats);
        } catch (IOException | ModelException | RuntimeException e) {
            index.close();
            throw e;
        }
    }

    /** Why an open index cannot be used as it is, or null if it can. */
    private static String staleness(VectorIndex index, Map<String, String> want) throws IOException {
        Map<String, String> have = index.commitData();
        if (have.isEmpty() && index.files().isEmpty()) {
            return null; // a new index
        }
        for (Map.Entry<String, String> e : want.entrySet()) {
            if (!e.getValue().equals(have.get(e.getKey()))) {
                return "it was built with " + e.getKey() + " " + have.getOrDefault(e.getKey(), "unknown") + ", not "
                        + e.getValue();
            }
        }
        // Every file's checksum: a bit flipped anywhere is found here, never answered from.
        // (Reads the whole index once: about 0.1 s per million hits.)
        index.checkIntegrity();
        return null;
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        m = m.replace('\n', ' ');
        return m.length() > 160 ? m.substring(0, 160) + "..." : m;
    }

    private static Stats refresh(Path library, Path folder, DrumVae vae, VectorIndex index, Map<String, String> want,
            String rebuilt) throws IOException, ModelException {
        FeatureSpec spec = vae.spec();
        Map<String, VectorIndex.FileEntry> known = index.files();
        Path skip = folder.toAbsolutePath().normalize();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(library)) {
            files = walk.filter(p -> !p.toAbsolutePath().normalize().startsWith(skip)).filter(Files::isRegularFile)
                    .filter(SimilarityIndex::isSoundFile).sorted().toList();
        }
        OnsetDetector onsets = new OnsetDetector(spec.sampleRateHz());
        List<String> skipped = new ArrayList<>();
        Set<String> present = new HashSet<>();
        int indexed = 0;
        int reused = 0;
        int hits = 0;
        for (Path p : files) {
            String rel = library.relativize(p).toString().replace('\\', '/');
            VectorIndex.FileStamp stamp;
            try {
                stamp = new VectorIndex.FileStamp(Files.size(p), Files.getLastModifiedTime(p).toMillis());
            } catch (NoSuchFileException gone) {
                continue; // removed while the library was being walked: as if it had never been there
            }
            present.add(rel);
            VectorIndex.FileEntry had = known.get(rel);
            if (had != null && had.stamp().equals(stamp)) {
                reused++;
                if (had.skipped() != null) {
                    skipped.add(rel + ": " + had.skipped());
                }
                continue;
            }
            List<SimilarityIndex.Item> items = new ArrayList<>();
            String why = null;
            try {
                items = hitsOf(rel, AudioFiles.readMono(p, spec.sampleRateHz()), vae, onsets);
            } catch (BadAudioException e) {
                why = e.getMessage();
                skipped.add(rel + ": " + why);
            }
            index.replaceFile(rel, stamp, items, why);
            hits += items.size();
            indexed++;
        }
        int removed = 0;
        for (String rel : known.keySet()) {
            if (!present.contains(rel)) {
                index.removeFile(rel);
                removed++;
            }
        }
        if (indexed > 0 || removed > 0 || rebuilt != null || !want.equals(index.commitData())) {
            index.commit(want);
        }
        return new Stats(indexed, reused, removed, hits, List.copyOf(skipped), rebuilt);
    }

    /**
     * The hits of one file's samples: the whole file if it is one sound (short, or no onset found),
     * else one per onset, each to the next onset and at most two clips long. A hit too short or
     * silent to encode is no hit; the file's others still count. Throws if none can be encoded
     * because the file is silent.
     */
    static List<SimilarityIndex.Item> hitsOf(String file, float[] x, DrumVae vae, OnsetDetector onsets)
            throws ModelException {
        int clip = vae.spec().clipSamples();
        int[] starts = x.length <= ONE_SHOT_CLIPS * clip ? new int[] {0} : onsets.detect(x);
        if (starts.length == 0) {
            // A file with no onset found still holds a sound (the preparer finds its attack).
            starts = new int[] {0};
        }
        List<SimilarityIndex.Item> out = new ArrayList<>(starts.length);
        BadAudioException first = null;
        for (int i = 0; i < starts.length; i++) {
            int end = Math.min(i + 1 < starts.length ? starts[i + 1] : x.length, starts[i] + 2 * clip);
            try {
                out.add(new SimilarityIndex.Item(file, starts[i], vae.encode(x, starts[i], end).mean()));
            } catch (BadAudioException e) {
                first = first == null ? e : first;
            }
        }
        if (out.isEmpty() && first != null) {
            throw first;
        }
        return out;
    }

    /** The {@code n} nearest items to {@code query}, nearest first (exact below the crossover). */
    public List<SimilarityIndex.Match> nearest(float[] query, int n) throws IOException {
        return scan != null ? scan.nearest(query, n) : index.nearest(query, n, sampleRateHz);
    }

    /** Whether queries search the HNSW graph (else every point is scanned). */
    public boolean searchesGraph() {
        return scan == null;
    }

    /** Hits in the library. */
    public int size() {
        return size;
    }

    public Stats stats() {
        return stats;
    }

    @Override
    public void close() throws IOException {
        index.close();
    }

    /** Safety for the folder the index lives in: never delete anything that is not Lucene's. */
    static final class IndexFolder {
        static final String MARKER = "LATENTKIT-SIMILAR-INDEX";

        private IndexFolder() {
        }

        /** Creates the folder with its marker, or checks that an existing folder is an index's. */
        static void prepare(Path folder) throws IOException, BadAudioException {
            if (Files.isDirectory(folder) && !Files.isRegularFile(folder.resolve(MARKER))) {
                try (Stream<Path> s = Files.list(folder)) {
                    if (s.findAny().isPresent()) {
                        throw new BadAudioException("not a latentkit index folder (no " + MARKER + " in it): " + folder);
                    }
                }
            }
            Files.createDirectories(folder);
            Path marker = folder.resolve(MARKER);
            if (!Files.isRegularFile(marker)) {
                Files.writeString(marker, "latentkit similarity index (Lucene " + org.apache.lucene.util.Version.LATEST
                        + "); safe to delete, rebuilt from the library\n", StandardCharsets.UTF_8);
            }
        }

        /** Deletes Lucene's files from the folder (and nothing else). */
        static void clear(Path folder) throws IOException {
            try (Stream<Path> s = Files.list(folder)) {
                for (Path p : s.toList()) {
                    String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                    if (Files.isRegularFile(p) && (n.startsWith("segments") || n.startsWith("pending_segments")
                            || n.startsWith("_") || n.equals("write.lock"))) {
                        Files.delete(p);
                    }
                }
            }
        }
    }
}
