package io.latentkit.presets.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.latentkit.core.DrumClass;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.core.kit.Kit;
import io.latentkit.presets.LibraryFolder;
import io.latentkit.presets.OfflineEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every kit of Debian's {@code hydrogen-drumkits} package imports and plays: each kit is imported
 * into a fresh library, loaded at 48 kHz, and every pad that received an instrument is hit through
 * the real engine and must sound (and stay finite). The package must be installed (the CI does
 * {@code apt-get install hydrogen-drumkits}); without it this test fails, it does not skip. The
 * folder can be moved with {@code -Dlatentkit.hydrogen.drumkits=DIR}.
 */
class HydrogenDrumkitsIntegrationTest {
    static final Path DRUMKITS = Path.of(System.getProperty("latentkit.hydrogen.drumkits",
            "/usr/share/hydrogen/data/drumkits"));

    @TempDir
    Path data;

    @Test
    void everyKitOfTheHydrogenDrumkitsPackageImportsAndPlays() throws Exception {
        if (!Files.isDirectory(DRUMKITS)) {
            fail("Debian package hydrogen-drumkits is not installed: " + DRUMKITS + " is missing"
                    + " (apt-get install hydrogen-drumkits, or -Dlatentkit.hydrogen.drumkits=DIR)");
        }
        List<Path> kits = new ArrayList<>();
        try (Stream<Path> s = Files.list(DRUMKITS)) {
            s.filter(p -> Files.isRegularFile(p.resolve("drumkit.xml"))).sorted().forEach(kits::add);
        }
        assertTrue(kits.size() >= 10, "expected the package's kits in " + DRUMKITS + ", found " + kits.size());
        KitLibrary lib = new KitLibrary(new LibraryFolder(data.resolve("kits")));
        List<String> failures = new ArrayList<>();
        for (Path src : kits) {
            String name = src.getFileName().toString();
            try {
                KitImporter.Result r = lib.importKit(src, name);
                Kit kit = lib.load(name, KitImportTest.RATE);
                int filled = 0;
                for (DrumClass c : DrumClass.values()) {
                    if (kit.pad(c).isEmpty()) {
                        continue;
                    }
                    filled++;
                    OfflineEngine e = new OfflineEngine(kit);
                    e.engine.proxy().trigger(c.pad(), 1f, EngineProxy.ASAP);
                    float[][] out = e.render(KitImportTest.RATE / 4);
                    double rms = Math.max(OfflineEngine.rms(out[0], 0, out[0].length),
                            OfflineEngine.rms(out[1], 0, out[1].length));
                    if (!(rms > 1e-4) || kit.pad(c).isMuted()) {
                        failures.add(name + ": pad " + c.oscName() + " is silent (rms " + rms + ")");
                    }
                    assertEquals(0, e.engine.counters().nonFiniteSamples(), name + " " + c.oscName());
                }
                System.out.printf("hydrogen kit %-26s pads %2d, alternates %2d, warnings %d: %s%n", name, filled,
                        r.manifest().alternates().size(), r.manifest().warnings().size(), r.filledPads());
                if (filled == 0) {
                    failures.add(name + ": no pad received an instrument");
                }
            } catch (Exception e) {
                failures.add(name + ": " + e);
            }
        }
        assertTrue(failures.isEmpty(), String.join("\n", failures));
        assertEquals(kits.size(), lib.list().size());
    }
}
