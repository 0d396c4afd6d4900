package io.latentkit.server.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.DefaultKit;
import io.latentkit.core.kit.Kit;
import io.latentkit.models.AudioFiles;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ListenCommandTest {
    private static final int SR = 48_000;

    @TempDir
    Path dir;

    @Test
    void printsOneJsonObjectPerHitWithTimeClassAndConfidence() throws Exception {
        Kit kit = DefaultKit.create(SR);
        DrumClass[] classes = {DrumClass.KICK, DrumClass.SNARE, DrumClass.HIHAT_CLOSED};
        float[] x = new float[SR * 3];
        for (int i = 0; i < classes.length; i++) {
            float[] s = kit.pad(classes[i]).pick(1f).left().clone();
            // The default kit's kick stops short at 0.6 s; faded, its end is no click (no onset).
            for (int j = 0; j < SR / 100; j++) {
                s[s.length - 1 - j] *= j / (float) (SR / 100);
            }
            for (int j = 0; j < s.length && SR / 2 + i * (SR * 3 / 4) + j < x.length; j++) {
                x[SR / 2 + i * (SR * 3 / 4) + j] += s[j];
            }
        }
        Path wav = dir.resolve("groove.wav");
        AudioFiles.writeWav16(wav, x, SR);

        CommandRun r = CommandRun.of(new ListenCommand(), wav.toString(), "--json", "--listen-latency-ms", "255");
        assertEquals(0, r.exit(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals(classes.length, lines.size(), r.out());
        ObjectMapper json = new ObjectMapper();
        for (int i = 0; i < classes.length; i++) {
            JsonNode o = json.readTree(lines.get(i));
            double expected = (SR / 2 + i * (SR * 3 / 4)) / (double) SR;
            assertEquals(expected, o.get("time").asDouble(), 0.001, lines.get(i));
            assertEquals(classes[i].oscName(), o.get("class").asText(), lines.get(i));
            double p = o.get("confidence").asDouble();
            assertTrue(p > 0 && p <= 1, lines.get(i));
            assertEquals(classes[i].pad(), o.get("pad").asInt());
        }
    }

    @Test
    void aFileThatIsNotSoundOrALatencyTooShortIsOneLineAndExitTwo() throws Exception {
        Path bad = Files.writeString(dir.resolve("notes.wav"), "not a wav");
        CommandRun r = CommandRun.of(new ListenCommand(), bad.toString());
        assertEquals(2, r.exit());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("listen: notes.wav: "), r.err());

        CommandRun shortLatency = CommandRun.of(new ListenCommand(), bad.toString(), "--listen-latency-ms", "5");
        assertEquals(2, shortLatency.exit());
        assertTrue(shortLatency.err().contains("--listen-latency-ms must be 20..1000"), shortLatency.err());
    }

    @Test
    void withAKitEachTomIsSizedAgainstThatKitsToms() throws Exception {
        // Three real toms (76, 104 and 123 Hz) as a library kit's tom pads, named by class.
        Path src = Files.createDirectories(dir.resolve("toms"));
        String[] names = {"tom_low", "tom_mid", "tom_high"};
        float[][] toms = new float[3][];
        for (int i = 0; i < 3; i++) {
            Files.copy(CommandRun.fixture(names[i] + ".wav"), src.resolve(names[i] + ".wav"));
            toms[i] = AudioFiles.readMono(src.resolve(names[i] + ".wav"), SR);
        }
        Path data = dir.resolve("data");
        assertEquals(0, KitCommand.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
                "import", src.toString(), "--name", "three toms", "--data", data.toString()));
        int[] order = {2, 0, 1, 1, 2, 0};
        int gap = SR * 6 / 10;
        float[] x = new float[(order.length + 1) * gap];
        for (int k = 0; k < order.length; k++) {
            for (int i = 0; i < Math.min(toms[order[k]].length, gap); i++) {
                x[SR / 4 + k * gap + i] += toms[order[k]][i];
            }
        }
        Path wav = dir.resolve("toms.wav");
        AudioFiles.writeWav16(wav, x, SR);

        CommandRun sized = CommandRun.of(new ListenCommand(), wav.toString(), "--json", "--listen-latency-ms", "255",
                "--kit", "three toms", "--data", data.toString());
        assertEquals(0, sized.exit(), sized.err());
        CommandRun unsized = CommandRun.of(new ListenCommand(), wav.toString(), "--json", "--listen-latency-ms", "255");
        assertEquals(0, unsized.exit(), unsized.err());
        ObjectMapper json = new ObjectMapper();
        int heardAsToms = 0;
        for (String line : sized.out().lines().toList()) {
            JsonNode o = json.readTree(line);
            int k = (int) Math.round((o.get("time").asDouble() * SR - SR / 4.0) / gap);
            String played = names[order[k]];
            if (o.get("class").asText().startsWith("tom_")) {
                heardAsToms++;
                assertEquals(played, o.get("class").asText(), line);
                assertEquals(DrumClass.fromName(played).pad(), o.get("pad").asInt(), line);
            }
        }
        assertTrue(heardAsToms >= 4, "hits heard as toms: " + heardAsToms + " of 6\n" + sized.out());
        assertTrue(unsized.out().lines().filter(l -> l.contains("\"tom_")).allMatch(l -> l.contains("\"tom_mid\"")),
                "without a kit every tom is the mid tom:\n" + unsized.out());

        CommandRun missing = CommandRun.of(new ListenCommand(), wav.toString(), "--kit", "no such kit",
                "--data", data.toString());
        assertEquals(2, missing.exit());
        assertEquals(1, missing.err().lines().count(), missing.err());
        assertTrue(missing.err().startsWith("listen: --kit no such kit: "), missing.err());
    }
}
