package io.latentkit.server.commands;

import io.latentkit.models.AudioFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateCommandTest {
    @Test
    void aRandomSoundIsWrittenAsA48kHzWavAndTheSeedReproducesIt(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.wav");
        Path b = dir.resolve("b.wav");
        CommandRun r = CommandRun.of(new GenerateCommand(), "--out", a.toString(), "--seed", "7");
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("seed 7"));
        AudioFileFormat f = AudioSystem.getAudioFileFormat(a.toFile());
        assertEquals(AudioFileFormat.Type.WAVE, f.getType());
        assertEquals(48000f, f.getFormat().getSampleRate());
        assertEquals(32768, f.getFrameLength());
        assertEquals(0, CommandRun.of(new GenerateCommand(), "--out", b.toString(), "--seed", "7").exit());
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
    }

    @Test
    void aWeightedCombinationWithANegativeWeightIsGenerated(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("mix.wav");
        CommandRun r = CommandRun.of(new GenerateCommand(), "--out", out.toString(),
                "--from", CommandRun.fixture("hit_kick.wav").toString(), CommandRun.fixture("hit_snare.wav").toString(),
                "--weights", "1", "-0.5", "--no-normalize", "--variance", "0.1", "--seed", "3");
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.size(out) > 60000);
    }

    @Test
    void weightsThatDoNotMatchTheSoundsAreBadUsage(@TempDir Path dir) throws Exception {
        CommandRun r = CommandRun.of(new GenerateCommand(), "--out", dir.resolve("x.wav").toString(),
                "--from", CommandRun.fixture("hit_kick.wav").toString(), "--weights", "1", "2");
        assertEquals(2, r.exit());
        assertEquals("generate: 2 weights for 1 --from sounds; give one weight per sound", r.err().strip());
        assertFalse(Files.exists(dir.resolve("x.wav")));
    }

    @Test
    void weightsSummingToZeroNeedNoNormalize(@TempDir Path dir) throws Exception {
        CommandRun r = CommandRun.of(new GenerateCommand(), "--out", dir.resolve("x.wav").toString(),
                "--from", CommandRun.fixture("hit_kick.wav").toString(), CommandRun.fixture("hit_snare.wav").toString(),
                "--weights", "1", "-1");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--no-normalize"), r.err());
    }

    @Test
    void aSilentSourceIsBadInput(@TempDir Path dir) throws Exception {
        Path silent = dir.resolve("silent.wav");
        AudioFiles.writeWav16(silent, new float[4800], 48000);
        CommandRun r = CommandRun.of(new GenerateCommand(), "--out", dir.resolve("x.wav").toString(),
                "--from", silent.toString());
        assertEquals(2, r.exit());
        assertTrue(r.err().strip().endsWith("silent: the peak level is below -80 dBFS"), r.err());
    }
}
