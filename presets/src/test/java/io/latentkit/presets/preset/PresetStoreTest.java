package io.latentkit.presets.preset;

import java.util.Arrays;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.PadParam;
import io.latentkit.presets.LibraryException;
import io.latentkit.testsupport.CapturedLog;
import io.latentkit.presets.LibraryFolder;
import io.latentkit.presets.store.AtomicJsonFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PresetStoreTest {
    @TempDir
    Path dir;
    PresetStore store;

    @BeforeEach
    void setUp() {
        store = new PresetStore(new LibraryFolder(dir));
    }

    static Preset sample(int n) {
        List<PadState> pads = new ArrayList<>();
        for (DrumClass c : DrumClass.values()) {
            pads.add(PadState.of(c, Map.of(PadParam.GAIN, 0.5f + c.ordinal() * 0.1f, PadParam.PAN, -0.25f,
                    PadParam.CHOKE, c == DrumClass.HIHAT_OPEN || c == DrumClass.HIHAT_CLOSED ? 1f : 0f)));
        }
        return new Preset("kit-" + n, pads, Map.of(36, DrumClass.KICK, 40, DrumClass.SNARE), 90 + n % 100, 0.25,
                Map.of("latent", JsonNodeFactory.instance.objectNode().put("n", n).put("x", 0.5)));
    }

    @Test
    void aSavedPresetLoadsEqualAndTheFileIsVersionedJson() throws Exception {
        store.save("live", sample(1));
        assertEquals(sample(1), store.load("live"));
        String text = Files.readString(dir.resolve("live.json"));
        assertTrue(text.contains("\"format\" : \"latentkit-preset\""), text);
        assertTrue(text.contains("\"version\" : 2"), text);
        assertEquals(List.of("live"), store.list());
    }

    @Test
    void savingAgainKeepsThePreviousVersionAsBackup() throws Exception {
        store.save("live", sample(1));
        byte[] first = Files.readAllBytes(dir.resolve("live.json"));
        store.save("live", sample(2));
        assertArrayEquals(first, Files.readAllBytes(dir.resolve("live.json.bak")));
        assertEquals(sample(2), store.load("live"));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(2, s.count(), "only the file and its backup remain");
        }
    }

    @Test
    void aCorruptPresetIsMovedAsideAndTheBackupLoads() throws Exception {
        for (byte[] bad : badContents()) {
            store.save("p", sample(1));
            store.save("p", sample(2));
            Files.write(dir.resolve("p.json"), bad);
            AtomicJsonFile.Loaded<Preset> l;
            try (CapturedLog log = CapturedLog.open()) {
                log.expect("is corrupt");
                l = store.loadDetailed("p");
                assertEquals(1, log.recordsWith("preset 'p' is corrupt").size(), "one warning says so");
            }
            assertEquals(sample(1), l.value());
            assertTrue(l.fromBackup());
            assertNotNull(l.corruptMovedTo());
            assertArrayEquals(bad, Files.readAllBytes(l.corruptMovedTo()), "corrupt file kept as it was");
            assertTrue(l.corruptMovedTo().getFileName().toString().startsWith("p.json.corrupt-"));
            assertFalse(Files.exists(dir.resolve("p.json")));
            // The next save starts afresh and keeps the good backup.
            store.save("p", sample(3));
            assertEquals(sample(3), store.load("p"));
            assertEquals(sample(1), readBackup("p"));
        }
    }

    @Test
    void corruptFileAndCorruptBackupIsAClearFailure() throws Exception {
        store.save("p", sample(1));
        store.save("p", sample(2));
        Files.write(dir.resolve("p.json"), new byte[100]);
        Files.write(dir.resolve("p.json.bak"), "{\"format\":".getBytes(StandardCharsets.UTF_8));
        LibraryException e;
        try (CapturedLog log = CapturedLog.open()) {
            log.expect("is corrupt");
            e = assertThrows(LibraryException.class, () -> store.load("p"));
            assertEquals(1, log.recordsWith("preset 'p' is corrupt").size());
        }
        assertEquals(LibraryException.Kind.CORRUPT, e.kind());
        assertTrue(e.getMessage().contains("preset 'p'"), e.getMessage());
    }

    @Test
    void aCorruptFileIsNotAllowedToReplaceAGoodBackupOnSave() throws Exception {
        store.save("p", sample(1));
        store.save("p", sample(2));
        Files.write(dir.resolve("p.json"), new byte[] {0, 0, 0});
        try (CapturedLog log = CapturedLog.open()) {
            store.save("p", sample(3));
            assertEquals(List.of(), log.records(), "the corrupt file is set aside without a warning");
        }
        assertEquals(sample(3), store.load("p"));
        assertEquals(sample(1), readBackup("p"));
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(1, s.filter(p -> p.getFileName().toString().startsWith("p.json.corrupt-")).count());
        }
    }

    @Test
    void aPresetFromANewerVersionIsRefusedAndNeverOverwritten() throws Exception {
        String future = "{\"format\":\"latentkit-preset\",\"version\":99,\"kit\":\"x\",\"hologram\":true}\n";
        Path f = dir.resolve("next.json");
        Files.writeString(f, future);
        LibraryException e = assertThrows(LibraryException.class, () -> store.load("next"));
        assertEquals(LibraryException.Kind.NEWER_VERSION, e.kind());
        assertTrue(e.getMessage().contains("newer"), e.getMessage());
        LibraryException s = assertThrows(LibraryException.class, () -> store.save("next", sample(1)));
        assertEquals(LibraryException.Kind.NEWER_VERSION, s.kind());
        assertEquals(future, Files.readString(f));
        try (Stream<Path> l = Files.list(dir)) {
            assertEquals(1, l.count(), "nothing moved aside, no backup, no temp file");
        }
    }

    @Test
    void aVersionOnePresetIsMigrated() throws Exception {
        String v1 = "{\"format\":\"latentkit-preset\",\"version\":1,\"kit\":\"old kit\",\"bpm\":98.5,"
                + "\"pads\":{\"kick\":{\"gain\":1.5,\"mute\":true},\"snare\":{\"pan\":-2}}}";
        Files.writeString(dir.resolve("old.json"), v1);
        Preset p = store.load("old");
        assertEquals("old kit", p.kit());
        assertEquals(98.5, p.tempoBpm());
        assertEquals(1.5f, p.pad(DrumClass.KICK).get(PadParam.GAIN));
        assertEquals(1f, p.pad(DrumClass.KICK).get(PadParam.MUTE));
        assertEquals(-1f, p.pad(DrumClass.SNARE).get(PadParam.PAN), "clamped into range");
        assertEquals(PadState.defaults(DrumClass.RIDE), p.pad(DrumClass.RIDE));
        assertEquals(0.0, p.swing());
        // Saving writes the current version; the migrated original is the backup.
        store.save("old", p);
        assertTrue(Files.readString(dir.resolve("old.json")).contains("\"version\" : 2"));
        assertEquals(v1, Files.readString(dir.resolve("old.json.bak")));
    }

    @Test
    void extensionSectionsAreCarriedThroughUnchanged() throws Exception {
        var ext = JsonNodeFactory.instance.objectNode();
        ext.putArray("steps").add(1).add(0).add(0.5);
        Preset p = Preset.defaults().withExtension("pattern", ext).withTempo(133);
        store.save("x", p);
        assertEquals(p, store.load("x"));
        assertEquals(ext, store.load("x").extensions().get("pattern"));
    }

    @Test
    void aMissingPresetIsNotFound() {
        LibraryException e = assertThrows(LibraryException.class, () -> store.load("nothing"));
        assertEquals(LibraryException.Kind.NOT_FOUND, e.kind());
    }

    @Test
    void invalidPresetDocumentsAreBadInputWithOneLineReasons() {
        String[] bad = {
            "", "null", "[]", "{}", "{\"format\":\"latentkit-preset\"}",
            "{\"format\":\"latentkit-kit\",\"version\":1}",
            "{\"format\":\"latentkit-preset\",\"version\":\"2\"}",
            "{\"format\":\"latentkit-preset\",\"version\":0}",
            "{\"format\":\"latentkit-preset\",\"version\":2,\"pads\":[{\"class\":\"cowbell\"}]}",
            "{\"format\":\"latentkit-preset\",\"version\":2,\"pads\":[{\"class\":\"kick\"},{\"class\":\"kick\"}]}",
            "{\"format\":\"latentkit-preset\",\"version\":2,\"kit\":\"../etc\"}",
            "{\"format\":\"latentkit-preset\",\"version\":2,\"tempoBpm\":\"fast\"}",
            "{\"format\":\"latentkit-preset\",\"version\":2,\"midiNotes\":{\"200\":\"kick\"}}",
            "{\"format\":\"latentkit-preset\",\"version\":2} trailing",
            "{\"format\":\"latentkit-preset\",\"version\":2,\"version\":3}",
        };
        for (String s : bad) {
            LibraryException e = assertThrows(LibraryException.class,
                    () -> PresetCodec.read(s.getBytes(StandardCharsets.UTF_8), "preset"), s);
            assertEquals(LibraryException.Kind.BAD_INPUT, e.kind(), s);
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    private Preset readBackup(String name) throws IOException, LibraryException {
        return PresetCodec.read(Files.readAllBytes(dir.resolve(name + ".json.bak")), "backup");
    }

    /** Corrupt, truncated and NUL-filled versions of a good file. */
    static List<byte[]> badContents() {
        byte[] good = PresetCodec.write(sample(9));
        List<byte[]> l = new ArrayList<>();
        l.add(Arrays.copyOf(good, good.length / 2)); // truncated mid-write
        l.add(new byte[0]); // truncated to nothing
        l.add(new byte[good.length]); // NUL-filled (a crash after the size was set, before the data)
        byte[] flipped = good.clone();
        flipped[good.length / 3] = '#';
        l.add(flipped); // corrupt byte
        l.add("not json at all".getBytes(StandardCharsets.UTF_8));
        l.add(new byte[] {(byte) 0xFF, (byte) 0xFE, 0x7B});
        return l;
    }
}
