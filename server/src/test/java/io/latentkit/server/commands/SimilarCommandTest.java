package io.latentkit.server.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latentkit.models.AudioFiles;
import io.latentkit.models.LibraryIndex;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SimilarCommandTest {
    private static Path library(Path dir) throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        for (String c : new String[] {"kick", "snare", "hihat_closed"}) {
            Files.copy(CommandRun.fixture("hit_" + c + ".wav"), lib.resolve(c + ".wav"));
        }
        return lib;
    }

    @Test
    void theNearestSoundToAHitIsItselfAtDistanceZero(@TempDir Path dir) throws Exception {
        Path lib = library(dir);
        CommandRun r = CommandRun.of(new SimilarCommand(), CommandRun.fixture("hit_snare.wav").toString(),
                "--library", lib.toString(), "-n", "2", "--cache", dir.resolve("idx.json").toString());
        assertEquals(0, r.exit(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0].startsWith("1. ") && lines[0].contains("snare.wav @ 0.000 s  distance 0.000"), lines[0]);
    }

    @Test
    void jsonListsMatchesWithOnsetAndDistance(@TempDir Path dir) throws Exception {
        Path lib = library(dir);
        CommandRun r = CommandRun.of(new SimilarCommand(), CommandRun.fixture("hit_kick.wav").toString(),
                "--library", lib.toString(), "--json", "--cache", dir.resolve("idx.json").toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode o = new ObjectMapper().readTree(r.out().strip());
        assertEquals(3, o.get("matches").size());
        JsonNode first = o.get("matches").get(0);
        assertTrue(first.get("file").asText().endsWith("kick.wav"));
        assertEquals(0.0, first.get("onset").asDouble());
        assertEquals(0.0, first.get("distance").asDouble(), 1e-3);
    }

    @Test
    void flacFilesInTheLibraryAreIndexed(@TempDir Path dir) throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Files.copy(CommandRun.fixture("hit_snare.flac"), lib.resolve("snare.flac"));
        Files.copy(CommandRun.fixture("hit_kick.wav"), lib.resolve("kick.wav"));
        CommandRun r = CommandRun.of(new SimilarCommand(), CommandRun.fixture("hit_snare.wav").toString(),
                "--library", lib.toString(), "--cache", dir.resolve("idx.json").toString());
        assertEquals(0, r.exit(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(2, lines.length, r.out());
        // The FLAC holds the WAV's samples exactly, so it is the WAV's own point.
        assertTrue(lines[0].contains("snare.flac @ 0.000 s  distance 0.000"), lines[0]);
    }

    @Test
    void aLibraryWithoutSoundsIsBadInputWithAReason(@TempDir Path dir) throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Files.writeString(lib.resolve("notes.txt"), "no sounds here");
        Files.writeString(lib.resolve("broken.wav"), "not audio");
        CommandRun r = CommandRun.of(new SimilarCommand(), CommandRun.fixture("hit_kick.wav").toString(),
                "--library", lib.toString(), "--cache", dir.resolve("idx.json").toString());
        assertEquals(2, r.exit());
        String[] errs = r.err().strip().split("\n");
        assertTrue(errs[errs.length - 1].startsWith("similar: no sounds in " + lib), r.err());
        assertTrue(errs[errs.length - 1].contains("1 files could not be used"), r.err());
        assertEquals("", r.out().strip());
    }

    /**
     * A loud 1.2 s TR-808-style kick (a sine gliding from 120 to 50 Hz with a 10 ms attack): as a
     * query and in the library it is one sound, found at its own place.
     */
    @Test
    void aLongGlidingKickIsOneSoundAsQueryAndInTheLibrary(@TempDir Path dir) throws Exception {
        int n = (int) (1.2 * 48000);
        float[] x = new float[n];
        double phase = 0;
        for (int i = 0; i < n; i++) {
            double t = i / 48000.0;
            phase += 2 * Math.PI * (50 + 70 * Math.exp(-t / 0.04)) / 48000;
            x[i] = (float) (0.95 * Math.min(1.0, t / 0.01) * Math.exp(-t / 0.5) * Math.min(1.0, (1.2 - t) / 0.05)
                    * Math.sin(phase));
        }
        Path lib = library(dir);
        Path kick = lib.resolve("kick808.wav");
        AudioFiles.writeWav16(kick, x, 48000);
        CommandRun r = CommandRun.of(new SimilarCommand(), kick.toString(), "--library", lib.toString(), "--json",
                "--cache", dir.resolve("idx.json").toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode o = new ObjectMapper().readTree(r.out().strip());
        assertEquals(4, o.get("matches").size(), "one item per file: " + o);
        JsonNode first = o.get("matches").get(0);
        assertTrue(first.get("file").asText().endsWith("kick808.wav"), o.toString());
        assertEquals(0.0, first.get("distance").asDouble(), 1e-3);
    }

    /** WAV, AIFF and FLAC: every format the engine's decoder reads is an item of the library. */
    @Test
    void everyFormatTheEngineDecodesIsIndexed(@TempDir Path dir) throws Exception {
        Path lib = Files.createDirectories(dir.resolve("lib"));
        Files.copy(CommandRun.fixture("hit_snare.flac"), lib.resolve("snare.flac"));
        Files.copy(CommandRun.fixture("hit_kick.wav"), lib.resolve("kick.wav"));
        float[] hat = AudioFiles.readMono(CommandRun.fixture("hit_hihat_closed.wav"), 48000);
        byte[] pcm = new byte[hat.length * 2];
        for (int i = 0; i < hat.length; i++) {
            int v = Math.round(Math.max(-1f, Math.min(1f, hat[i])) * 32767f);
            pcm[2 * i] = (byte) (v >> 8); // AIFF is big-endian
            pcm[2 * i + 1] = (byte) v;
        }
        AudioFormat f = new AudioFormat(48000, 16, 1, true, true);
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm), f, hat.length)) {
            AudioSystem.write(in, AudioFileFormat.Type.AIFF, lib.resolve("hat.aiff").toFile());
        }
        CommandRun r = CommandRun.of(new SimilarCommand(), CommandRun.fixture("hit_hihat_closed.wav").toString(),
                "--library", lib.toString(), "--json", "-n", "10");
        assertEquals(0, r.exit(), r.err());
        JsonNode o = new ObjectMapper().readTree(r.out().strip());
        assertEquals(3, o.get("matches").size(), o.toString());
        assertTrue(o.get("matches").get(0).get("file").asText().endsWith("hat.aiff"), o.toString());
        assertEquals(0.0, o.get("matches").get(0).get("distance").asDouble(), 2e-3, "16-bit AIFF of the same hit");
        assertTrue(Files.isDirectory(lib.resolve(LibraryIndex.FOLDER)), "the index lives next to the library");
    }

    @Test
    void aCorruptIndexIsRebuiltWithAOneLineMessageAndTheAnswerIsRight(@TempDir Path dir) throws Exception {
        Path lib = library(dir);
        Path idx = dir.resolve("idx");
        String query = CommandRun.fixture("hit_snare.wav").toString();
        assertEquals(0, CommandRun.of(new SimilarCommand(), query, "--library", lib.toString(), "--index", idx.toString())
                .exit());
        try (Stream<Path> s = Files.list(idx)) {
            for (Path p : s.filter(p -> p.getFileName().toString().startsWith("segments")).toList()) {
                Files.writeString(p, "garbage");
            }
        }
        CommandRun r = CommandRun.of(new SimilarCommand(), query, "--library", lib.toString(), "--index", idx.toString(),
                "-n", "1");
        assertEquals(0, r.exit(), r.err());
        String[] errs = r.err().strip().split("\n");
        assertEquals(1, errs.length, r.err());
        assertTrue(errs[0].startsWith("similar: rebuilt the index in " + idx + ": it could not be read"), errs[0]);
        assertTrue(r.out().contains("snare.wav @ 0.000 s  distance 0.000"), r.out());
    }

    @Test
    void aLibraryThatIsNotAFolderIsBadInput(@TempDir Path dir) throws Exception {
        CommandRun r = CommandRun.of(new SimilarCommand(), CommandRun.fixture("hit_kick.wav").toString(),
                "--library", dir.resolve("nope").toString());
        assertEquals(2, r.exit());
        assertEquals(1, r.err().strip().split("\n").length);
    }
}
