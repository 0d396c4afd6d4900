package io.latentkit.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Kit;
import io.latentkit.models.Models;
import io.latentkit.presets.LibraryFolder;
import io.latentkit.presets.kit.KitLibrary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classifier hears only "tom": a recording of three toms of a real kit (Debian's
 * hydrogen-drumkits) extracts into three tom pads, each holding a hit of the tom played there,
 * found by splitting the tom hits into drums by pitch and ranking them.
 */
class TomExtractionTest {
    static final int RATE = 48_000;

    @TempDir
    static Path dir;

    static Models models;

    @BeforeAll
    static void load() {
        if (!Files.isDirectory(GrooveExtractionTest.DRUMKITS)) {
            fail("Debian package hydrogen-drumkits is not installed: " + GrooveExtractionTest.DRUMKITS + " is missing");
        }
        models = Models.loadDefault();
        assertTrue(models.isAvailable(), models.unavailableReason().orElse(""));
    }

    @AfterAll
    static void close() {
        models.close();
    }

    /**
     * A recording of a real kit's toms (and a kick and a snare), each struck six times at levels
     * from full to a quarter, one hit every half second in an interleaved order.
     */
    @Test
    void threeTomsOfARealKitLandOnTheirOwnTomPadsInOrderOfPitch() throws Exception {
        KitLibrary lib = new KitLibrary(new LibraryFolder(dir.resolve("source-kits")));
        lib.importKit(GrooveExtractionTest.DRUMKITS.resolve("Millo-Drums_v.1"), "millo");
        Kit kit = lib.load("millo", RATE);
        DrumClass[] order = {DrumClass.TOM_LOW, DrumClass.KICK, DrumClass.TOM_HIGH, DrumClass.TOM_MID, DrumClass.SNARE};
        float[] velocities = {1f, 0.85f, 0.7f, 0.55f, 0.4f, 0.25f};
        int gap = RATE / 2;
        float[] mix = new float[(order.length * velocities.length + 2) * gap];
        List<Long> onsets = new ArrayList<>();
        List<DrumClass> played = new ArrayList<>();
        int at = gap / 4;
        for (float v : velocities) {
            for (DrumClass c : order) {
                float[] x = kit.pad(c).pick(v).left();
                for (int i = 0; i < Math.min(x.length, gap); i++) {
                    mix[at + i] += v * x[i];
                }
                onsets.add((long) at);
                played.add(c);
                at += gap;
            }
        }
        Extraction e = new Extractor(models.classifier(), models.vae()).extract(
                List.of(new Recording("toms", null, mix, RATE)), Progress.NONE);
        long tolerance = RATE / 50;
        List<String> wrong = new ArrayList<>();
        int tomPads = 0;
        for (DrumClass pad : new DrumClass[] {DrumClass.TOM_LOW, DrumClass.TOM_MID, DrumClass.TOM_HIGH}) {
            PadChoice p = e.pads().get(pad);
            if (p == null) {
                continue;
            }
            tomPads++;
            DrumClass hit = null;
            for (int i = 0; i < onsets.size(); i++) {
                if (Math.abs(onsets.get(i) - p.chosen().onset()) <= tolerance) {
                    hit = played.get(i);
                }
            }
            if (hit != pad) {
                wrong.add(pad.oscName() + " holds a hit of " + hit);
            }
        }
        assertEquals(3, tomPads, "tom pads filled: " + e.pads().keySet());
        assertEquals(List.of(), wrong);
    }
}
