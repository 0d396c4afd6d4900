package io.latentkit.models;

import java.nio.file.StandardCopyOption;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimilarityIndexTest {
    private static Models models;

    @BeforeAll
    static void load() {
        models = Models.loadDefault();
    }

    @AfterAll
    static void close() {
        models.close();
    }

    private static Path library(Path dir) throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        for (String c : new String[] {"kick", "snare", "hihat_closed", "crash"}) {
            Files.copy(Fixtures.path("hit_" + c + ".wav"), lib.resolve(c + ".wav"));
        }
        Files.createDirectories(lib.resolve("loops"));
        Files.copy(Fixtures.path("recording.wav"), lib.resolve("loops/recording.wav"));
        Files.writeString(lib.resolve("notes.txt"), "not a sound");
        return lib;
    }

    @Test
    void aHitFindsItselfFirstAndRecordingsAreCutAtTheirOnsets(@TempDir Path dir) throws Exception {
        Path lib = library(dir);
        SimilarityIndex index = SimilarityIndex.build(lib, models.vae(), dir.resolve("cache.json"));
        List<Integer> onsets = new ArrayList<>();
        for (SimilarityIndex.Item it : index.items()) {
            if (it.file().equals("loops/recording.wav")) {
                onsets.add(it.onsetSamples());
            }
        }
        List<Integer> expected = new ArrayList<>();
        for (String line : Files.readAllLines(Fixtures.path("recording.onsets.txt"))) {
            expected.add(Integer.parseInt(line.split(" ")[0]));
        }
        assertEquals(expected.size(), onsets.size(), "onsets " + onsets);
        for (int i = 0; i < expected.size(); i++) {
            assertTrue(Math.abs(onsets.get(i) - expected.get(i)) <= 480, "onset " + onsets.get(i) + " vs " + expected.get(i));
        }
        assertEquals(4 + expected.size(), index.size());
        var matches = index.nearest(models.vae().encode(Fixtures.hit("snare")).mean(), 3);
        assertEquals("snare.wav", matches.get(0).file());
        assertEquals(0f, matches.get(0).distance(), 1e-4f);
        assertTrue(matches.get(1).distance() >= matches.get(0).distance());
    }

    @Test
    void theCacheIsReusedAndRebuiltOnlyForChangedFiles(@TempDir Path dir) throws Exception {
        Path lib = library(dir);
        Path cache = dir.resolve("cache.json");
        SimilarityIndex first = SimilarityIndex.build(lib, models.vae(), cache);
        assertEquals(5, first.stats().filesIndexed());
        assertTrue(Files.isRegularFile(cache));

        SimilarityIndex second = SimilarityIndex.build(lib, models.vae(), cache);
        assertEquals(0, second.stats().filesIndexed());
        assertEquals(5, second.stats().filesReused());
        assertEquals(first.size(), second.size());

        Files.copy(Fixtures.path("hit_kick.wav"), lib.resolve("snare.wav"), StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(lib.resolve("snare.wav"), FileTime.fromMillis(1_000_000L));
        Files.delete(lib.resolve("crash.wav"));
        SimilarityIndex third = SimilarityIndex.build(lib, models.vae(), cache);
        assertEquals(1, third.stats().filesIndexed());
        assertEquals(3, third.stats().filesReused());
        assertEquals(first.size() - 1, third.size());
        var matches = third.nearest(models.vae().encode(Fixtures.hit("kick")).mean(), 2);
        assertEquals(0f, matches.get(1).distance(), 1e-4f, "the kick now under snare.wav is an exact match too");
    }

    @Test
    void aCorruptCacheIsRebuiltFromTheFiles(@TempDir Path dir) throws Exception {
        Path lib = library(dir);
        Path cache = dir.resolve("cache.json");
        Files.writeString(cache, "{ not json");
        SimilarityIndex index = SimilarityIndex.build(lib, models.vae(), cache);
        assertEquals(5, index.stats().filesIndexed());
    }
}
