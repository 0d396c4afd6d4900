package io.latentkit.server.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Kit;
import io.latentkit.extract.ExtractJob;
import io.latentkit.extract.Progress;
import io.latentkit.extract.eval.Groove;
import io.latentkit.extract.eval.GrooveRender;
import io.latentkit.models.AudioFiles;
import io.latentkit.models.Models;
import io.latentkit.presets.DataFolder;
import io.latentkit.presets.kit.KitLibrary;
import io.latentkit.testsupport.CapturedLog;
import io.latentkit.testsupport.FaultModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20: {@code /kit/extract} over real UDP follows {@code /models/reload}. Extraction keeps
 * its own copy of serve's models; after a reload it must extract with the new set, and after a
 * refused reload with the set still being served, even when the folder it came from is now broken
 * and extraction had not run before. Each served extraction is compared file by file with the same
 * extraction run directly on the set it should have used.
 */
class ExtractAfterReloadTest {
    private static final int RATE = 48_000;

    @Test
    void extractionUsesTheSetBeingServedThroughARefusedReloadAndTheNewSetAfterAGoodOne(@TempDir Path home,
            @TempDir Path dir, @TempDir Path direct) throws Exception {
        FaultModels.copyShipped(dir);
        KitLibrary library = new KitLibrary(new DataFolder(home).create());
        library.importKit(Path.of(System.getProperty("latentkit.hydrogen.drumkits", "/usr/share/hydrogen/data/drumkits"))
                .resolve("ColomboAcousticDrumkit"), "colombo");
        Kit source = library.load("colombo", RATE);
        Groove g = Groove.generate(3, 100, 8, 0.0, EnumSet.of(DrumClass.KICK, DrumClass.SNARE, DrumClass.HIHAT_CLOSED),
                RATE);
        Path take = new DataFolder(home).recordings().root().resolve("take1.wav");
        AudioFiles.writeWav16(take, GrooveRender.render(source, g, GrooveRender.Room.DRY, 4), RATE);

        Map<String, byte[]> shipped;
        Map<String, byte[]> crafted;
        try (Models m = Models.loadShipped(1)) {
            shipped = extractDirectly(take, m, direct.resolve("shipped"));
        }
        Path craftedDir = Files.createDirectories(direct.resolve("crafted-models"));
        FaultModels.copyShipped(craftedDir);
        FaultModels.kickClassifiers(craftedDir); // another opinion: every hit a kick
        try (Models m = Models.load(craftedDir, 1)) {
            crafted = extractDirectly(take, m, direct.resolve("crafted"));
        }
        assertFalse(sameFiles(shipped, crafted), "the two sets extract different kits: " + shipped.keySet()
                + " vs " + crafted.keySet());

        try (CapturedLog log = CapturedLog.open(); ModelRig rig = new ModelRig(home, dir)) {
            // A refused reload before extraction ever ran: the folder is broken now, the served set is not.
            FaultModels.truncated(dir, "vae_encoder.onnx", 0.5);
            rig.send("/models/reload");
            assertEquals("/fail", rig.awaitReply("/models/reload").get(0));
            log.expect("model reload from " + dir + " refused");
            rig.send("/kit/extract", "take1.wav", "after-refused");
            List<Object> r = rig.awaitReply("/kit/extract");
            Figures.append("model-reload.txt", "extraction after a refused reload: " + r);
            assertEquals(List.of("/done", "/kit/extract", "after-refused"), r);
            assertTrue(sameFiles(shipped, kitFiles(home, "after-refused")), "extracted with the set being served");

            // A good reload of another set: the next extraction uses it.
            FaultModels.copyShipped(dir);
            FaultModels.kickClassifiers(dir);
            rig.send("/models/reload");
            assertEquals("/done", rig.awaitReply("/models/reload").get(0));
            rig.send("/kit/extract", "take1.wav", "after-reload");
            r = rig.awaitReply("/kit/extract");
            Figures.append("model-reload.txt", "extraction after a good reload: " + r);
            assertEquals(List.of("/done", "/kit/extract", "after-reload"), r);
            assertTrue(sameFiles(crafted, kitFiles(home, "after-reload")), "extracted with the reloaded set");

            // Broken again and refused: extraction keeps the set being served (the reloaded one).
            FaultModels.randomBytes(dir, "vae_decoder.onnx", 65_536, 9L);
            rig.send("/models/reload");
            assertEquals("/fail", rig.awaitReply("/models/reload").get(0));
            rig.send("/kit/extract", "take1.wav", "after-second-refusal");
            assertEquals("/done", rig.awaitReply("/kit/extract").get(0));
            assertTrue(sameFiles(crafted, kitFiles(home, "after-second-refusal")), "still the set being served");
        }
    }

    private static Map<String, byte[]> extractDirectly(Path take, Models m, Path home) throws Exception {
        DataFolder data = new DataFolder(home).create();
        ExtractJob.run(List.of(take), "direct", ExtractJob.Options.DEFAULTS, m, data.kits(), Progress.NONE);
        return kitFiles(home, "direct");
    }

    /** The sound files of kit {@code name} in {@code home}'s library, by file name. */
    private static Map<String, byte[]> kitFiles(Path home, String name) throws Exception {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(new DataFolder(home).kits().root().resolve(name))) {
            for (Path f : (Iterable<Path>) files::iterator) {
                if (f.getFileName().toString().endsWith(".wav")) {
                    out.put(f.getFileName().toString(), Files.readAllBytes(f));
                }
            }
        }
        return out;
    }

    private static boolean sameFiles(Map<String, byte[]> a, Map<String, byte[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, byte[]> e : a.entrySet()) {
            if (!Arrays.equals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
