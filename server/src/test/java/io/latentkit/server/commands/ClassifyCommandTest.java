package io.latentkit.server.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ClassifyCommandTest {
    @Test
    void printsOneLineOfProbabilitiesPerFile() throws Exception {
        CommandRun r = CommandRun.of(new ClassifyCommand(),
                CommandRun.fixture("hit_kick.wav").toString(), CommandRun.fixture("hit_snare.wav").toString());
        assertEquals(0, r.exit(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(2, lines.length);
        assertTrue(lines[0].contains("hit_kick.wav: kick kick="), lines[0]);
        assertTrue(lines[1].contains("hit_snare.wav: snare "), lines[1]);
        assertTrue(lines[0].contains(" perc="));
    }

    @Test
    void jsonGivesOneObjectPerLineWithEveryClass() throws Exception {
        CommandRun r = CommandRun.of(new ClassifyCommand(), "--json", CommandRun.fixture("hit_hihat_closed.wav").toString());
        assertEquals(0, r.exit(), r.err());
        JsonNode o = new ObjectMapper().readTree(r.out().strip());
        assertEquals("hihat_closed", o.get("top").asText());
        assertTrue(o.get("file").asText().endsWith("hit_hihat_closed.wav"));
        assertEquals(10, o.get("probabilities").size());
        assertEquals("hihat_closed", o.get("pad").asText());
        double sum = 0;
        for (JsonNode p : o.get("probabilities")) {
            sum += p.asDouble();
        }
        assertEquals(1.0, sum, 1e-3);
    }

    /** Three toms of one kit, given in the order high, low, mid: --kit sizes them by pitch rank. */
    @Test
    void kitRanksTheTomsAmongTheFilesGiven() throws Exception {
        CommandRun r = CommandRun.of(new ClassifyCommand(), "--kit", "--json",
                CommandRun.fixture("tom_high.wav").toString(), CommandRun.fixture("tom_low.wav").toString(),
                CommandRun.fixture("tom_mid.wav").toString(), CommandRun.fixture("hit_kick.wav").toString());
        assertEquals(0, r.exit(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(4, lines.length);
        ObjectMapper m = new ObjectMapper();
        String[] pads = new String[4];
        for (int i = 0; i < 4; i++) {
            JsonNode o = m.readTree(lines[i]);
            pads[i] = o.get("pad").asText();
            if (i < 3) {
                assertEquals("tom", o.get("top").asText(), lines[i]);
                assertTrue(o.get("tom_pitch_hz").asDouble() > 40, lines[i]);
            }
        }
        assertArrayEquals(new String[] {"tom_high", "tom_low", "tom_mid", "kick"}, pads);
    }

    @Test
    void withoutKitATomHasItsClassButNoSize() throws Exception {
        CommandRun r = CommandRun.of(new ClassifyCommand(), CommandRun.fixture("tom_low.wav").toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith(CommandRun.fixture("tom_low.wav") + ": tom ("), r.out());
    }

    @Test
    void aSilentOrMissingFileIsReportedInOneLineAndExitsTwo(@TempDir Path dir) throws Exception {
        Path text = Files.writeString(dir.resolve("notes.wav"), "not audio");
        CommandRun r = CommandRun.of(new ClassifyCommand(), CommandRun.fixture("hit_kick.wav").toString(),
                text.toString(), dir.resolve("absent.wav").toString());
        assertEquals(2, r.exit());
        assertEquals(1, r.out().strip().split("\n").length, "the good file is still classified");
        String[] errs = r.err().strip().split("\n");
        assertEquals(2, errs.length, r.err());
        assertTrue(errs[0].startsWith("classify: ") && errs[0].contains("notes.wav: not a WAV, AIFF or FLAC file"), errs[0]);
        assertTrue(errs[1].contains("no such file"), errs[1]);
    }

    @Test
    void aModelsFolderWithoutModelsIsBadInput(@TempDir Path dir) throws Exception {
        CommandRun r = CommandRun.of(new ClassifyCommand(), "--models", dir.toString(),
                CommandRun.fixture("hit_kick.wav").toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().startsWith("classify: models unavailable: classifier.onnx: missing"), r.err());
        assertEquals(1, r.err().strip().split("\n").length);
    }

    @Test
    void noFileIsAUsageError() {
        assertEquals(2, CommandRun.of(new ClassifyCommand()).exit());
    }
}
