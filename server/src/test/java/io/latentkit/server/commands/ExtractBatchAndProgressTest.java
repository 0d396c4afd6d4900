package io.latentkit.server.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.models.AudioFiles;
import io.latentkit.presets.DataFolder;
import io.latentkit.presets.kit.KitLibrary;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code latentkit extract --batch}: every recording of a folder becomes a kit of its own on two
 * threads, a hit-less one is reported with its reason (exit 2) while the others go on, and each
 * kit gets its report folder; and the terminal progress bar redraws one line in place, only
 * forward, and clears it at the end (silent when stderr is not a terminal).
 */
class ExtractBatchAndProgressTest {
    static final int RATE = 48_000;

    @TempDir
    Path dir;

    @Test
    void aBatchExtractsEachRecordingIntoItsOwnKitAndReportsTheOneThatFails() throws Exception {
        Path takes = Files.createDirectories(dir.resolve("takes"));
        float[] groove = ExtractCommandTest.groove(dir);
        AudioFiles.writeWav16(takes.resolve("one.wav"), groove, RATE);
        AudioFiles.writeWav16(takes.resolve("two.wav"), Arrays.copyOfRange(groove, RATE * 3, groove.length), RATE);
        AudioFiles.writeWav16(takes.resolve("silence.wav"), new float[2 * RATE], RATE);
        Files.writeString(takes.resolve("notes.txt"), "not a recording");
        Path data = dir.resolve("data");
        Path report = dir.resolve("reports");
        CommandRun r = CommandRun.of(new ExtractCommand(), "--batch", takes.toString(), "--out-kit", "jam-",
                "--threads", "2", "--report", report.toString(), "--data", data.toString());
        assertEquals(2, r.exit(), r.out() + r.err());
        assertEquals(List.of("jam-one", "jam-two"), new KitLibrary(new DataFolder(data)).list().stream().sorted().toList());
        assertTrue(r.out().contains("2 of 3 recordings extracted on 2 threads"), r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("latentkit extract: silence.wav: no usable hits"), r.err());
        for (String kit : List.of("jam-one", "jam-two")) {
            assertTrue(Files.isRegularFile(report.resolve(kit).resolve("report.json")), kit + " has its report");
        }
        assertTrue(!Files.exists(report.resolve("jam-silence")), "no report for the failed recording");
    }

    @Test
    void theProgressBarRedrawsOneLineOnlyForwardAndClearsIt() {
        StringWriter text = new StringWriter();
        ExtractCommand.ProgressBar bar = new ExtractCommand.ProgressBar(new PrintWriter(text), true);
        bar.at("classify", 0.0);
        bar.at("classify", 0.004);
        bar.at("classify", 0.42);
        bar.at("embed", 0.9);
        bar.at("choose", 1.0);
        bar.finish();
        String s = text.toString();
        assertTrue(!s.contains("\n"), "one line, redrawn with carriage returns: " + s);
        Matcher m = Pattern.compile("\\[([#.]{30})\\] (\\d+)% (\\w+)").matcher(s);
        int last = -1;
        int draws = 0;
        while (m.find()) {
            int pct = Integer.parseInt(m.group(2));
            assertTrue(pct > last, "forward only: " + s);
            assertEquals(pct * 30 / 100, m.group(1).chars().filter(c -> c == '#').count(), "bar length at " + pct + "%");
            last = pct;
            draws++;
        }
        assertEquals(4, draws, "0.4% rounds to a 0% already drawn: " + s);
        assertEquals(100, last);
        assertTrue(s.endsWith("\r"), "the line is cleared at the end");

        StringWriter quiet = new StringWriter();
        ExtractCommand.ProgressBar off = new ExtractCommand.ProgressBar(new PrintWriter(quiet), false);
        off.at("classify", 0.5);
        off.finish();
        assertEquals("", quiet.toString(), "no bar when stderr is not a terminal");
    }
}
