package io.latentkit.server.commands;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.DrumClass;
import io.latentkit.engine.sequence.Pattern;
import io.latentkit.presets.DataFolder;
import io.latentkit.presets.pattern.PatternCodec;
import io.latentkit.presets.pattern.PatternStore;
import io.latentkit.presets.preset.Preset;
import io.latentkit.presets.preset.PresetStore;
import io.latentkit.server.Main;
import io.latentkit.server.PresetActions;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;

/** {@code latentkit render}: offline bounces of presets and patterns, bit-identical run to run. */
class RenderCommandTest {
    @TempDir
    Path dir;

    private DataFolder data() throws Exception {
        DataFolder d = new DataFolder(dir.resolve("home")).create();
        Pattern groove = new Pattern();
        for (int t = 0; t < 128; t += 16) {
            groove.set(DrumClass.HIHAT_CLOSED.pad(), t, 0.6f);
        }
        groove.set(DrumClass.KICK.pad(), 0, 1f).set(DrumClass.SNARE.pad(), 64, 0.9f);
        new PatternStore(d.patterns()).save("groove", groove);
        Preset p = Preset.defaults().withTempo(150).withExtension(PresetActions.PATTERN_EXTENSION,
                PatternCodec.toObject(new Pattern().set(DrumClass.CLAP.pad(), 32, 1f)));
        new PresetStore(d.presets()).save("set", p);
        new PresetStore(d.presets()).save("old", Preset.defaults().withTempo(90)); // no pattern: an older preset
        return d;
    }

    private static float[] samples(Path wav) throws Exception {
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(wav)).order(ByteOrder.LITTLE_ENDIAN);
        b.position(44);
        float[] x = new float[b.remaining() / 4];
        b.asFloatBuffer().get(x);
        return x;
    }

    @Test
    void aPresetAndPatternBounceIsBitIdenticalRunToRunAndAsLongAsItsBars() throws Exception {
        DataFolder d = data();
        Path a = dir.resolve("a.wav");
        Path b = dir.resolve("b.wav");
        for (Path out : new Path[] {a, b}) {
            CommandRun r = CommandRun.of(new Main(), "render", "--preset", "set", "--pattern", "groove", "--bars", "3",
                    "--out", out.toString(), "--data", d.root().toString());
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().startsWith("wrote " + out + ": 3 bars"), r.out());
        }
        assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
        float[] x = samples(a);
        // 3 bars at the preset's 150 BPM: 3 * 4 * 19,200 frames, rounded up to whole blocks, stereo.
        assertEquals(230_400 * 2, x.length);
        assertTrue(x[0] != 0f, "the groove's kick on the first frame");
    }

    @Test
    void aPresetsOwnPatternPlaysAndAnOlderPresetWithoutOneRendersSilence() throws Exception {
        DataFolder d = data();
        Path out = dir.resolve("set.wav");
        assertEquals(0, CommandRun.of(new Main(), "render", "--preset", "set", "--bars", "1", "--out", out.toString(),
                "--data", d.root().toString()).exit());
        float[] x = samples(out);
        int first = 0;
        while (first < x.length && x[first] == 0f) {
            first++;
        }
        assertEquals(2 * 32 * 600, first, "the clap at tick 32: one beat (19,200 frames) at 150 BPM, stereo index");
        Path old = dir.resolve("old.wav");
        CommandRun r = CommandRun.of(new Main(), "render", "--preset", "old", "--bars", "1", "--out", old.toString(),
                "--data", d.root().toString());
        assertEquals(0, r.exit(), r.err());
        for (float v : samples(old)) {
            assertEquals(0f, v);
        }
    }

    /** Runs the command line as {@code bin/latentkit} does (its exit codes and one-line errors). */
    private static CommandRun main(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream saved = System.err;
        System.setErr(new PrintStream(err, true));
        try {
            int code = Main.run(args);
            return new CommandRun(code, "", err.toString());
        } finally {
            System.setErr(saved);
        }
    }

    @Test
    void badInputGetsOneLineAndExitTwo() throws Exception {
        DataFolder d = data();
        String out = dir.resolve("x.wav").toString();
        CommandRun r = main("render", "--out", out);
        assertEquals(2, r.exit());
        assertEquals("latentkit: nothing to render: give --preset NAME, --pattern NAME or --control FILE", r.err().strip());
        r = main("render", "--pattern", "nope", "--out", out, "--data", d.root().toString());
        assertEquals(2, r.exit());
        assertEquals("latentkit: no pattern named 'nope'", r.err().strip());
        Path notALog = dir.resolve("log.jsonl");
        Files.writeString(notALog, "{\"format\":\"something\"}\n");
        r = main("render", "--control", notALog.toString(), "--out", out);
        assertEquals(2, r.exit());
        assertEquals("latentkit: " + notALog + " is not a latentkit control log (version 1)", r.err().strip());
        r = main("render", "--control", notALog.toString(), "--pattern", "groove", "--out", out);
        assertEquals(2, r.exit());
        assertTrue(r.err().lines().count() == 1, r.err());
    }
}
