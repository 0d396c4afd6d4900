package io.latentkit.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VectorIndexTest {
    private static List<SimilarityIndex.Item> hits(String file, int count, Random rng) {
        List<SimilarityIndex.Item> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(new SimilarityIndex.Item(file, i * 4800, LatentOps.random(16, rng)));
        }
        return out;
    }

    private static List<SimilarityIndex.Match> bruteForce(List<SimilarityIndex.Item> all, float[] q, int n) {
        List<SimilarityIndex.Match> m = new ArrayList<>();
        for (SimilarityIndex.Item it : all) {
            double d = 0;
            for (int j = 0; j < q.length; j++) {
                d += (it.embedding()[j] - q[j]) * (it.embedding()[j] - q[j]);
            }
            m.add(new SimilarityIndex.Match(it.file(), it.onsetSamples() / 48000.0, (float) Math.sqrt(d)));
        }
        m.sort((a, b) -> Float.compare(a.distance(), b.distance()));
        return m.subList(0, n);
    }

    /** 50 random queries: the nearest hit and its distance as brute force finds them, recall@10 >= 0.95. */
    private static void assertAgreesWithBruteForce(VectorIndex index, List<SimilarityIndex.Item> all, Random rng)
            throws Exception {
        int agree = 0;
        for (int q = 0; q < 50; q++) {
            float[] query = LatentOps.random(16, rng);
            List<SimilarityIndex.Match> got = index.nearest(query, 10, 48000);
            List<SimilarityIndex.Match> want = bruteForce(all, query, 10);
            assertEquals(want.get(0).file() + "@" + want.get(0).onsetSeconds(),
                    got.get(0).file() + "@" + got.get(0).onsetSeconds());
            assertEquals(want.get(0).distance(), got.get(0).distance(), 1e-3f);
            Set<String> w = new HashSet<>();
            for (SimilarityIndex.Match m : want) {
                w.add(m.file() + "@" + m.onsetSeconds());
            }
            for (SimilarityIndex.Match m : got) {
                agree += w.contains(m.file() + "@" + m.onsetSeconds()) ? 1 : 0;
            }
        }
        assertTrue(agree >= 0.95 * 500, "recall@10 " + agree / 500.0);
    }

    @Test
    void nearestHitsAgreeWithBruteForceWithTheirDistances(@TempDir Path dir) throws Exception {
        Random rng = new Random(1);
        List<SimilarityIndex.Item> all = new ArrayList<>();
        try (VectorIndex index = VectorIndex.open(dir, 16)) {
            for (int f = 0; f < 100; f++) {
                List<SimilarityIndex.Item> h = hits("f" + f + ".wav", 20, rng);
                all.addAll(h);
                index.replaceFile("f" + f + ".wav", new VectorIndex.FileStamp(f, f), h);
            }
            index.commit();
            assertEquals(2000, index.size());
            assertAgreesWithBruteForce(index, all, rng);
        }
    }

    @Test
    void anIndexUpdatedFileByFileInManySegmentsStillFindsTheNearestHits(@TempDir Path dir) throws Exception {
        Random rng = new Random(3);
        List<SimilarityIndex.Item> all = new ArrayList<>();
        try (VectorIndex index = VectorIndex.open(dir, 16)) {
            // One large segment, then small ones as a library changes: each commit writes a segment.
            for (int f = 0; f < 150; f++) {
                index.replaceFile("f" + f + ".wav", new VectorIndex.FileStamp(f, f), hits("f" + f + ".wav", 20, rng));
            }
            index.commit();
            for (int batch = 0; batch < 6; batch++) {
                for (int j = 0; j < 5; j++) {
                    int f = batch * 20 + j;
                    index.replaceFile("f" + f + ".wav", new VectorIndex.FileStamp(f, f + 1), hits("f" + f + ".wav", 20, rng));
                }
                index.commit();
            }
            assertTrue(index.segments() > 2, index.segments() + " segments");
            all.addAll(index.items());
            assertEquals(3000, all.size());
            assertAgreesWithBruteForce(index, all, rng);
        }
    }

    @Test
    void filesAreReplacedAndRemovedAndTheirStampsSurviveReopening(@TempDir Path dir) throws Exception {
        Random rng = new Random(2);
        List<SimilarityIndex.Item> a = hits("a.wav", 3, rng);
        try (VectorIndex index = VectorIndex.open(dir, 16)) {
            index.replaceFile("a.wav", new VectorIndex.FileStamp(10, 100), a);
            index.replaceFile("b.wav", new VectorIndex.FileStamp(20, 200), hits("b.wav", 2, rng));
            index.replaceFile("silent.wav", new VectorIndex.FileStamp(30, 300), List.of());
            index.commit();
            assertEquals(5, index.size());
        }
        try (VectorIndex index = VectorIndex.open(dir, 16)) {
            assertEquals(3, index.files().size());
            assertEquals(new VectorIndex.FileStamp(20, 200), index.files().get("b.wav").stamp());
            index.replaceFile("b.wav", new VectorIndex.FileStamp(21, 201), hits("b.wav", 4, rng));
            index.removeFile("a.wav");
            index.commit();
            assertEquals(4, index.size());
            assertFalse(index.files().containsKey("a.wav"));
            assertEquals(new VectorIndex.FileStamp(21, 201), index.files().get("b.wav").stamp());
            for (SimilarityIndex.Match m : index.nearest(a.get(0).embedding(), 4, 48000)) {
                assertEquals("b.wav", m.file());
            }
        }
    }
}
