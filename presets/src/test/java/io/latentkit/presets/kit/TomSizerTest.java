package io.latentkit.presets.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.presets.LibraryFolder;
import io.latentkit.presets.kit.source.ParsedKit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kit import sizes toms by pitch rank, on real kits of Debian's {@code hydrogen-drumkits} (see
 * {@link HydrogenDrumkitsIntegrationTest} for where they come from; without the package these
 * tests fail, they do not skip).
 */
class TomSizerTest {
    @TempDir
    Path data;

    private KitManifest imported(String kit) throws Exception {
        KitLibrary lib = new KitLibrary(new LibraryFolder(data.resolve("kits")));
        return lib.importKit(HydrogenDrumkitsIntegrationTest.DRUMKITS.resolve(kit), "k").manifest();
    }

    private static double pitch(KitManifest m, String pad, String kit) throws Exception {
        KitManifest.Instrument in = m.pads().get(pad);
        assertNotNull(in, pad + " is filled");
        for (ParsedKit.Instrument p : KitImporter.parse(HydrogenDrumkitsIntegrationTest.DRUMKITS.resolve(kit))
                .instruments()) {
            if (p.name().equals(in.name())) {
                return TomSizer.pitchHz(p);
            }
        }
        throw new AssertionError("no instrument " + in.name());
    }

    /** Three toms named "Floor", "2" and "1": by name two are mid and one is lost to the alternates. */
    @Test
    void threeTomsWhoseNamesGiveNoSizeFillTheThreeTomPadsInOrderOfPitch() throws Exception {
        String kit = "The Black Pearl 1.0";
        KitManifest m = imported(kit);
        double low = pitch(m, "tom_low", kit);
        double mid = pitch(m, "tom_mid", kit);
        double high = pitch(m, "tom_high", kit);
        assertTrue(low < mid && mid < high, low + " < " + mid + " < " + high);
        assertEquals("Pearl Tom Floor", m.pads().get("tom_low").name(), "the floor tom is the lowest");
        for (KitManifest.Instrument alt : m.alternates()) {
            assertTrue(!alt.name().contains("Tom"), "no tom is left off the pads: " + alt.name());
        }
    }

    @Test
    void twoTomsAreLowAndHigh() throws Exception {
        String kit = "BJA_Pacific";
        KitManifest m = imported(kit);
        assertEquals("Floor Tom", m.pads().get("tom_low").name());
        assertEquals("Tom", m.pads().get("tom_high").name());
        assertTrue(pitch(m, "tom_low", kit) < pitch(m, "tom_high", kit));
    }

    /**
     * On kits whose names give every tom a size, the names stand; where the pitch rank disagrees
     * (it does on VariBreaks and rumpf_kit_z01_h2), the import says so.
     */
    @Test
    void onKitsWhoseNamesGiveEveryTomASizeTheNamesStandAndADisagreeingRankIsAWarning() throws Exception {
        List<String> disagreements = new ArrayList<>();
        for (String kit : new String[] {"Audiophob", "ForzeeStereo", "Millo-Drums_v.1", "Millo_MultiLayered2",
            "Millo_MultiLayered3", "VariBreaks", "rumpf_kit_z01_h2"}) {
            data = data.resolve("x");
            KitManifest m = imported(kit);
            for (String w : m.warnings()) {
                if (w.contains("as its name says")) {
                    disagreements.add(kit);
                }
            }
            assertTrue(m.pads().get("tom_low").name().matches("(?i).*\\b(low|b3)\\b.*"), kit + ": " + m.pads().get("tom_low").name());
            assertTrue(m.pads().get("tom_mid").name().matches("(?i).*\\b(mid|middle)\\b.*"), kit + ": " + m.pads().get("tom_mid").name());
            assertTrue(m.pads().get("tom_high").name().matches("(?i).*\\b(hi|high)\\b.*"), kit + ": " + m.pads().get("tom_high").name());
        }
        assertTrue(disagreements.contains("VariBreaks"), disagreements.toString());
    }
}
