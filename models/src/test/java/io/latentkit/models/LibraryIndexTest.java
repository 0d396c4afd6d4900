package io.latentkit.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibraryIndexTest {
    private static Models models;

    @BeforeAll
    static void load() {
        models = Models.loadDefault();
    }

    @AfterAll
    static void close() {
        models.close();
    }

    /** Four one-shots, three toms, a recording of several hits and a file that is no sound. */
    private static Path library(Path dir) throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        for (String c : new String[] {"kick", "snare", "hihat_closed", "crash"}) {
            Files.copy(Fixtures.path("hit_" + c + ".wav"), lib.resolve(c + ".wav"));
        }
        Files.createDirectories(lib.resolve("toms"));
        for (String t : new String[] {"low", "mid", "high"}) {
            Files.copy(Fixtures.path("tom_" + t + ".wav"), lib.resolve("toms/" + t + ".wav"));
        }
        Files.createDirectories(lib.resolve("loops"));
        Files.copy(Fixtures.path("recording.wav"), lib.resolve("loops/recording.wav"));
        Files.writeString(lib.resolve("notes.txt"), "not a sound");
        return lib;
    }

    private static LibraryIndex open(Path lib, int graphFrom) throws Exception {
        return LibraryIndex.open(lib, models.vae(), lib.resolve(LibraryIndex.FOLDER), graphFrom);
    }

    @Test
    void aHitFindsItselfFirstAndRecordingsAreCutAtTheirOnsets(@TempDir Path dir) throws Exception {
        Path lib = library(dir);
        List<Integer> expected = new ArrayList<>();
        for (String line : Files.readAllLines(Fixtures.path("recording.onsets.txt"))) {
            expected.add(Integer.parseInt(line.split(" ")[0]));
        }
        try (LibraryIndex index = open(lib, LibraryIndex.DEFAULT_GRAPH_FROM)) {
            assertFalse(index.searchesGraph());
            assertEquals(7 + expected.size(), index.size());
            assertEquals(8, index.stats().filesIndexed());
            var matches = index.nearest(models.vae().encode(Fixtures.hit("snare")).mean(), 3);
            assertEquals("snare.wav", matches.get(0).file());
            assertEquals(0f, matches.get(0).distance(), 1e-4f);
            assertTrue(matches.get(1).distance() >= matches.get(0).distance());
        }
        try (VectorIndex raw = VectorIndex.open(lib.resolve(LibraryIndex.FOLDER), 16)) {
            List<Integer> onsets = new ArrayList<>();
            for (SimilarityIndex.Item it : raw.items()) {
                if (it.file().equals("loops/recording.wav")) {
                    onsets.add(it.onsetSamples());
                }
            }
            onsets.sort(Comparator.naturalOrder());
            assertEquals(expected.size(), onsets.size(), "onsets " + onsets);
            for (int i = 0; i < expected.size(); i++) {
                assertTrue(Math.abs(onsets.get(i) - expected.get(i)) <= 480, "onset " + onsets.get(i) + " vs " + expected.get(i));
            }
        }
    }

    @Test
    void theGraphAnswersTheSameTopKAsTheScanOnASmallLibrary(@TempDir Path dir) throws Exception {
        Path lib = library(dir);
        List<float[]> queries = new ArrayList<>();
        for (String c : new String[] {"kick", "snare", "hihat_closed", "crash"}) {
            float[] x = Fixtures.hit(c);
            queries.add(models.vae().encode(x).mean());
            for (int i = 0; i < x.length; i++) {
                x[i] *= 0.3f; // a quieter hit lies elsewhere in the latent space, between the library's points
            }
            queries.add(models.vae().encode(x).mean());
        }
        List<List<SimilarityIndex.Match>> scanned = new ArrayList<>();
        try (LibraryIndex index = open(lib, Integer.MAX_VALUE)) {
            assertFalse(index.searchesGraph());
            for (float[] q : queries) {
                scanned.add(index.nearest(q, 10));
            }
        }
        try (LibraryIndex index = open(lib, 0)) {
            assertTrue(index.searchesGraph());
            assertEquals(0, index.stats().filesIndexed(), "the second open reuses every file");
            for (int i = 0; i < queries.size(); i++) {
                List<SimilarityIndex.Match> got = index.nearest(queries.get(i), 10);
                List<SimilarityIndex.Match> want = scanned.get(i);
                assertEquals(want.size(), got.size());
                for (int j = 0; j < want.size(); j++) {
                    assertEquals(want.get(j).file(), got.get(j).file(), "query " + i + " rank " + j);
                    assertEquals(want.get(j).onsetSeconds(), got.get(j).onsetSeconds(), 1e-9);
                    assertEquals(want.get(j).distance(), got.get(j).distance(), 1e-4f);
                }
            }
        }
    }

    @Test
    void addedChangedAndRemovedFilesAreReflectedByEncodingOnlyThoseFiles(@TempDir Path dir) throws Exception {
        Path lib = library(dir);
        int recordingHits;
        int total;
        try (LibraryIndex first = open(lib, 0)) {
            assertEquals(8, first.stats().filesIndexed());
            assertEquals(first.size(), first.stats().hitsEncoded());
            total = first.size();
            recordingHits = total - 7;
        }
        try (LibraryIndex same = open(lib, 0)) {
            assertEquals(0, same.stats().filesIndexed());
            assertEquals(0, same.stats().hitsEncoded());
            assertEquals(8, same.stats().filesReused());
            assertEquals(total, same.size());
        }
        // One file changed (a kick now under snare.wav), one removed, one added.
        Files.copy(Fixtures.path("hit_kick.wav"), lib.resolve("snare.wav"), StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(lib.resolve("snare.wav"), FileTime.fromMillis(1_000_000L));
        Files.delete(lib.resolve("loops/recording.wav"));
        Files.copy(Fixtures.path("hit_snare.wav"), lib.resolve("toms/not-a-tom.wav"));
        float[] snare = models.vae().encode(Fixtures.hit("snare")).mean();
        float[] kick = models.vae().encode(Fixtures.hit("kick")).mean();
        try (LibraryIndex third = open(lib, 0)) {
            LibraryIndex.Stats s = third.stats();
            assertEquals(2, s.filesIndexed(), "the changed and the added file");
            assertEquals(2, s.hitsEncoded(), "one hit each; nothing else encoded");
            assertEquals(1, s.filesRemoved());
            assertEquals(6, s.filesReused());
            assertNull(s.rebuiltBecause());
            assertEquals(total - recordingHits + 1, third.size());
            var kicks = third.nearest(kick, 2);
            assertEquals(0f, kicks.get(1).distance(), 1e-4f, "the kick under snare.wav is an exact match too");
            var snares = third.nearest(snare, 1);
            assertEquals("toms/not-a-tom.wav", snares.get(0).file());
            for (var m : third.nearest(snare, third.size())) {
                assertFalse(m.file().startsWith("loops/"), "a removed file is never an answer: " + m);
            }
        }
    }

    @Test
    void aCorruptIndexIsRebuiltFromTheFilesWithTheReason(@TempDir Path dir) throws Exception {
        Path lib = library(dir);
        Path folder = lib.resolve(LibraryIndex.FOLDER);
        float[] snare = models.vae().encode(Fixtures.hit("snare")).mean();
        try (LibraryIndex index = open(lib, 0)) {
            assertNull(index.stats().rebuiltBecause());
        }
        // A bit flipped in the middle of the largest index file: its checksum no longer holds.
        Path largest;
        try (Stream<Path> s = Files.list(folder)) {
            largest = s.filter(p -> p.getFileName().toString().startsWith("_"))
                    .max(Comparator.comparingLong(p -> p.toFile().length())).orElseThrow();
        }
        try (RandomAccessFile f = new RandomAccessFile(largest.toFile(), "rw")) {
            long at = f.length() / 2;
            f.seek(at);
            int b = f.read();
            f.seek(at);
            f.write(b ^ 0x10);
        }
        try (LibraryIndex index = open(lib, 0)) {
            assertTrue(index.stats().rebuiltBecause().startsWith("it could not be read"), index.stats().rebuiltBecause());
            assertEquals(8, index.stats().filesIndexed());
            assertEquals("snare.wav", index.nearest(snare, 1).get(0).file());
        }
        // Every file of the index replaced by garbage.
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.filter(p -> !p.getFileName().toString().equals(LibraryIndex.IndexFolder.MARKER)).toList()) {
                Files.writeString(p, "garbage");
            }
        }
        try (LibraryIndex index = open(lib, 0)) {
            assertTrue(index.stats().rebuiltBecause().startsWith("it could not be read"), index.stats().rebuiltBecause());
            assertEquals("snare.wav", index.nearest(snare, 1).get(0).file());
        }
        try (LibraryIndex index = open(lib, 0)) {
            assertNull(index.stats().rebuiltBecause());
            assertEquals(0, index.stats().filesIndexed());
        }
    }

    @Test
    void anIndexBuiltByOtherModelsIsRebuilt(@TempDir Path dir) throws Exception {
        Path lib = library(dir);
        Path folder = lib.resolve(LibraryIndex.FOLDER);
        Map<String, String> data;
        try (LibraryIndex index = open(lib, 0)) {
            assertNull(index.stats().rebuiltBecause());
        }
        try (VectorIndex raw = VectorIndex.open(folder, 16)) {
            data = new HashMap<>(raw.commitData());
            data.put("models", "someone-else/0.1");
            raw.commit(data);
        }
        try (LibraryIndex index = open(lib, 0)) {
            assertTrue(index.stats().rebuiltBecause().startsWith("it was built with models someone-else/0.1"),
                    index.stats().rebuiltBecause());
            assertEquals(8, index.stats().filesIndexed());
        }
    }

    @Test
    void aFolderThatIsNotAnIndexIsNeverClearedAndIsBadInput(@TempDir Path dir) throws Exception {
        Path lib = library(dir);
        Path mine = Files.createDirectories(dir.resolve("my-stuff"));
        Files.writeString(mine.resolve("_important.txt"), "keep me");
        BadAudioException e = assertThrows(BadAudioException.class,
                () -> LibraryIndex.open(lib, models.vae(), mine, 0));
        assertTrue(e.getMessage().startsWith("not a latentkit index folder"), e.getMessage());
        assertEquals("keep me", Files.readString(mine.resolve("_important.txt")));
    }

    @Test
    void aSecondWriterOfTheSameIndexIsToldItIsInUseAndNothingIsCleared(@TempDir Path dir) throws Exception {
        Path lib = library(dir);
        try (LibraryIndex first = open(lib, 0)) {
            IOException e = assertThrows(IOException.class, () -> open(lib, 0));
            assertTrue(e.getMessage().contains("is in use by another latentkit"), e.getMessage());
            assertEquals("snare.wav", first.nearest(models.vae().encode(Fixtures.hit("snare")).mean(), 1).get(0).file());
        }
        try (LibraryIndex again = open(lib, 0)) {
            assertNull(again.stats().rebuiltBecause());
            assertEquals(0, again.stats().filesIndexed());
        }
    }

    @Test
    void anUnreadableFileIsReportedOnEveryOpen(@TempDir Path dir) throws Exception {
        Path lib = library(dir);
        Files.writeString(lib.resolve("broken.wav"), "not audio");
        try (LibraryIndex index = open(lib, 0)) {
            assertEquals(1, index.stats().skipped().size(), index.stats().skipped().toString());
            assertTrue(index.stats().skipped().get(0).startsWith("broken.wav: "));
        }
        try (LibraryIndex index = open(lib, 0)) {
            assertEquals(0, index.stats().filesIndexed());
            assertEquals(1, index.stats().skipped().size());
        }
    }

    @Test
    void theDefaultIndexGoesInsideAWritableLibraryButNeverIntoAFolderAPackageOwns(@TempDir Path dir) throws Exception {
        Path mine = Files.createDirectories(dir.resolve("sounds"));
        assertEquals(mine.resolve(LibraryIndex.FOLDER), LibraryIndex.defaultFolder(mine));
        // Debian's kits: writable when run as root (CI), but dpkg's; the index goes to the cache.
        Path system = Path.of("/usr/share/hydrogen/data/drumkits");
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "latentkit", "similar");
        assertTrue(LibraryIndex.defaultFolder(system).startsWith(cache), LibraryIndex.defaultFolder(system).toString());
        assertEquals(LibraryIndex.defaultFolder(system), LibraryIndex.defaultFolder(Path.of("/usr/share/../share/hydrogen/data/drumkits")),
                "named by the normalised path");
        assertFalse(LibraryIndex.inSystemTree(dir.resolve("usr")));
        assertTrue(LibraryIndex.inSystemTree(Path.of("/opt/kits")));
    }
}
