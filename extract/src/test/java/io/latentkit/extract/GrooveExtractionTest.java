package io.latentkit.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Kit;
import io.latentkit.extract.eval.Groove;
import io.latentkit.extract.eval.GrooveRender;
import io.latentkit.extract.eval.Scoring;
import io.latentkit.models.Models;
import io.latentkit.presets.LibraryFolder;
import io.latentkit.presets.kit.KitLibrary;
import io.latentkit.presets.kit.KitManifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A groove with known hits, rendered through the real engine from a kit of Debian's
 * hydrogen-drumkits (a training kit), extracts into a kit whose pads hold hits of the right class:
 * each chosen hit's onset is compared with the score. Real models, real kit writer.
 */
class GrooveExtractionTest {
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

    static Set<DrumClass> classes(Kit k) {
        Set<DrumClass> s = EnumSet.noneOf(DrumClass.class);
        for (DrumClass c : DrumClass.values()) {
            if (!k.pad(c).isEmpty()) {
                s.add(c);
            }
        }
        return s;
    }

    @Test
    void aRenderedGrooveExtractsAKitWhosePadsHoldHitsOfTheRightClass() throws Exception {
        Groove g = Groove.generate(7, 110, 8, 0.0, EnumSet.of(DrumClass.KICK, DrumClass.SNARE, DrumClass.HIHAT_CLOSED,
                DrumClass.CRASH, DrumClass.TOM_LOW, DrumClass.TOM_HIGH), RATE);
        float[] mix = GrooveRender.render(kit, g, GrooveRender.Room.DRY, 1);
        Extraction e = new Extractor(models.classifier(), models.vae()).extract(
                List.of(new Recording("groove", null, mix, RATE)), Progress.NONE);
        long[] truth = GrooveRender.trueOnsets(kit, g);
        Scoring.Onsets on = Scoring.onsets(Scoring.events(truth, RATE), Scoring.detected(e), 20, RATE);
        Scoring.Pads pads = Scoring.pads(e, g, truth, 20, RATE);
        System.out.printf("onsets %s f1 %.3f; pads %s%n", on, on.f1(), pads);
        for (PadChoice p : e.pads().values()) {
            System.out.printf("  %s <- %.3f s (%s %.2f) layers %d alts %d%n", p.pad().oscName(),
                    p.chosen().onset() / (double) RATE, p.chosen().drumClass(), p.chosen().confidence(),
                    p.layers().size(), p.alternates().size());
        }
        System.out.println("rejected: " + Extractor.reasons(e.hits()));
        assertTrue(on.f1() >= 0.9, "onset F1 " + on.f1());
        assertTrue(pads.filled() >= 3, "pads filled: " + pads);
        assertTrue(pads.strict() >= pads.filled() - 1, "pads of the right class: " + pads);

        LibraryFolder kits = new LibraryFolder(dir.resolve("kits"));
        KitOutput.write(kits, "from-groove", e, false);
        KitLibrary lib = new KitLibrary(kits);
        assertEquals(List.of("from-groove"), lib.list());
        KitManifest m = lib.manifest("from-groove");
        assertEquals("extraction", m.source().type());
        Kit loaded = lib.load("from-groove", RATE);
        for (DrumClass c : e.pads().keySet()) {
            assertTrue(!loaded.pad(c).isEmpty(), c + " is filled in the written kit");
        }
    }
}
