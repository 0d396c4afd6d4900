package io.latentkit.server.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
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
    void aLibraryThatIsNotAFolderIsBadInput(@TempDir Path dir) throws Exception {
        CommandRun r = CommandRun.of(new SimilarCommand(), CommandRun.fixture("hit_kick.wav").toString(),
                "--library", dir.resolve("nope").toString());
        assertEquals(2, r.exit());
        assertEquals(1, r.err().strip().split("\n").length);
    }
}
