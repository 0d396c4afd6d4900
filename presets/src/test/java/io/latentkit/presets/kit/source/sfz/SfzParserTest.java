package io.latentkit.presets.kit.source.sfz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.presets.kit.source.KitFormatException;
import io.latentkit.presets.kit.source.ParsedKit;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The SFZ reading on inline text (no files): the preprocessor as sfizz has it, header
 * inheritance, typed opcodes, and how regions become instruments, layers, strikes and round robin.
 */
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

    static ParsedKit parse(String text) throws KitFormatException {
        return parse(text, Map.of());
    }

    /** The file names a layer's strikes play, one list per strike. */
    static List<List<String>> strikes(ParsedKit.Layer l) {
        return l.strikes().stream().map(s -> s.parts().stream().map(p -> p.sample().getFileName().toString()).toList())
                .toList();
    }

    static ParsedKit.Instrument only(ParsedKit k) {
        assertEquals(1, k.instruments().size(), k.instruments().toString());
        return k.instruments().get(0);
    }

    @Test
    void noteNamesSamplePathsWithSpacesAndHeaderInheritance() throws Exception {
        ParsedKit k = parse("<control>default_path=Drum Samples/ // comment\n"
                + "<global> volume=-6\n<group> lovel=64\n<region> sample=Big Kick.wav key=c2 pan=100\n"
                + "<group>\n<region> sample=sub\\snare.flac lokey=d2 hikey=e2 tune=-100");
        assertEquals(2, k.instruments().size());
        ParsedKit.Instrument kick = k.instruments().get(0);
        assertEquals(36, kick.gmNote(), "c2 = 36 (c4 = 60)");
        ParsedKit.Part kickPart = kick.layers().get(0).strikes().get(0).parts().get(0);
        assertEquals(ROOT.resolve("Drum Samples/Big Kick.wav"), kickPart.sample());
        assertEquals(64 / 127f, kick.layers().get(0).min(), 1e-6);
        assertEquals(Math.pow(10, -6 / 20.0), kickPart.gain(), 1e-6, "global volume inherited");
        assertEquals(1f, kickPart.pan(), 1e-6, "the region's own pan");
        ParsedKit.Instrument snare = k.instruments().get(1);
        assertEquals(38, snare.gmNote(), "the first GM drum note of d2..e2");
        ParsedKit.Part snarePart = snare.layers().get(0).strikes().get(0).parts().get(0);
        assertEquals(ROOT.resolve("Drum Samples/sub/snare.flac"), snarePart.sample());
        assertEquals(0f, snare.layers().get(0).min(), "a new group resets lovel");
        // Key centre 60 is outside d2..e2: played at 38 it is 22 semitones down, then the tune.
        assertEquals(-23f, snarePart.pitch(), 1e-5);
    }

    @Test
    void includesAreInlinedAndBoundedAndMayNotEscapeTheKitFolderAndLoopsAreRefused() throws Exception {
        ParsedKit k = parse("#include \"inc/a.sfz\"", Map.of("inc/a.sfz", "<region> key=38 sample=s.wav"));
        assertEquals(38, only(k).gmNote());
        KitFormatException out = assertThrows(KitFormatException.class, () -> parse("#include \"../../etc/x.sfz\""));
        assertTrue(out.getMessage().contains("outside"), out.getMessage());
        KitFormatException loop = assertThrows(KitFormatException.class,
                () -> parse("#include \"a.sfz\"", Map.of("a.sfz", "#include \"b.sfz\"", "b.sfz", "#include \"a.sfz\"")));
        assertEquals("SFZ #include loop: \"a.sfz\" is already being read", loop.getMessage());
        // The same file twice, one after the other, is no loop.
        ParsedKit twice = parse("#include \"r.sfz\"\n#include \"r.sfz\"", Map.of("r.sfz", "<region> key=36 sample=k.wav"));
        assertEquals(List.of(List.of("k.wav", "k.wav")), strikes(only(twice).layers().get(0)));
    }

    @Test
    void definesExpandInsideIncludePathsAsSfizzDollarIncludeDoes() throws Exception {
        ParsedKit k = parse("#define $foo dollar\n#define $bar sine\n#include \"$foo_include_$bar.sfz\"",
                Map.of("dollar_include_sine.sfz", "<region> key=36 sample=kick.wav"));
        assertEquals(ROOT.resolve("kick.wav"), only(k).layers().get(0).samples().get(0));
    }

    @Test
    void definesPickTheShortestNameExpandNestedAndMayFollowOtherTextOnALine() throws Exception {
        ParsedKit k = parse("#define $abc foo\n#define $abcdef bar\n"
                + "#define $B $A-baz\n#define $A bar\n"
                + "<region> key=36 sample=$abcdef.wav\n"
                + "<region> key=38 sample=$B.wav\n"
                + "<region>#define $c toto key=40 sample=$c.wav #define $d x\n"
                + "#define $KeyCrash2Edge 52 // Crash 2 edge\n#define $KeyCrash2 57\n"
                + "<region> key=$KeyCrash2Edge sample=crash.wav");
        assertEquals(4, k.instruments().size(), k.instruments().toString());
        assertEquals("foodef.wav", k.instruments().get(0).layers().get(0).samples().get(0).getFileName().toString(),
                "$abc is the shortest match, as in sfizz and Sforzando");
        assertEquals("bar-baz.wav", k.instruments().get(1).layers().get(0).samples().get(0).getFileName().toString(),
                "nested definitions expand fully, whatever their order");
        assertEquals("toto.wav", k.instruments().get(2).layers().get(0).samples().get(0).getFileName().toString(),
                "a #define after a header on one line");
        assertEquals(57, k.instruments().get(3).gmNote(), "$KeyCrash2Edge is $KeyCrash2 + 'Edge': key=57Edge reads 57");
    }

    @Test
    void aDefineThatExpandsIntoItselfStopsWithAWarning() throws Exception {
        // $HATDIR starts with $HAT, so the shortest match expands $HAT again and again, as it would in sfizz.
        ParsedKit k = parse("#define $HAT $HATDIR/hat\n#define $HATDIR cymbals\n<region> key=42 sample=$HAT.wav");
        assertTrue(k.warnings().contains("SFZ: $-variables expand without end; expansion stopped"), k.warnings().toString());
        assertTrue(only(k).layers().get(0).samples().get(0).toString().length() < 2_000);
    }

    @Test
    void aNewControlHeaderResetsTheDefaultPathAndBackslashesAreFolders() throws Exception {
        ParsedKit k = parse("<control> default_path=Sub\\Path\\\n<region> key=36 sample=a.wav\n"
                + "<control>\n<region> key=38 sample=b.wav\n"
                + "<control> default_path=x/y\n<region> key=40 sample=z.wav");
        assertEquals(ROOT.resolve("Sub/Path/a.wav"), k.instruments().get(0).layers().get(0).samples().get(0));
        assertEquals(ROOT.resolve("b.wav"), k.instruments().get(1).layers().get(0).samples().get(0));
        assertEquals(ROOT.resolve("x/yz.wav"), k.instruments().get(2).layers().get(0).samples().get(0),
                "default_path is a plain prefix");
    }

    @Test
    void regionsOnOneKeyAndVelocityWithoutSequenceAreLayersThatKeepTheirOwnGainPitchAndPan() throws Exception {
        ParsedKit.Instrument snare = only(parse("<group> key=38\n"
                + "<region> sample=close.wav volume=-3 pan=-20\n<region> sample=room.wav volume=-12 tune=10 pan=30"));
        assertEquals(1, snare.layers().size());
        ParsedKit.Layer l = snare.layers().get(0);
        assertEquals(List.of(List.of("close.wav", "room.wav")), strikes(l), "one strike: both sound together");
        List<ParsedKit.Part> parts = l.strikes().get(0).parts();
        assertEquals(Math.pow(10, -3 / 20.0), parts.get(0).gain(), 1e-6);
        assertEquals(Math.pow(10, -12 / 20.0), parts.get(1).gain(), 1e-6);
        assertEquals(0f, parts.get(0).pitch());
        assertEquals(0.1f, parts.get(1).pitch(), 1e-6);
        assertEquals(-0.2f, parts.get(0).pan(), 1e-6);
        assertEquals(0.3f, parts.get(1).pan(), 1e-6);
    }

    @Test
    void roundRobinAlternativesKeepTheirOwnOpcodesAndLayersJoinEveryPosition() throws Exception {
        ParsedKit.Instrument tom = only(parse("<group> key=45 seq_length=2\n"
                + "<region> seq_position=1 sample=a1.wav volume=-6\n<region> seq_position=2 sample=a2.wav tune=-50 pan=50\n"
                + "<region> seq_length=1 sample=room.wav"));
        ParsedKit.Layer l = tom.layers().get(0);
        assertFalse(l.random());
        assertEquals(List.of(List.of("a1.wav", "room.wav"), List.of("a2.wav", "room.wav")), strikes(l));
        assertEquals(Math.pow(10, -6 / 20.0), l.strikes().get(0).parts().get(0).gain(), 1e-6);
        assertEquals(1f, l.strikes().get(1).parts().get(0).gain());
        assertEquals(-0.5f, l.strikes().get(1).parts().get(0).pitch(), 1e-6);
        assertEquals(0.5f, l.strikes().get(1).parts().get(0).pan(), 1e-6);
    }

    @Test
    void overlappingVelocityRangesSplitIntoLayersThatShareTheRegionsCoveringThem() throws Exception {
        ParsedKit.Instrument kick = only(parse("<group> key=36\n<region> lovel=1 hivel=63 sample=soft.wav\n"
                + "<region> lovel=64 hivel=127 sample=hard.wav\n<region> sample=sub.wav"));
        assertEquals(2, kick.layers().size());
        assertEquals(List.of(List.of("soft.wav", "sub.wav")), strikes(kick.layers().get(0)));
        assertEquals(List.of(List.of("hard.wav", "sub.wav")), strikes(kick.layers().get(1)));
        assertEquals(0f, kick.layers().get(0).min());
        assertEquals(63 / 127f, kick.layers().get(0).max(), 1e-6);
        assertEquals(64 / 127f, kick.layers().get(1).min(), 1e-6);
        assertEquals(1f, kick.layers().get(1).max());
    }

    @Test
    void lorandAndHirandMakeARandomLayerWithTheirChances() throws Exception {
        ParsedKit.Layer l = only(parse("<group> key=42\n<region> hirand=0.25 sample=r1.wav\n"
                + "<region> lorand=0.25 hirand=0.5 sample=r2.wav\n<region> lorand=0.5 sample=r3.wav")).layers().get(0);
        assertTrue(l.random());
        assertEquals(List.of(List.of("r1.wav"), List.of("r2.wav"), List.of("r3.wav")), strikes(l));
        assertEquals(0.25f, l.strikes().get(0).chance(), 1e-6);
        assertEquals(0.25f, l.strikes().get(1).chance(), 1e-6);
        assertEquals(0.5f, l.strikes().get(2).chance(), 1e-6);
    }

    @Test
    void aWholeKeyboardRegionPlaysAtItsNaturalPitchAndAKeyRangeAtItsKeyCentre() throws Exception {
        ParsedKit.Instrument whole = only(parse("<region> sample=hit.wav"));
        assertEquals(0f, whole.layers().get(0).strikes().get(0).parts().get(0).pitch(), "not two octaves down");
        ParsedKit.Instrument ranged = only(parse("<region> lokey=12 hikey=22 pitch_keycenter=21 sample=pizz.wav"));
        assertEquals(0f, ranged.layers().get(0).strikes().get(0).parts().get(0).pitch());
        ParsedKit.Instrument tracked = only(parse("<region> lokey=36 hikey=36 pitch_keycenter=48 sample=k.wav"));
        assertEquals(-12f, tracked.layers().get(0).strikes().get(0).parts().get(0).pitch(), 1e-6,
                "a key away from the centre is pitched as sfizz pitches it");
        ParsedKit.Instrument flat = only(parse("<region> key=36 pitch_keycenter=48 pitch_keytrack=0 sample=k.wav"));
        assertEquals(0f, flat.layers().get(0).strikes().get(0).parts().get(0).pitch());
    }

    @Test
    void octaveAndNoteOffsetsMoveKeysButNotPitch() throws Exception {
        ParsedKit.Instrument k = only(parse("<control> octave_offset=1 note_offset=-2\n<region> key=26 sample=k.wav"));
        assertEquals(36, k.gmNote(), "26 + 12 - 2");
        assertEquals(0f, k.layers().get(0).strikes().get(0).parts().get(0).pitch());
    }

    @Test
    void offByKeepsDistinctGroupsWithADirection() throws Exception {
        ParsedKit k = parse("<region> key=42 group=2 sample=closed.wav\n<region> key=44 group=2 sample=pedal.wav\n"
                + "<region> key=46 group=1 off_by=2 sample=open.wav\n<region> key=36 sample=kick.wav");
        ParsedKit.Instrument closed = k.instruments().get(1);
        ParsedKit.Instrument pedal = k.instruments().get(2);
        ParsedKit.Instrument open = k.instruments().get(3);
        ParsedKit.Instrument kick = k.instruments().get(0);
        assertEquals(1, closed.choke(), "group 2 turns something off: it chokes");
        assertEquals(1, pedal.choke());
        assertEquals(0, closed.offBy(), "nothing turns the closed hat off: it does not choke the pedal");
        assertEquals(0, open.choke(), "group 1 turns nothing off");
        assertEquals(1, open.offBy(), "the open hat is turned off by group 2");
        assertEquals(0, kick.choke());
        assertEquals(0, kick.offBy());
    }

    @Test
    void embeddedSampleDataIsReadToTheNextHeaderAndReportedOnce() throws Exception {
        StringBuilder b64 = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            b64.append("UklGRtBnAQBXQVZFZm10IBAAAAABAAEARKwAAIhYAQACABAAUEFE /* x */ // y\n");
        }
        ParsedKit k = parse("<region> key=36 sample=kick_embedded.wav\n<sample> name=kick_embedded.wav\n base64data="
                + b64 + "<region> key=38 sample=snare.wav");
        assertEquals(38, only(k).gmNote());
        assertTrue(k.warnings().size() <= 3, k.warnings().toString());
        assertTrue(k.warnings().stream().allMatch(w -> w.length() < 200), k.warnings().toString());
        assertTrue(k.refused().get(0).contains("embedded"), k.refused().toString());
    }

    @Test
    void releaseAndGeneratorRegionsAreSkippedWithOneCountedWarningEach() throws Exception {
        ParsedKit k = parse("<region> key=36 sample=k.wav\n<region> key=36 trigger=release sample=r.wav\n"
                + "<region> key=36 trigger=release sample=r2.wav\n<region> key=37 sample=*sine");
        assertEquals(List.of(List.of("k.wav")), strikes(only(k).layers().get(0)));
        assertTrue(k.warnings().contains("SFZ: 2 region(s) with a release or legato trigger (a pad hit plays attack"
                + " regions) skipped"), k.warnings().toString());
        assertTrue(k.warnings().stream().anyMatch(w -> w.contains("1 region(s) with a generated sound")));
    }

    @Test
    void aSampleOutsideTheKitFolderIsRefusedWithItsReason() throws Exception {
        ParsedKit k = parse("<region> key=36 sample=../../../etc/passwd\n<region> key=38 sample=ok.wav");
        assertEquals(1, k.instruments().size());
        assertTrue(k.warnings().stream().anyMatch(w -> w.contains("refused")), k.warnings().toString());
        assertTrue(k.refused().get(0).startsWith("'../../../etc/passwd': outside the kit folder"), k.refused().toString());
        KitFormatException none = assertThrows(KitFormatException.class,
                () -> parse("<region> key=36 sample=..\\..\\Samples\\kick.wav"));
        assertEquals("SFZ file has no region with a usable sample (samples may not leave the imported folder sfz:"
                + " import the folder above it, or give --root): 1 sample refused: outside the kit folder:"
                + " '../../Samples/kick.wav'", none.getMessage());
        assertEquals(1, none.getMessage().lines().count());
    }

    @Test
    void aFileOfGeneratedSoundsOnlySaysWhyNothingImports() {
        KitFormatException e = assertThrows(KitFormatException.class,
                () -> parse("<region> sample=*sine\n<region> key=36 trigger=release sample=r.wav"));
        assertEquals("SFZ file has no region with a usable sample (1 region(s) with a release or legato trigger"
                + " (a pad hit plays attack regions) skipped; 1 region(s) with a generated sound (sample=*sine and the"
                + " like) skipped)", e.getMessage());
    }

    @Test
    void textWithNoUsableRegionIsAFormatError() {
        assertThrows(KitFormatException.class, () -> parse(""));
        assertThrows(KitFormatException.class, () -> parse("<region> key=36"));
        assertThrows(KitFormatException.class, () -> parse("<region key=36 sample=x.wav"));
    }

    @Test
    void valuesAreReadAsSfizzReadsThem() {
        assertEquals(60, SfzValues.note("c4"));
        assertEquals(61, SfzValues.note("C#4"));
        assertEquals(58, SfzValues.note("bb3"));
        assertEquals(0, SfzValues.note("c-1"));
        assertEquals(57, SfzValues.note("57Edge"));
        assertEquals(-1, SfzValues.note("-1"));
        assertNull(SfzValues.note("h4"));
        assertNull(SfzValues.note("200"));
        assertEquals(-12.5, SfzValues.number("-12.5dB"));
        assertEquals(1000.0, SfzValues.number("1e3"));
        assertEquals(1.0, SfzValues.number("1edge"));
        assertNull(SfzValues.number("loud"));
    }
}
