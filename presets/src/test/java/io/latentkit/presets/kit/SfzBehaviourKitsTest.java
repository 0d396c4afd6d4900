package io.latentkit.presets.kit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.DrumClass;
import io.latentkit.core.audio.AudioDecoder;
import io.latentkit.core.audio.DecodedAudio;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Pad;
import io.latentkit.core.kit.PadParam;
import io.latentkit.core.kit.Sample;
import io.latentkit.core.kit.Strike;
import io.latentkit.core.kit.VelocityLayer;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.OfflineRender;
import io.latentkit.engine.control.EngineClock;
import io.latentkit.presets.Fixtures;
import io.latentkit.presets.LibraryException;
import io.latentkit.presets.LibraryFolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The SFZ behaviour kits (test resources {@code kits/sfz-behaviours/}, one folder per behaviour
 * of issue 21 and the sfizz behaviours of issue 12) import, load at 48 kHz and render through the
 * real engine, offline, exactly as a kit built here by hand from the SFZ text's own numbers: the
 * expected samples on the expected pads, at the expected gain (dB and percent worked out here),
 * pitch (semitones baked in by the band-limited resampler, as a kit load does) and pan. Both
 * channels are compared sample for sample with {@code assertArrayEquals}, no tolerance.
 */
class SfzBehaviourKitsTest {
    static final int RATE = 48_000;

    @TempDir
    Path data;

    static Path kit(String name) {
        return Fixtures.kit("sfz-behaviours/" + name);
    }

    KitLibrary library() {
        return new KitLibrary(new LibraryFolder(data.resolve("kits")));
    }

    /** Imports {@code src} and loads it at 48 kHz. */
    Kit imported(Path src, String name) throws LibraryException {
        library().importKit(src, name);
        return library().load(name, RATE);
    }

    // ---- the expected kit, built by hand ----

    /** A sample file at {@code gainDb}, {@code pitch} semitones and pan offset {@code pan}. */
    record Part(Path file, double gain, double pitch, float pan) {
    }

    static Part part(Path file, double gainDb, double pitch, double pan) {
        return new Part(file, Math.pow(10, gainDb / 20), pitch, (float) pan);
    }

    static Part part(Path file) {
        return part(file, 0, 0, 0);
    }

    static Strike strike(Part... parts) {
        Sample[] s = new Sample[parts.length];
        float[] pans = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            s[i] = sample(parts[i]);
            pans[i] = parts[i].pan();
        }
        return new Strike(s, pans);
    }

    /**
     * The file decoded, pitched by reading it as if recorded at {@code rate * 2^(pitch/12)} and
     * resampling to 48 kHz, and scaled by its gain.
     */
    static Sample sample(Part p) {
        DecodedAudio a;
        try {
            a = AudioDecoder.decode(p.file());
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        int from = (int) Math.round(a.sampleRateHz() * Math.pow(2, p.pitch() / 12));
        float[][] ch = new float[a.channelCount()][];
        for (int c = 0; c < ch.length; c++) {
            ch[c] = a.channel(c);
        }
        Sample s = (from == a.sampleRateHz() ? a : new DecodedAudio(ch, from)).toSample(p.file().toString(), RATE);
        float g = (float) p.gain();
        return g == 1f ? s : s.scaled(g);
    }

    static Kit expected(Pad... pads) {
        Pad[] all = new Pad[DrumClass.COUNT];
        for (int i = 0; i < all.length; i++) {
            all[i] = new Pad(DrumClass.ofPad(i));
        }
        for (Pad p : pads) {
            all[p.drumClass().ordinal()] = p;
        }
        return new Kit("expected", RATE, all);
    }

    static Pad pad(DrumClass c, Part... parts) {
        return new Pad(c, VelocityLayer.cycling(0f, 1f, strike(parts)));
    }

    record Hit(DrumClass pad, float velocity, long frame) {
    }

    static Hit hit(DrumClass pad, long frame) {
        return new Hit(pad, 1f, frame);
    }

    static float[][] render(Kit kit, int frames, Hit... hits) {
        Engine e = Engine.create(EngineConfig.defaults(), kit, EngineClock.fixed(0, RATE));
        for (Hit h : hits) {
            assertTrue(e.proxy().trigger(h.pad().pad(), h.velocity(), h.frame()));
        }
        return OfflineRender.render(e, frames);
    }

    /** Both kits render the same hits to the same samples, both channels, and not to silence. */
    static void assertPlaysLike(Kit expected, Kit imported, int frames, Hit... hits) {
        float[][] want = render(expected, frames, hits);
        float[][] got = render(imported, frames, hits);
        assertTrue(peak(want[0]) > 0.01f || peak(want[1]) > 0.01f, "the expected render is not silence");
        assertArrayEquals(want[0], got[0], "left channel, sample for sample");
        assertArrayEquals(want[1], got[1], "right channel, sample for sample");
    }

    static float peak(float[] x) {
        float p = 0;
        for (float v : x) {
            p = Math.max(p, Math.abs(v));
        }
        return p;
    }

    // ---- one test per behaviour ----

    @Test
    void aProgramsAndSamplesLibraryImportsFromItsFolderAndRefusesOnlyTheEscape() throws Exception {
        Path lib = kit("library-layout");
        KitImporter.Result r = library().importKit(lib, "library");
        assertEquals(List.of("kick", "snare", "hihat_closed"), r.filledPads());
        assertTrue(r.manifest().warnings().stream().anyMatch(w -> w.contains("'../../escape-target.wav' refused: outside"
                + " the kit folder")), r.manifest().warnings().toString());
        Path samples = lib.resolve("Samples");
        assertPlaysLike(expected(pad(DrumClass.KICK, part(samples.resolve("kick.wav"))),
                pad(DrumClass.SNARE, part(samples.resolve("snare.wav"))),
                pad(DrumClass.HIHAT_CLOSED, part(samples.resolve("hat.wav")))), library().load("library", RATE), 6_000,
                hit(DrumClass.KICK, 0), hit(DrumClass.SNARE, 2_000), hit(DrumClass.HIHAT_CLOSED, 4_000),
                hit(DrumClass.CRASH, 5_000));
    }

    @Test
    void theSfzFileAloneNamesTheSamplesItRefusesAndWhyAndARootAdmitsThem() throws Exception {
        Path sfz = kit("library-layout").resolve("Programs/kit.sfz");
        LibraryException e = assertThrows(LibraryException.class, () -> library().importKit(sfz, "alone"));
        assertEquals(LibraryException.Kind.BAD_INPUT, e.kind());
        assertEquals(1, e.getMessage().lines().count());
        assertEquals("SFZ file has no region with a usable sample (samples may not leave the imported folder Programs:"
                + " import the folder above it, or give --root): 4 samples refused: outside the kit folder:"
                + " '../Samples/kick.wav', '../Samples/snare.wav', '../Samples/hat.wav', '../../escape-target.wav'",
                e.getMessage());
        assertFalse(library().list().contains("alone"));

        KitImporter.Result r = library().importKit(sfz, "rooted", new KitImporter.Options(kit("library-layout"), false));
        assertEquals(List.of("kick", "snare", "hihat_closed"), r.filledPads());
        LibraryException outside = assertThrows(LibraryException.class, () -> library().importKit(sfz, "x",
                new KitImporter.Options(kit("layers"), false)));
        assertTrue(outside.getMessage().contains("does not hold"), outside.getMessage());
    }

    @Test
    void regionsOnOneKeyAndVelocityAreLayersThatSoundTogetherWithTheirOwnVolumeTuneAndPan() throws Exception {
        Path dir = kit("layers");
        Kit kit = imported(dir.resolve("kit.sfz"), "layers");
        assertEquals(1, kit.pad(DrumClass.SNARE).layer(0).roundRobinCount(), "no round robin");
        assertEquals(2, kit.pad(DrumClass.SNARE).layer(0).strike(0).count(), "two samples per hit");
        // volume=-3 pan=-20; volume=-12 tune=-100 pan=40 (the room file is stereo at 44.1 kHz).
        assertPlaysLike(expected(pad(DrumClass.SNARE, part(dir.resolve("snare_close.wav"), -3, 0, -0.2),
                part(dir.resolve("snare_room.wav"), -12, -1, 0.4))), kit, 4_000, hit(DrumClass.SNARE, 100));
    }

    @Test
    void roundRobinAlternativesKeepTheirOwnVolumeTuneAndPan() throws Exception {
        Path dir = kit("round-robin");
        Kit kit = imported(dir.resolve("kit.sfz"), "rr");
        Pad tom = new Pad(DrumClass.TOM_MID, VelocityLayer.cycling(0f, 1f,
                strike(part(dir.resolve("tom_a.wav"), -6, 0, 0)),
                strike(part(dir.resolve("tom_b.wav"), 0, 2, -0.5)),
                // amplitude=50: half the level.
                strike(new Part(dir.resolve("tom_c.wav"), 0.5, 0, 0.5f))));
        assertPlaysLike(expected(tom), kit, 8_000, hit(DrumClass.TOM_MID, 0), hit(DrumClass.TOM_MID, 2_000),
                hit(DrumClass.TOM_MID, 4_000), hit(DrumClass.TOM_MID, 6_000));
    }

    @Test
    void velocityLayersShareTheLayerThatCoversEveryVelocity() throws Exception {
        Path dir = kit("velocity");
        Kit kit = imported(dir.resolve("kit.sfz"), "velocity");
        Pad kick = new Pad(DrumClass.KICK,
                VelocityLayer.cycling(0f, 63 / 127f, strike(part(dir.resolve("kick_soft.wav")),
                        part(dir.resolve("kick_sub.wav"), -6, 0, 0))),
                VelocityLayer.cycling(64 / 127f, 1f, strike(part(dir.resolve("kick_hard.wav")),
                        part(dir.resolve("kick_sub.wav"), -6, 0, 0))));
        assertPlaysLike(expected(kick), kit, 4_000, new Hit(DrumClass.KICK, 0.3f, 0), new Hit(DrumClass.KICK, 0.9f, 2_000));
    }

    @Test
    void aNewControlHeaderResetsTheDefaultPath() throws Exception {
        Path dir = kit("control-reset");
        assertPlaysLike(expected(pad(DrumClass.KICK, part(dir.resolve("Kicks/kick.wav"))),
                pad(DrumClass.SNARE, part(dir.resolve("snare.wav")))), imported(dir, "reset"), 4_000,
                hit(DrumClass.KICK, 0), hit(DrumClass.SNARE, 2_000));
    }

    @Test
    void definesExpandNestedShortestFirstAndAfterOtherTextOnALine() throws Exception {
        Path dir = kit("defines");
        assertPlaysLike(expected(pad(DrumClass.KICK, part(dir.resolve("kickdef.wav"))),
                pad(DrumClass.SNARE, part(dir.resolve("snare.wav"))),
                pad(DrumClass.HIHAT_CLOSED, part(dir.resolve("cymbals/hat.wav"), -6, 0, 0))), imported(dir, "defines"),
                6_000, hit(DrumClass.KICK, 0), hit(DrumClass.SNARE, 2_000), hit(DrumClass.HIHAT_CLOSED, 4_000));
    }

    @Test
    void variablesExpandInsideIncludePaths() throws Exception {
        Path dir = kit("dollar-include");
        assertPlaysLike(expected(pad(DrumClass.KICK, part(dir.resolve("kick.wav")))),
                imported(dir.resolve("main.sfz"), "dollar"), 2_000, hit(DrumClass.KICK, 0));
        LibraryException two = assertThrows(LibraryException.class, () -> library().importKit(dir, "folder"));
        assertTrue(two.getMessage().startsWith("folder holds 2 SFZ files (dollar_include_drums.sfz, main.sfz)"),
                two.getMessage());
    }

    @Test
    void anIncludeLoopIsRefusedInOneLineAndNothingIsWritten() throws Exception {
        LibraryException e = assertThrows(LibraryException.class,
                () -> library().importKit(kit("include-loop").resolve("a.sfz"), "loop"));
        assertEquals(LibraryException.Kind.BAD_INPUT, e.kind());
        assertEquals("SFZ #include loop: \"a.sfz\" is already being read", e.getMessage());
        assertEquals(List.of(), library().list());
        try (var s = Files.list(data.resolve("kits"))) {
            assertEquals(0, s.count(), "no staging folder is left behind");
        }
    }

    @Test
    void samplePathsResolveWithoutRegardToCaseAsWindowsKitsNeed() throws Exception {
        Path dir = kit("case-insensitive").resolve("samples");
        assertPlaysLike(expected(pad(DrumClass.KICK, part(dir.resolve("kick.wav"))),
                pad(DrumClass.SNARE, part(dir.resolve("snare.wav"))),
                pad(DrumClass.HIHAT_CLOSED, part(dir.resolve("hihat.wav")))), imported(kit("case-insensitive"), "case"),
                6_000, hit(DrumClass.KICK, 0), hit(DrumClass.SNARE, 2_000), hit(DrumClass.HIHAT_CLOSED, 4_000));
    }

    @Test
    void aWholeKeyboardRegionPlaysAtItsNaturalPitchOnItsPad() throws Exception {
        Path dir = kit("whole-keyboard");
        assertPlaysLike(expected(pad(DrumClass.CLAP, part(dir.resolve("clap.wav")))), imported(dir, "whole"), 2_000,
                hit(DrumClass.CLAP, 0));
    }

    @Test
    void octaveAndNoteOffsetsMoveKeysAndKeyCentres() throws Exception {
        Path dir = kit("offsets");
        assertPlaysLike(expected(pad(DrumClass.KICK, part(dir.resolve("a.wav"))),
                pad(DrumClass.SNARE, part(dir.resolve("b.wav"))),
                pad(DrumClass.HIHAT_CLOSED, part(dir.resolve("c.wav"), 0, -2, 0))), imported(dir, "offsets"), 6_000,
                hit(DrumClass.KICK, 0), hit(DrumClass.SNARE, 2_000), hit(DrumClass.HIHAT_CLOSED, 4_000));
    }

    @Test
    void offByKeepsDistinctGroupsTheClosedHatTurnsTheOpenHatOffAndNothingElse() throws Exception {
        Path dir = kit("hats");
        KitImporter.Result r = library().importKit(dir, "hats");
        assertEquals("hat_pedal (key 44)", r.manifest().alternates().get(0).name(), "the pedal hat is an alternate");
        Kit kit = library().load("hats", RATE);
        Pad closed = pad(DrumClass.HIHAT_CLOSED, part(dir.resolve("hat_closed.wav")));
        closed.set(PadParam.CHOKE, 1);
        closed.offBy(0);
        Pad open = pad(DrumClass.HIHAT_OPEN, part(dir.resolve("hat_open.wav")));
        open.offBy(1);
        Hit[] hits = {hit(DrumClass.HIHAT_OPEN, 0), hit(DrumClass.HIHAT_CLOSED, 500), hit(DrumClass.HIHAT_OPEN, 2_000),
            hit(DrumClass.HIHAT_OPEN, 2_300), hit(DrumClass.HIHAT_CLOSED, 4_000), hit(DrumClass.HIHAT_CLOSED, 4_300)};
        assertPlaysLike(expected(closed, open), kit, 6_000, hits);
        // The choke matters in this sequence: without it the render differs.
        Kit unchoked = expected(pad(DrumClass.HIHAT_CLOSED, part(dir.resolve("hat_closed.wav"))),
                pad(DrumClass.HIHAT_OPEN, part(dir.resolve("hat_open.wav"))));
        assertFalse(Arrays.equals(render(unchoked, 6_000, hits)[0], render(kit, 6_000, hits)[0]));
    }

    @Test
    void lorandAndHirandDrawAlternativesAtRandomWithTheirOwnOpcodes() throws Exception {
        Path dir = kit("random");
        Kit kit = imported(dir, "random");
        assertTrue(kit.pad(DrumClass.CLAP).layer(0).isRandom());
        Pad clap = new Pad(DrumClass.CLAP, VelocityLayer.random(0f, 1f,
                new float[] {(float) (0.5 - 0.0), (float) (0.8 - 0.5), (float) (1.0 - 0.8)},
                strike(part(dir.resolve("clap1.wav"))), strike(part(dir.resolve("clap2.wav"), -6, 0, 0)),
                strike(part(dir.resolve("clap3.wav"), 0, 1, 0))));
        List<Hit> hits = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            hits.add(hit(DrumClass.CLAP, i * 1_500L));
        }
        assertPlaysLike(expected(clap), kit, 61_000, hits.toArray(new Hit[0]));
    }

    @Test
    void embeddedSampleDataIsSkippedToTheNextHeaderWithOneWarning() throws Exception {
        Path dir = kit("embedded");
        KitImporter.Result r = library().importKit(dir, "embedded");
        assertEquals(List.of("kick", "hihat_closed"), r.filledPads());
        List<String> w = r.manifest().warnings();
        assertEquals(2, w.size(), w.toString());
        assertTrue(w.get(0).contains("embedded sample data") && w.get(1).contains("'snare_embedded.wav' refused"),
                w.toString());
        assertTrue(Files.size(r.folder().resolve(KitLibrary.MANIFEST)) < 4_000, "no base64 in kit.json");
        assertPlaysLike(expected(pad(DrumClass.KICK, part(dir.resolve("kick.wav"))),
                pad(DrumClass.HIHAT_CLOSED, part(dir.resolve("hat.wav")))), library().load("embedded", RATE), 4_000,
                hit(DrumClass.KICK, 0), hit(DrumClass.HIHAT_CLOSED, 2_000));
    }

    @Test
    void classNamesWrittenAsOneWordFindTheirPads() throws Exception {
        Path dir = kit("one-word-names");
        KitManifest m = library().importKit(dir, "words").manifest();
        assertEquals("closedhat (key 36)", m.pads().get("hihat_closed").name(), "not the kick pad");
        assertEquals("openhat (key 37)", m.pads().get("hihat_open").name());
        assertEquals("kickdrum (key 35)", m.pads().get("kick").name());
        assertNull(m.pads().get("rim"));
        assertPlaysLike(expected(pad(DrumClass.HIHAT_CLOSED, part(dir.resolve("closedhat.wav"))),
                pad(DrumClass.HIHAT_OPEN, part(dir.resolve("openhat.wav"))),
                pad(DrumClass.KICK, part(dir.resolve("kickdrum.wav")))), library().load("words", RATE), 6_000,
                hit(DrumClass.HIHAT_CLOSED, 0), hit(DrumClass.HIHAT_OPEN, 2_000), hit(DrumClass.KICK, 4_000));
    }
}
