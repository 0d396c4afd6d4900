package io.latentkit.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Pad;
import io.latentkit.extract.eval.Groove;
import io.latentkit.extract.eval.GrooveRender;
import io.latentkit.models.Models;
import io.latentkit.presets.LibraryFolder;
import io.latentkit.presets.kit.KitLibrary;
import io.latentkit.presets.kit.KitManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A drum played both loud and soft gives its pad velocity layers (softest first, each a hit of
 * the recording at its own level, the chosen hit among them), the runners-up are kept as
 * alternates, both reach the written kit, and the progress a long extraction reports only grows
 * and ends at 1. Real engine render of a hydrogen kit, real models, real kit writer.
 */
class LayersAndAlternatesTest {
    static final Path DRUMKITS = Path.of(System.getProperty("latentkit.hydrogen.drumkits",
            "/usr/share/hydrogen/data/drumkits"));
    static final int RATE = 48_000;

    @TempDir
    static Path dir;

    static Models models;
    static Kit kit;

    @BeforeAll
    static void load() throws Exception {
        if (!Files.isDirectory(DRUMKITS)) {
            fail("Debian package hydrogen-drumkits is not installed: " + DRUMKITS + " is missing");
        }
        models = Models.loadDefault();
        assertTrue(models.isAvailable(), models.unavailableReason().orElse(""));
        KitLibrary lib = new KitLibrary(new LibraryFolder(dir.resolve("source-kits")));
        lib.importKit(DRUMKITS.resolve("ColomboAcousticDrumkit"), "colombo");
        kit = lib.load("colombo", RATE);
    }

    @AfterAll
    static void close() {
        models.close();
    }

    /** Kicks on the beat and snares between, every other bar 18 dB softer, 0.5 s apart. */
    static Groove loudAndSoft() {
        List<Groove.Note> notes = new ArrayList<>();
        long beat = RATE / 2;
        for (int i = 0; i < 48; i++) {
            float v = (i / 4) % 2 == 0 ? 1.0f : 0.125f;
            notes.add(new Groove.Note(RATE / 4 + i * beat, i % 2 == 0 ? DrumClass.KICK : DrumClass.SNARE, v));
        }
        return new Groove(120, List.copyOf(notes));
    }

    @Test
    void aDrumPlayedLoudAndSoftGetsVelocityLayersAndItsRunnersUpStayAsAlternates() throws Exception {
        float[] mix = GrooveRender.render(kit, loudAndSoft(), GrooveRender.Room.DRY, 3);
        List<Double> progress = new ArrayList<>();
        Extraction e = new Extractor(models.classifier(), models.vae()).extract(
                List.of(new Recording("loud and soft", null, mix, RATE)), (stage, f) -> progress.add(f));

        PadChoice kick = e.pads().get(DrumClass.KICK);
        assertTrue(kick != null, "the kick pad is filled: " + e.pads().keySet());
        assertTrue(kick.layers().size() >= 2, "loud and soft kicks make layers: " + kick.layers().size());
        assertTrue(kick.layers().contains(kick.chosen()), "the chosen hit is one of the layers");
        for (int i = 1; i < kick.layers().size(); i++) {
            float lower = kick.layers().get(i - 1).peak();
            float upper = kick.layers().get(i).peak();
            assertTrue(Segmenter.db(upper / lower) >= KitChooser.LAYER_DB / 2,
                    "layers are softest first and levels apart: " + lower + " then " + upper);
        }
        assertTrue(Segmenter.db(kick.layers().get(kick.layers().size() - 1).peak() / kick.layers().get(0).peak()) > 12,
                "the layers span the loud and the soft kicks");
        int alternates = 0;
        for (PadChoice p : e.pads().values()) {
            alternates += p.alternates().size();
            for (Hit h : p.alternates()) {
                assertEquals(Hit.Status.ALTERNATE, h.status());
                assertEquals(p.pad(), h.pad());
                assertFalse(p.layers().contains(h), "an alternate is not also a layer");
            }
            for (Hit h : p.layers()) {
                assertEquals(h == p.chosen() ? Hit.Status.CHOSEN : Hit.Status.LAYER, h.status());
            }
        }
        assertTrue(alternates >= 1, "runners-up are kept");

        LibraryFolder kits = new LibraryFolder(dir.resolve("kits"));
        KitOutput.write(kits, "loud-and-soft", e, false);
        KitLibrary lib = new KitLibrary(kits);
        Kit written = lib.load("loud-and-soft", RATE);
        Pad pad = written.pad(DrumClass.KICK);
        assertEquals(kick.layers().size(), pad.layerCount(), "the written kick has the layers");
        KitManifest m = lib.manifest("loud-and-soft");
        assertEquals(alternates, m.alternates().size(), "the written kit keeps the alternates");

        assertFalse(progress.isEmpty(), "progress was reported");
        for (int i = 1; i < progress.size(); i++) {
            assertTrue(progress.get(i) >= progress.get(i - 1), "progress only grows: " + progress);
        }
        assertEquals(1.0, progress.get(progress.size() - 1), 1e-9, "progress ends at 1");
    }
}
