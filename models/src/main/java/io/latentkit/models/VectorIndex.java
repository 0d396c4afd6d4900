package io.latentkit.models;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;

/**
 * An embedded approximate nearest-neighbour index of sound embeddings for large libraries: Lucene
 * HNSW vectors (Euclidean) on disk, updated file by file. Each library file is one "file" document
 * (its path, size and modification time, so that a rebuild only touches changed files) and one
 * "item" document per hit (path, onset, embedding). {@link #replaceFile} deletes a file's old
 * documents and adds the new ones; {@link #commit} makes changes durable and visible to queries.
 *
 * <p>Not thread-safe for writing: one writer thread. {@link #nearest} may be called from any
 * thread after a commit (Lucene searchers are thread-safe); it allocates per query.
 */
public final class VectorIndex implements AutoCloseable {
    private static final String KIND = "kind";
    private static final String FILE = "file";
    private static final String ONSET = "onset";
    private static final String SIZE = "size";
    private static final String MTIME = "mtime";
    private static final String VECTOR = "v";
    /**
     * Candidates HNSW collects per query before the best {@code n} are kept: a wider beam trades
     * time for recall; 64 gives recall@10 above 0.95 on a million prior points (see
     * {@code perf-tests}' VectorIndexBenchmark).
     */
    public static final int DEFAULT_CANDIDATES = 64;

    /** A file as indexed: its size and modification time when its hits were computed. */
    public record FileStamp(long size, long mtimeMs) {
    }

    private final Directory directory;
    private final IndexWriter writer;
    private final int dim;
    private final int candidates;
    private DirectoryReader reader;
    private IndexSearcher searcher;

    private VectorIndex(Directory directory, IndexWriter writer, int dim, int candidates) throws IOException {
        this.directory = directory;
        this.writer = writer;
        this.dim = dim;
        this.candidates = candidates;
        this.reader = DirectoryReader.open(writer);
        this.searcher = new IndexSearcher(reader);
    }

    /** Opens (or creates) the index in {@code dir} for {@code dim}-dimensional embeddings. */
    public static VectorIndex open(Path dir, int dim) throws IOException {
        return open(dir, dim, DEFAULT_CANDIDATES, 64);
    }

    /**
     * @param candidates HNSW beam per query (at least the {@code n} asked for)
     * @param ramBufferMb writer buffer; a larger one makes fewer, larger segments when building in bulk
     */
    public static VectorIndex open(Path dir, int dim, int candidates, double ramBufferMb) throws IOException {
        Directory d = FSDirectory.open(dir);
        IndexWriterConfig cfg = new IndexWriterConfig().setOpenMode(IndexWriterConfig.OpenMode.CREATE_OR_APPEND)
                .setRAMBufferSizeMB(ramBufferMb);
        try {
            return new VectorIndex(d, new IndexWriter(d, cfg), dim, candidates);
        } catch (IOException | RuntimeException e) {
            d.close();
            throw e;
        }
    }

    /** The files indexed and their stamps (as of the last commit). */
    public Map<String, FileStamp> files() throws IOException {
        Map<String, FileStamp> out = new HashMap<>();
        TermQuery fileDocs = new TermQuery(new Term(KIND, FILE));
        TopDocs all = searcher.search(fileDocs, Math.max(1, searcher.count(fileDocs)));
        StoredFields fields = searcher.storedFields();
        for (ScoreDoc sd : all.scoreDocs) {
            Document doc = fields.document(sd.doc);
            out.put(doc.get(FILE), new FileStamp(doc.getField(SIZE).numericValue().longValue(),
                    doc.getField(MTIME).numericValue().longValue()));
        }
        return out;
    }

    /** Replaces everything indexed for {@code file} by these hits (none: the file holds no hit). */
    public void replaceFile(String file, FileStamp stamp, List<SimilarityIndex.Item> items) throws IOException {
        writer.deleteDocuments(new Term(FILE, file));
        List<Document> docs = new ArrayList<>(items.size() + 1);
        Document f = new Document();
        f.add(new StringField(KIND, FILE, Field.Store.NO));
        f.add(new StringField(FILE, file, Field.Store.YES));
        f.add(new StoredField(SIZE, stamp.size()));
        f.add(new StoredField(MTIME, stamp.mtimeMs()));
        docs.add(f);
        for (SimilarityIndex.Item it : items) {
            if (it.embedding().length != dim) {
                throw new IllegalArgumentException("embedding of " + it.embedding().length + " dimensions, index " + dim);
            }
            Document d = new Document();
            d.add(new StringField(FILE, file, Field.Store.YES));
            d.add(new StoredField(ONSET, it.onsetSamples()));
            d.add(new KnnFloatVectorField(VECTOR, it.embedding(), VectorSimilarityFunction.EUCLIDEAN));
            docs.add(d);
        }
        writer.addDocuments(docs);
    }

    /** Forgets a file that is gone from the library. */
    public void removeFile(String file) throws IOException {
        writer.deleteDocuments(new Term(FILE, file));
    }

    /** Makes the changes durable and visible to {@link #nearest}. */
    public void commit() throws IOException {
        writer.commit();
        DirectoryReader fresh = DirectoryReader.openIfChanged(reader, writer);
        if (fresh != null) {
            reader.close();
            reader = fresh;
            searcher = new IndexSearcher(reader);
        }
    }

    /** Merges into one segment (one HNSW graph): slower to do, faster to query. */
    public void optimize() throws IOException {
        writer.forceMerge(1);
        commit();
    }

    /** Hits indexed (as of the last commit). */
    public int size() throws IOException {
        return reader.numDocs() - searcher.count(new TermQuery(new Term(KIND, FILE)));
    }

    /**
     * The approximately nearest {@code n} hits to {@code query}, nearest first, with their
     * Euclidean distance.
     */
    public List<SimilarityIndex.Match> nearest(float[] query, int n, int sampleRateHz) throws IOException {
        if (query.length != dim) {
            throw new IllegalArgumentException("query has " + query.length + " dimensions, index " + dim);
        }
        IndexSearcher s = searcher;
        TopDocs top = s.search(new KnnFloatVectorQuery(VECTOR, query, Math.max(n, candidates)), Math.max(n, candidates));
        StoredFields fields = s.storedFields();
        List<SimilarityIndex.Match> out = new ArrayList<>(Math.min(n, top.scoreDocs.length));
        for (int i = 0; i < top.scoreDocs.length && out.size() < n; i++) {
            ScoreDoc sd = top.scoreDocs[i];
            Document doc = fields.document(sd.doc);
            // Lucene's Euclidean score is 1 / (1 + squared distance).
            double d2 = Math.max(0.0, 1.0 / sd.score - 1.0);
            out.add(new SimilarityIndex.Match(doc.get(FILE),
                    doc.getField(ONSET).numericValue().doubleValue() / sampleRateHz, (float) Math.sqrt(d2)));
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        try {
            reader.close();
            writer.close();
        } finally {
            directory.close();
        }
    }
}
