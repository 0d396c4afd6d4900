package io.latentkit.presets.kit;

import io.latentkit.presets.Fixtures;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.DrumClass;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.PadParam;
import io.latentkit.presets.LibraryException;
import io.latentkit.presets.LibraryFolder;
import io.latentkit.presets.OfflineEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The committed fixture kits (test resources {@code kits/}: tiny SoX-made decaying sines whose
 * frequency identifies the file, 0.12 s each) import into a library, load at 48 kHz and play through the real
 * engine: each pad sounds its own file, velocity layers and round robin choose the right one.
 */
class KitImportTest {
    static final int RATE = 48_000;

    @TempDir
    Path data;

    static Path fixture(String name) {
        return Fixtures.kit(name);
    }

    KitLibrary library() {
        return new KitLibrary(new LibraryFolder(data.resolve("kits")));
    }

    /** Hits one pad and returns the dominant frequency of what the engine plays. */
    static double playedHz(Kit kit, DrumClass c, float velocity) {
        OfflineEngine e = new OfflineEngine(kit);
        e.engine.proxy().trigger(c.pad(), velocity, EngineProxy.ASAP);
        float[][] out = e.render(RATE / 10);
        return OfflineEngine.zeroCrossingHz(out[0], 0, out[0].length, RATE);
    }

    static double playedRms(Kit kit, DrumClass c) {
        OfflineEngine e = new OfflineEngine(kit);
        e.engine.proxy().trigger(c.pad(), 1f, EngineProxy.ASAP);
        float[][] out = e.render(RATE / 25);
        return Math.max(OfflineEngine.rms(out[0], 0, out[0].length), OfflineEngine.rms(out[1], 0, out[1].length));
    }

    @Test
    void hydrogenKitWithFlacAndWavLayersImportsAndPlaysItsPads() throws Exception {
        KitLibrary lib = library();
        KitImporter.Result r = lib.importKit(fixture("hydrogen-mini"), "h2 mini");
        assertEquals(List.of("h2 mini"), lib.list());
        KitManifest m = r.manifest();
        assertEquals("Kick", m.pads().get("kick").name(), "the plain kick beats 'Kick 2'");
        assertEquals("Snare", m.pads().get("snare").name());
        assertEquals("Closed HH", m.pads().get("hihat_closed").name());
        assertEquals("Open HH", m.pads().get("hihat_open").name());
        assertEquals("Mystery", m.pads().get("perc").name(), "an unknown name falls back to perc");
        assertNull(m.pads().get("ride"));
        assertTrue(m.alternates().stream().anyMatch(i -> i.name().equals("Kick 2") && i.drumClass().equals("kick")));
        assertTrue(m.warnings().stream().anyMatch(w -> w.contains("Escape") && w.contains("refused")), m.warnings().toString());
        // Only the samples it uses were copied; nothing escapes the kit's folder.
        try (var s = Files.list(r.folder().resolve("samples"))) {
            assertEquals(8, s.count());
        }

        Kit kit = lib.load("h2 mini", RATE);
        assertEquals(RATE, kit.sampleRateHz());
        assertEquals(2, kit.pad(DrumClass.KICK).layerCount());
        assertEquals(1, kit.pad(DrumClass.SNARE).layerCount());
        assertEquals(2, kit.pad(DrumClass.SNARE).layer(0).roundRobinCount(), "same range: round robin");
        assertEquals(0.8f, kit.pad(DrumClass.KICK).get(PadParam.GAIN), 1e-6);
        assertEquals(-0.5f, kit.pad(DrumClass.KICK).get(PadParam.PAN), 1e-6);
        int choke = (int) kit.pad(DrumClass.HIHAT_CLOSED).get(PadParam.CHOKE);
        assertNotEquals(0, choke, "mute group becomes a choke group");
        assertEquals(choke, (int) kit.pad(DrumClass.HIHAT_OPEN).get(PadParam.CHOKE));
        assertEquals(0, (int) kit.pad(DrumClass.KICK).get(PadParam.CHOKE));
        assertTrue(kit.pad(DrumClass.RIDE).isEmpty());

        assertEquals(100, playedHz(kit, DrumClass.KICK, 0.3f), 5, "soft layer (FLAC)");
        assertEquals(150, playedHz(kit, DrumClass.KICK, 0.9f), 5, "hard layer (WAV, stereo 44.1 kHz)");
        assertEquals(3000, playedHz(kit, DrumClass.HIHAT_CLOSED, 1f), 60);
        assertEquals(2500, playedHz(kit, DrumClass.HIHAT_OPEN, 1f), 60);
        assertEquals(700, playedHz(kit, DrumClass.PERC, 1f), 15);
        assertEquals(0, playedRms(kit, DrumClass.RIDE), 0.0, "an empty pad is silent");
        assertTrue(playedRms(kit, DrumClass.SNARE) > 0.01);
    }

    @Test
    void roundRobinAlternatesHitByHitInTheEngine() throws Exception {
        Kit kit = library().importKit(fixture("hydrogen-mini"), "rr").manifest() != null ? library().load("rr", RATE) : null;
        assertNotNull(kit);
        OfflineEngine e = new OfflineEngine(kit);
        double[] hz = new double[2];
        for (int i = 0; i < 2; i++) {
            e.engine.proxy().trigger(DrumClass.SNARE.pad(), 1f, EngineProxy.ASAP);
            float[][] out = e.render(RATE / 5);
            hz[i] = OfflineEngine.zeroCrossingHz(out[0], 0, RATE / 10, RATE);
        }
        assertEquals(300, hz[0], 8);
        assertEquals(350, hz[1], 8);
    }

    @Test
    void sfzKitImportsWithIncludeLayersRoundRobinAndChokeAndListsUnsupportedOpcodesOnce() throws Exception {
        KitLibrary lib = library();
        KitManifest m = lib.importKit(fixture("sfz-mini").resolve("kit.sfz"), "sfz mini").manifest();
        List<String> unsupported = m.warnings().stream().filter(w -> w.contains("unsupported opcodes")).toList();
        assertEquals(1, unsupported.size(), m.warnings().toString());
        assertEquals("SFZ: unsupported opcodes ignored: amp_veltrack, ampeg_release, loop_mode", unsupported.get(0));
        Kit kit = lib.load("sfz mini", RATE);
        assertEquals(1, kit.pad(DrumClass.KICK).layerCount(), "the release-trigger region is not a hit");
        assertEquals(2, kit.pad(DrumClass.SNARE).layerCount());
        assertEquals(2, kit.pad(DrumClass.SNARE).layer(0).roundRobinCount());
        assertTrue(kit.pad(DrumClass.SNARE).layer(0).sample(0).name().endsWith("snare_soft_1.flac"),
                "seq_position orders the round robin");
        int choke = (int) kit.pad(DrumClass.HIHAT_CLOSED).get(PadParam.CHOKE);
        assertNotEquals(0, choke, "the closed hat's group turns the open hat off");
        assertEquals(choke, kit.pad(DrumClass.HIHAT_OPEN).offByGroup(), "off_by=2: the open hat is turned off by it");
        assertEquals(0, (int) kit.pad(DrumClass.HIHAT_OPEN).get(PadParam.CHOKE), "group 1 turns nothing off");
        assertFalse(kit.pad(DrumClass.HIHAT_CLOSED).chokesItself(), "nothing turns the closed hat off");
        assertEquals(-0.5f, kit.pad(DrumClass.HIHAT_OPEN).layer(0).strike(0).pan(0), 1e-6, "the region's own pan");
        assertEquals(110, playedHz(kit, DrumClass.KICK, 1f), 5);
        assertEquals(2800, playedHz(kit, DrumClass.HIHAT_CLOSED, 1f), 60, "from the #include");
        // tune=50 cents on the hard layer: 330 Hz * 2^(50/1200).
        assertEquals(330 * Math.pow(2, 50 / 1200.0), playedHz(kit, DrumClass.SNARE, 1f), 6);
        // A fresh load: the pad's round-robin position has moved on in this one.
        assertEquals(310, playedHz(lib.load("sfz mini", RATE), DrumClass.SNARE, 0.2f), 6);
        // volume=-6 dB on the kick is baked into its sample.
        float peak = 0;
        for (float v : kit.pad(DrumClass.KICK).layer(0).sample(0).left()) {
            peak = Math.max(peak, Math.abs(v));
        }
        assertEquals(0.8 * Math.pow(10, -6 / 20.0), peak, 0.03);
    }

    @Test
    void folderKitTakesClassesFromFileAndFolderNames() throws Exception {
        KitLibrary lib = library();
        KitManifest m = lib.importKit(fixture("folder-mini"), "folder mini").manifest();
        assertNotNull(m.pads().get("kick"), "Kick/001.wav: class from the folder name");
        assertNotNull(m.pads().get("clap"));
        assertNotNull(m.pads().get("crash"));
        Kit kit = lib.load("folder mini", RATE);
        assertEquals(2, kit.pad(DrumClass.SNARE).layer(0).roundRobinCount(), "snare1, snare2: round robin");
        assertTrue(kit.pad(DrumClass.CRASH).layer(0).sample(0).isStereo());
        assertEquals(90, playedHz(kit, DrumClass.KICK, 1f), 5);
        assertEquals(3200, playedHz(kit, DrumClass.HIHAT_CLOSED, 1f), 60);
        assertEquals(900, playedHz(kit, DrumClass.CLAP, 1f), 20);
    }

    @Test
    void importRefusesATakenNameAndANonKit() throws Exception {
        KitLibrary lib = library();
        lib.importKit(fixture("folder-mini"), "x");
        LibraryException taken = assertThrows(LibraryException.class, () -> lib.importKit(fixture("folder-mini"), "x"));
        assertEquals(LibraryException.Kind.BAD_NAME, taken.kind());
        Path empty = Files.createDirectories(data.resolve("empty"));
        LibraryException none = assertThrows(LibraryException.class, () -> lib.importKit(empty, "y"));
        assertEquals(LibraryException.Kind.BAD_INPUT, none.kind());
        assertFalse(lib.list().contains("y"));
        LibraryException missing = assertThrows(LibraryException.class, () -> lib.load("nope", RATE));
        assertEquals(LibraryException.Kind.NOT_FOUND, missing.kind());
    }
}
