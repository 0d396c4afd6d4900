package io.latentkit.presets;

import java.io.IOException;
import org.junit.jupiter.api.function.Executable;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.latentkit.presets.kit.KitLibrary;
import io.latentkit.presets.preset.Preset;
import io.latentkit.presets.preset.PresetStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * OSC and the CLI name kits and presets, never paths: the table of escaping names is refused by
 * every entry point (kit load, preset load and save, kit import target), and links that lead out
 * of the library folders are refused too.
 */
class PathSafetyTest {
    @TempDir
    Path tmp;
    DataFolder data;
    KitLibrary kits;
    PresetStore presets;
    Path outside;

    @BeforeEach
    void setUp() throws Exception {
        data = new DataFolder(tmp.resolve("data")).create();
        kits = new KitLibrary(data);
        presets = new PresetStore(data.presets());
        outside = Files.createDirectories(tmp.resolve("outside"));
        kits.importKit(Fixtures.kit("folder-mini"), "good");
        presets.save("good", Preset.defaults());
    }

    static Stream<Arguments> escapingNames() {
        return Stream.of(
                Arguments.of("parent", ".."),
                Arguments.of("parent then name", "../outside"),
                Arguments.of("deep parent", "../../../../etc/passwd"),
                Arguments.of("absolute", "/etc/passwd"),
                Arguments.of("absolute into library", "/tmp"),
                Arguments.of("inner parent", "good/../../outside"),
                Arguments.of("sub-path", "good/kit.json"),
                Arguments.of("backslash parent", "..\\outside"),
                Arguments.of("drive letter", "C:\\Windows"),
                Arguments.of("current dir", "."),
                Arguments.of("hidden", ".good"),
                Arguments.of("empty", ""),
                Arguments.of("blank", " "),
                Arguments.of("trailing dot", "good."),
                Arguments.of("NUL", "good\u0000"),
                Arguments.of("newline", "go\nod"),
                Arguments.of("too long", "k".repeat(LibraryFolder.MAX_NAME_LENGTH + 1)),
                Arguments.of("url-ish", "file:///etc/passwd"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("escapingNames")
    void escapingNamesAreRefusedEverywhere(String label, String name) {
        assertBadName(() -> kits.load(name, 48_000));
        assertBadName(() -> kits.manifest(name));
        assertBadName(() -> presets.load(name));
        assertBadName(() -> presets.save(name, Preset.defaults()));
        assertBadName(() -> kits.importKit(Fixtures.kit("folder-mini"), name));
        try (Stream<Path> s = Files.list(outside)) {
            assertEquals(0, s.count(), "nothing written outside");
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aKitFolderLinkedToOutsideTheLibraryIsRefused() throws Exception {
        Path real = outside.resolve("evil");
        copyTree(data.kits().root().resolve("good"), real);
        Files.createSymbolicLink(data.kits().root().resolve("evil"), real);
        assertBadName(() -> kits.load("evil", 48_000));
        assertFalse(kits.list().contains("evil"), "not listed either");
    }

    @Test
    void aKitFolderLinkedInsideTheLibraryIsAllowed() throws Exception {
        Files.createSymbolicLink(data.kits().root().resolve("alias"), data.kits().root().resolve("good"));
        assertEquals(48_000, kits.load("alias", 48_000).sampleRateHz());
    }

    @Test
    void aSampleLinkedToOutsideTheKitIsRefused() throws Exception {
        Path samples = data.kits().root().resolve("good").resolve("samples");
        Path victim;
        try (Stream<Path> s = Files.list(samples)) {
            victim = s.sorted().findFirst().orElseThrow();
        }
        Path outsideCopy = outside.resolve("stolen.wav");
        Files.copy(victim, outsideCopy);
        Files.delete(victim);
        Files.createSymbolicLink(victim, outsideCopy);
        assertBadName(() -> kits.load("good", 48_000));
    }

    @Test
    void aManifestThatPointsOutsideItsKitIsRefused() throws Exception {
        Path manifest = data.kits().root().resolve("good").resolve(KitLibrary.MANIFEST);
        String json = Files.readString(manifest);
        for (String bad : new String[] {"../../outside/x.wav", "/etc/passwd"}) {
            Files.writeString(manifest, json.replaceFirst("\"samples/[^\"]+\"", "\"" + bad + "\""));
            assertBadName(() -> kits.load("good", 48_000));
        }
    }

    @Test
    void aPresetFileLinkedToOutsideIsRefusedForLoadAndSave() throws Exception {
        Path target = outside.resolve("p.json");
        Files.writeString(target, "{}");
        Files.createSymbolicLink(data.presets().root().resolve("evil.json"), target);
        assertBadName(() -> presets.load("evil"));
        assertBadName(() -> presets.save("evil", Preset.defaults()));
        assertEquals("{}", Files.readString(target));
    }

    private static void assertBadName(Executable call) {
        LibraryException e = assertThrows(LibraryException.class, call);
        assertEquals(LibraryException.Kind.BAD_NAME, e.kind(), e.getMessage());
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                Files.copy(p, to.resolve(from.relativize(p).toString()));
            }
        }
    }
}
