package io.latentkit.server.commands;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Kit;
import io.latentkit.extract.eval.Groove;
import io.latentkit.extract.eval.GrooveRender;
import io.latentkit.models.AudioFiles;
import io.latentkit.presets.DataFolder;
import io.latentkit.presets.kit.KitLibrary;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code latentkit extract} end to end: a rendered groove becomes a kit in the library with its
 * report; a corrupt, a silent and a hit-less recording each get a one-line refusal, exit 2, and
 * write nothing.
 */
class ExtractCommandTest {
    static final Path DRUMKITS = Path.of(System.getProperty("latentkit.hydrogen.drumkits",
            "/usr/share/hydrogen/data/drumkits"));
    static final int RATE = 48_000;

    @TempDir
    Path dir;

    @Test
    void aGrooveBecomesAKitInTheLibraryWithItsReport() throws Exception {
        Path data = dir.resolve("data");
        Path wav = dir.resolve("groove.wav");
        AudioFiles.writeWav16(wav, groove(dir), RATE);
        Path report = dir.resolve("report");
        CommandRun r = CommandRun.of(new ExtractCommand(), wav.toString(), "--out-kit", "my groove", "--report",
                report.toString(), "--data", data.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("extracted kit 'my groove' (latentkit) from 1 recording"), r.out());
        assertEquals(List.of("my groove"), new KitLibrary(new DataFolder(data)).list());
        CommandRun list = CommandRun.of(new KitCommand(), "list", "--data", data.toString());
        assertTrue(list.out().startsWith("my groove  extraction"), list.out());

        JsonNode json = new ObjectMapper().readTree(report.resolve("report.json").toFile());
        assertEquals("my groove", json.get("kit").asText());
        assertTrue(json.get("hits").size() >= 20, "every hit is reported");
        int chosen = 0;
        for (JsonNode h : json.get("hits")) {
            assertTrue(h.has("onset_s") && h.has("status"));
            chosen += h.get("status").asText().equals("chosen") ? 1 : 0;
            if (h.get("status").asText().equals("rejected")) {
                assertFalse(h.get("reason").asText().isBlank(), "a rejection says why");
            }
        }
        assertEquals(json.get("pads").size(), chosen, "one chosen hit per pad");
        for (String png : List.of("waveform.png", "pads.png", "latent.png")) {
            BufferedImage img = ImageIO.read(report.resolve(png).toFile());
            assertTrue(img.getWidth() >= 800, png);
        }
        CommandRun again = CommandRun.of(new ExtractCommand(), wav.toString(), "--out-kit", "my groove",
                "--data", data.toString());
        assertEquals(2, again.exit());
        assertTrue(again.err().contains("already exists"), again.err());
    }

    @Test
    void corruptSilentAndHitlessRecordingsAreRefusedInOneLineAndWriteNothing() throws Exception {
        Path data = dir.resolve("data");
        Path corrupt = dir.resolve("corrupt.wav");
        byte[] junk = new byte[4096];
        new Random(5).nextBytes(junk);
        junk[0] = 'R';
        junk[1] = 'I';
        junk[2] = 'F';
        junk[3] = 'F';
        Files.write(corrupt, junk);
        Path silent = dir.resolve("silent.wav");
        AudioFiles.writeWav16(silent, new float[3 * RATE], RATE);
        // A hum that fades in over a second and holds: sound, but no hit.
        float[] hum = new float[4 * RATE];
        for (int i = 0; i < hum.length; i++) {
            hum[i] = (float) (Math.min(1.0, i / (double) RATE) * 0.3 * Math.sin(2 * Math.PI * 110 * i / RATE));
        }
        Path hitless = dir.resolve("hum.wav");
        AudioFiles.writeWav16(hitless, hum, RATE);
        Path report = dir.resolve("report");
        for (Path p : List.of(corrupt, silent, hitless)) {
            CommandRun r = CommandRun.of(new ExtractCommand(), p.toString(), "--out-kit", "k", "--report",
                    report.toString(), "--data", data.toString());
            assertEquals(2, r.exit(), p + ": " + r.err());
            assertEquals(1, r.err().lines().count(), "one line: " + r.err());
            assertTrue(r.err().startsWith("latentkit extract: "), r.err());
            System.out.println(p.getFileName() + " -> " + r.err().strip());
        }
        assertTrue(new KitLibrary(new DataFolder(data)).list().isEmpty(), "no kit written");
        assertFalse(Files.exists(report), "no report written");
        try (Stream<Path> s = Files.list(data.resolve("kits"))) {
            assertEquals(0, s.count(), "nothing left in the kit folder");
        }
    }

    /** An 8-bar groove of a hydrogen kit through the engine, mono. */
    static float[] groove(Path dir) throws Exception {
        KitLibrary lib = new KitLibrary(new DataFolder(dir.resolve("source")));
        lib.importKit(DRUMKITS.resolve("ColomboAcousticDrumkit"), "colombo");
        Kit kit = lib.load("colombo", RATE);
        Groove g = Groove.generate(11, 100, 8, 0.0, EnumSet.of(DrumClass.KICK, DrumClass.SNARE, DrumClass.HIHAT_CLOSED),
                RATE);
        return GrooveRender.render(kit, g, GrooveRender.Room.DRY, 2);
    }
}
