package io.latentkit.models;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.lucene99.Lucene99HnswScalarQuantizedVectorsFormat;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NumericDocValues;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnCollector;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TopKnnCollector;
import org.apache.lucene.search.knn.MultiLeafKnnCollector;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.hnsw.BlockingFloatHeap;

/**
 * An embedded approximate nearest-neighbour index of sound embeddings for large libraries: Lucene
 * HNSW vectors (Euclidean) on disk, updated file by file. Each library file is one "file" document
 * (its path, size, modification time and, for a file that could not be used, why), and one "item"
 * document per hit (path and onset as doc values, the embedding as an HNSW vector).
 * {@link #replaceFile} deletes a file's old documents and adds the new ones; {@link #commit} makes
 * the changes durable (Lucene writes a commit point last, so a crash leaves the previous commit)
 * and visible to queries, with the caller's commit data (model digest, format).
 *
 * <p>Queries go straight to each segment's graph ({@link LeafReader#searchNearestVectors}), with
 * no query rewrite, and read item names from doc values rather than stored fields; one segment
 * (after {@link #optimize}) is one graph search. An index updated file by file has several
 * segments (one large one and the small ones later updates wrote): they are searched largest first,
 * and each later search is bounded by the best scores already found (Lucene's
 * {@link MultiLeafKnnCollector}), so a small segment with nothing competitive stops early instead of
 * costing a full search of its own.
 *
 * <p>Not thread-safe for writing: one writer thread. {@link #nearest} may be called from any
 * thread after a commit (Lucene readers are thread-safe); it allocates per query.
 */
public final class VectorIndex implements AutoCloseable {
    private static final String KIND = "kind";
    private static final String FILE = "file";
    /** The item's file as doc values (a field of its own: Lucene keeps one schema per field name). */
    private static final String PATH = "path";
    private static final String ONSET = "onset";
    private static final String SIZE = "size";
    private static final String MTIME = "mtime";
    private static final String SKIPPED = "skipped";
    private static final String VECTOR = "v";
    /**
     * Candidates HNSW collects per query before the best {@code n} are kept: a wider beam trades
     * time for recall (see {@code perf-tests}' VectorIndexBenchmark and models/training/REPORT.md).
     */
    public static final int DEFAULT_CANDIDATES = 64;

    /**
     * How the graph is built and searched.
     *
     * @param maxConn HNSW neighbours per node (Lucene's M)
     * @param beamWidth candidates considered while inserting a node
     * @param candidates HNSW beam per query (at least the {@code n} asked for)
     * @param quantized store vectors as 7-bit integers (Lucene's scalar quantisation) for the graph
     * @param ramBufferMb writer buffer; a larger one makes fewer, larger segments when building in bulk
     */
    public record Options(int maxConn, int beamWidth, int candidates, boolean quantized, double ramBufferMb) {
        /** The shipped settings: M 16, beam 100 (Lucene's defaults), 64 candidates, float vectors. */
        public static final Options DEFAULT = new Options(16, 100, DEFAULT_CANDIDATES, false, 64);

        public Options withCandidates(int c) {
            return new Options(maxConn, beamWidth, c, quantized, ramBufferMb);
        }
    }

    /** A file as indexed: its size and modification time when its hits were computed. */
    public record FileStamp(long size, long mtimeMs) {
    }

    /** A file's entry: its stamp, and why it holds no hit if it could not be read (else null). */
    public record FileEntry(FileStamp stamp, String skipped) {
    }

    private final Directory directory;
    private final IndexWriter writer;
    private final int dim;
    private final int candidates;
    private DirectoryReader reader;

    private VectorIndex(Directory directory, IndexWriter writer, int dim, int candidates) throws IOException {
        this.directory = directory;
        this.writer = writer;
        this.dim = dim;
        this.candidates = candidates;
        this.reader = DirectoryReader.open(writer);
    }

    /** Opens (or creates) the index in {@code dir} for {@code dim}-dimensional embeddings. */
    public static VectorIndex open(Path dir, int dim) throws IOException {
        return open(dir, dim, Options.DEFAULT);
    }

    /**
     * Opens (or creates) the index in {@code dir}. Throws whatever Lucene throws for an index it
     * cannot read (corrupt, truncated, another format): the caller decides to rebuild.
     */
    public static VectorIndex open(Path dir, int dim, Options options) throws IOException {
        Directory d = FSDirectory.open(dir);
        KnnVectorsFormat format = options.quantized()
                ? new Lucene99HnswScalarQuantizedVectorsFormat(options.maxConn(), options.beamWidth())
                : new Lucene99HnswVectorsFormat(options.maxConn(), options.beamWidth());
        IndexWriterConfig cfg = new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                .setRAMBufferSizeMB(options.ramBufferMb()).setCommitOnClose(false)
                .setCodec(new Lucene912Codec() {
                    @Override
                    public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
                        return format;
                    }
                });
        IndexWriter w = null;
        try {
            w = new IndexWriter(d, cfg);
            return new VectorIndex(d, w, dim, options.candidates());
        } catch (IOException | RuntimeException e) {
            if (w != null) {
                w.rollback();
            }
            d.close();
            throw e;
        }
    }

    public int dimension() {
        return dim;
    }

    /** The commit data of the last commit (empty for a new index). */
    public Map<String, String> commitData() throws IOException {
        return reader.getIndexCommit().getUserData();
    }

    /** The files indexed and their entries (as of the last commit). */
    public Map<String, FileEntry> files() throws IOException {
        Map<String, FileEntry> out = new HashMap<>();
        IndexSearcher searcher = new IndexSearcher(reader);
        TermQuery fileDocs = new TermQuery(new Term(KIND, FILE));
        TopDocs all = searcher.search(fileDocs, Math.max(1, searcher.count(fileDocs)));
        StoredFields fields = searcher.storedFields();
        for (ScoreDoc sd : all.scoreDocs) {
            Document doc = fields.document(sd.doc);
            out.put(doc.get(FILE), new FileEntry(new FileStamp(doc.getField(SIZE).numericValue().longValue(),
                    doc.getField(MTIME).numericValue().longValue()), doc.get(SKIPPED)));
        }
        return out;
    }

    /** Replaces everything indexed for {@code file} by these hits (none: the file holds no hit). */
    public void replaceFile(String file, FileStamp stamp, List<SimilarityIndex.Item> items) throws IOException {
        replaceFile(file, stamp, items, null);
    }

    /**
     * Replaces everything indexed for {@code file} by these hits; {@code skipped}, if not null, says
     * why the file holds none (kept so that later runs still report it).
     */
    public void replaceFile(String file, FileStamp stamp, List<SimilarityIndex.Item> items, String skipped)
            throws IOException {
        for (SimilarityIndex.Item it : items) {
            if (it.embedding().length != dim) {
                throw new IllegalArgumentException("embedding of " + it.embedding().length + " dimensions, index " + dim);
            }
        }
        writer.deleteDocuments(new Term(FILE, file));
        List<Document> docs = new ArrayList<>(items.size() + 1);
        Document f = new Document();
        f.add(new StringField(KIND, FILE, Field.Store.NO));
        f.add(new StringField(FILE, file, Field.Store.YES));
        f.add(new StoredField(SIZE, stamp.size()));
        f.add(new StoredField(MTIME, stamp.mtimeMs()));
        if (skipped != null) {
            f.add(new StoredField(SKIPPED, skipped));
        }
        docs.add(f);
        BytesRef name = new BytesRef(file);
        for (SimilarityIndex.Item it : items) {
            Document d = new Document();
            d.add(new StringField(FILE, name, Field.Store.NO));
            d.add(new SortedDocValuesField(PATH, name));
            d.add(new NumericDocValuesField(ONSET, it.onsetSamples()));
            d.add(new KnnFloatVectorField(VECTOR, it.embedding(), VectorSimilarityFunction.EUCLIDEAN));
            docs.add(d);
        }
        writer.addDocuments(docs);
    }

    /** Forgets a file that is gone from the library. */
    public void removeFile(String file) throws IOException {
        writer.deleteDocuments(new Term(FILE, file));
    }

    /** Makes the changes durable and visible to {@link #nearest}, with no commit data. */
    public void commit() throws IOException {
        commit(Map.of());
    }

    /** Makes the changes durable, with {@code data} as the commit's user data, and visible. */
    public void commit(Map<String, String> data) throws IOException {
        writer.setLiveCommitData(data.entrySet());
        writer.commit();
        DirectoryReader fresh = DirectoryReader.openIfChanged(reader, writer);
        if (fresh != null) {
            reader.close();
            reader = fresh;
        }
    }

    /** Merges into one segment (one HNSW graph): slower to do, faster to query. */
    public void optimize() throws IOException {
        writer.forceMerge(1);
        commit(commitData());
    }

    /** Verifies every file of the last commit against its checksum (reads the whole index). */
    public void checkIntegrity() throws IOException {
        for (LeafReaderContext leaf : reader.leaves()) {
            leaf.reader().checkIntegrity();
        }
    }

    /** Segments (HNSW graphs) a query searches. */
    public int segments() {
        return reader.leaves().size();
    }

    /** Hits indexed (as of the last commit). */
    public int size() throws IOException {
        int n = 0;
        for (LeafReaderContext leaf : reader.leaves()) {
            FloatVectorValues v = leaf.reader().getFloatVectorValues(VECTOR);
            if (v == null) {
                continue;
            }
            Bits live = leaf.reader().getLiveDocs();
            if (live == null) {
                n += v.size();
            } else {
                for (int doc = v.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = v.nextDoc()) {
                    n += live.get(doc) ? 1 : 0;
                }
            }
        }
        return n;
    }

    /** Every hit indexed (as of the last commit), read from the stored vectors, in index order. */
    public List<SimilarityIndex.Item> items() throws IOException {
        List<SimilarityIndex.Item> out = new ArrayList<>();
        for (LeafReaderContext leaf : reader.leaves()) {
            LeafReader r = leaf.reader();
            FloatVectorValues v = r.getFloatVectorValues(VECTOR);
            if (v == null) {
                continue;
            }
            Bits live = r.getLiveDocs();
            SortedDocValues files = r.getSortedDocValues(PATH);
            NumericDocValues onsets = r.getNumericDocValues(ONSET);
            for (int doc = v.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = v.nextDoc()) {
                if (live != null && !live.get(doc)) {
                    continue;
                }
                files.advanceExact(doc);
                onsets.advanceExact(doc);
                out.add(new SimilarityIndex.Item(files.lookupOrd(files.ordValue()).utf8ToString(),
                        (int) onsets.longValue(), v.vectorValue().clone()));
            }
        }
        return out;
    }

    /**
     * The approximately nearest {@code n} hits to {@code query}, nearest first, with their
     * Euclidean distance.
     */
    public List<SimilarityIndex.Match> nearest(float[] query, int n, int sampleRateHz) throws IOException {
        return nearest(query, n, sampleRateHz, candidates);
    }

    /** {@link #nearest(float[], int, int)} with a beam of {@code beamWidth} candidates (at least {@code n}). */
    public List<SimilarityIndex.Match> nearest(float[] query, int n, int sampleRateHz, int beamWidth) throws IOException {
        if (query.length != dim) {
            throw new IllegalArgumentException("query has " + query.length + " dimensions, index " + dim);
        }
        DirectoryReader r = reader;
        int beam = Math.max(n, beamWidth);
        List<LeafReaderContext> leaves = r.leaves();
        // Best n over all segments: (score, segment, doc), kept sorted by score, best first.
        float[] score = new float[n];
        int[] seg = new int[n];
        int[] docs = new int[n];
        int filled = 0;
        // Largest segment first, so that its answer bounds the searches of the smaller ones.
        Integer[] bySize = new Integer[leaves.size()];
        for (int l = 0; l < bySize.length; l++) {
            bySize[l] = l;
        }
        Arrays.sort(bySize, (a, b) -> Integer.compare(leaves.get(b).reader().maxDoc(), leaves.get(a).reader().maxDoc()));
        BlockingFloatHeap shared = new BlockingFloatHeap(beam);
        for (int l : bySize) {
            LeafReader leaf = leaves.get(l).reader();
            if (leaf.getFloatVectorValues(VECTOR) == null) {
                continue;
            }
            KnnCollector collector = bySize.length == 1 ? new TopKnnCollector(beam, Integer.MAX_VALUE)
                    : new MultiLeafKnnCollector(beam, shared, new TopKnnCollector(beam, Integer.MAX_VALUE));
            leaf.searchNearestVectors(VECTOR, query, collector, leaf.getLiveDocs());
            TopDocs top = collector.topDocs();
            for (ScoreDoc sd : top.scoreDocs) {
                if (filled == n && sd.score <= score[n - 1]) {
                    break; // each segment's answer is best first
                }
                int pos = filled < n ? filled++ : n - 1;
                while (pos > 0 && score[pos - 1] < sd.score) {
                    score[pos] = score[pos - 1];
                    seg[pos] = seg[pos - 1];
                    docs[pos] = docs[pos - 1];
                    pos--;
                }
                score[pos] = sd.score;
                seg[pos] = l;
                docs[pos] = sd.doc;
            }
        }
        // Doc values iterate forward only: resolve names and exact distances in (segment, doc) order.
        Integer[] order = new Integer[filled];
        for (int i = 0; i < filled; i++) {
            order[i] = i;
        }
        Arrays.sort(order, (a, b) -> seg[a] != seg[b] ? Integer.compare(seg[a], seg[b]) : Integer.compare(docs[a], docs[b]));
        List<SimilarityIndex.Match> out = new ArrayList<>(filled);
        int current = -1;
        SortedDocValues files = null;
        NumericDocValues onsets = null;
        FloatVectorValues vectors = null;
        for (Integer i : order) {
            if (seg[i] != current) {
                current = seg[i];
                LeafReader leaf = leaves.get(current).reader();
                files = leaf.getSortedDocValues(PATH);
                onsets = leaf.getNumericDocValues(ONSET);
                vectors = leaf.getFloatVectorValues(VECTOR);
            }
            files.advanceExact(docs[i]);
            onsets.advanceExact(docs[i]);
            vectors.advance(docs[i]);
            // The distance from the stored float vector, exact even where the graph is quantised.
            float[] v = vectors.vectorValue();
            double d2 = 0;
            for (int j = 0; j < dim; j++) {
                double diff = v[j] - query[j];
                d2 += diff * diff;
            }
            out.add(new SimilarityIndex.Match(files.lookupOrd(files.ordValue()).utf8ToString(),
                    (double) onsets.longValue() / sampleRateHz, (float) Math.sqrt(d2)));
        }
        out.sort((a, b) -> Float.compare(a.distance(), b.distance()));
        return out;
    }

    /** Closes without committing: what was not committed is dropped. */
    @Override
    public void close() throws IOException {
        try {
            reader.close();
            writer.rollback();
        } finally {
            directory.close();
        }
    }
}
