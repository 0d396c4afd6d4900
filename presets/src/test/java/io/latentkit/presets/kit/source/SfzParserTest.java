package io.latentkit.presets.kit.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The SFZ subset on inline text: opcodes, note names, inheritance, includes and their limits. */
class SfzParserTest {
    static final Path ROOT = Path.of("/kits/sfz");

    static ParsedKit parse(String text, Map<String, String> includes) throws KitFormatException {
        return SfzParser.parse(text, "t", ROOT, ROOT, p -> {
            String s = includes.get(ROOT.relativize(p).toString());
            if (s == null) {
                throw new IOException("no such file");
            }
            return s;
        });
    }

    @Test
    void noteNamesSamplePathsWithSpacesAndHeaderInheritance() throws Exception {
        ParsedKit k = parse("<control>default_path=Drum Samples/ // comment\n"
                + "<global> volume=-6\n<group> lovel=64\n<region> sample=Big Kick.wav key=c2 pan=100\n"
                + "<group>\n<region> sample=sub\\snare.flac lokey=d2 hikey=e2 tune=-100", Map.of());
        assertEquals(2, k.instruments().size());
        ParsedKit.Instrument kick = k.instruments().get(0);
        assertEquals(36, kick.gmNote(), "c2 = 36 (c4 = 60)");
        assertEquals(ROOT.resolve("Drum Samples/Big Kick.wav"), kick.layers().get(0).samples().get(0));
        assertEquals(64 / 127f, kick.layers().get(0).min(), 1e-6);
        assertEquals(Math.pow(10, -6 / 20.0), kick.layers().get(0).gain(), 1e-5, "global volume inherited");
        assertEquals(1f, kick.pan(), 1e-6);
        ParsedKit.Instrument snare = k.instruments().get(1);
        assertEquals(38, snare.gmNote(), "the first GM drum note of d2..e2");
        assertEquals(ROOT.resolve("Drum Samples/sub/snare.flac"), snare.layers().get(0).samples().get(0));
        assertEquals(0f, snare.layers().get(0).min(), "a new group resets lovel");
        // pitch_keycenter defaults to 60 for lokey/hikey regions: played at 38 is 22 semitones down, then tune.
        assertEquals(-23f, snare.layers().get(0).pitch(), 1e-5);
    }

    @Test
    void includesAreInlinedAndBoundedAndMayNotEscapeTheKitFolder() throws Exception {
        ParsedKit k = parse("#include \"inc/a.sfz\"", Map.of("inc/a.sfz", "<region> key=38 sample=s.wav"));
        assertEquals(38, k.instruments().get(0).gmNote());
        KitFormatException out = assertThrows(KitFormatException.class, () -> parse("#include \"../../etc/x.sfz\"", Map.of()));
        assertTrue(out.getMessage().contains("outside"), out.getMessage());
        KitFormatException loop = assertThrows(KitFormatException.class,
                () -> parse("#include \"a.sfz\"", Map.of("a.sfz", "#include \"a.sfz\"")));
        assertTrue(loop.getMessage().contains("nested"), loop.getMessage());
    }

    @Test
    void aSampleOutsideTheKitFolderIsSkippedWithAWarning() throws Exception {
        ParsedKit k = parse("<region> key=36 sample=../../../etc/passwd\n<region> key=38 sample=ok.wav", Map.of());
        assertEquals(1, k.instruments().size());
        assertTrue(k.warnings().stream().anyMatch(w -> w.contains("refused")), k.warnings().toString());
    }

    @Test
    void textWithNoUsableRegionIsAFormatError() {
        assertThrows(KitFormatException.class, () -> parse("", Map.of()));
        assertThrows(KitFormatException.class, () -> parse("<region> key=36", Map.of()));
        assertThrows(KitFormatException.class, () -> parse("<region key=36 sample=x.wav", Map.of()));
    }
}
