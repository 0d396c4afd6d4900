package io.latentkit.server.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.presets.DataFolder;
import io.latentkit.testsupport.FaultModels;
import io.latentkit.testsupport.SmallDisk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20: the sounds folder fills up, or turns read-only, during {@code /latent/commit}, on a
 * real 512 KiB tmpfs mounted for the test (root; skipped with the reason elsewhere). The sender gets
 * one line of {@code /fail} with the reason, the sounds already there are byte-identical, nothing of
 * the new sound is left (no temporary file, no vector without its WAV), and the same commit succeeds
 * once space or write access returns.
 */
class LatentCommitDiskFullTest {
    private static final int PAD = 2;

    @Test
    void aFullOrReadOnlySoundsFolderFailsTheCommitLeavesNothingHalfAndTheNextCommitSucceeds(@TempDir Path home,
            @TempDir Path models) throws Exception {
        FaultModels.copyShipped(models);
        Path sounds = new DataFolder(home).create().sounds().root();
        try (SmallDisk disk = SmallDisk.mount(sounds, "512k"); ModelRig rig = new ModelRig(home, models)) {
            float[] z = new float[64];
            z[3] = 0.7f;
            rig.sendZ(PAD, z, 1);
            assertEquals("/latent/ready", rig.awaitZ(1).get(0));
            rig.send("/latent/commit", PAD, "first");
            assertEquals(List.of("/done", "/latent/commit", "first"), rig.awaitReply("/latent/commit"));
            byte[] wav = Files.readAllBytes(sounds.resolve("first.wav"));
            byte[] vector = Files.readAllBytes(sounds.resolve("first.latent.json"));

            // Full to the last block.
            Path filler = sounds.resolve("filler.bin");
            disk.fill(filler, 0);
            failsWith(rig, "No space left on device");
            // Room for the vector file but not for the WAV: the vector must not stay behind alone.
            Files.delete(filler);
            disk.fill(filler, 16 * 1024);
            failsWith(rig, "No space left on device");
            assertArrayEquals(wav, Files.readAllBytes(sounds.resolve("first.wav")));
            assertArrayEquals(vector, Files.readAllBytes(sounds.resolve("first.latent.json")));
            Files.delete(filler);

            disk.writable(false);
            failsWith(rig, "Read-only file system");
            disk.writable(true);

            rig.send("/latent/commit", PAD, "second");
            assertEquals(List.of("/done", "/latent/commit", "second"), rig.awaitReply("/latent/commit"));
            assertTrue(Files.size(sounds.resolve("second.wav")) > 60_000);
            assertTrue(Files.isRegularFile(sounds.resolve("second.latent.json")));
            assertArrayEquals(wav, Files.readAllBytes(sounds.resolve("first.wav")));
        }
    }

    private static void failsWith(ModelRig rig, String reason) throws Exception {
        rig.send("/latent/commit", PAD, "second");
        List<Object> r = rig.awaitReply("/latent/commit");
        assertEquals(List.of("/fail", "/latent/commit", "second"), r.subList(0, 3), r.toString());
        String why = (String) r.get(3);
        Figures.append("latent-commit-disk.txt", r.toString());
        assertTrue(why.contains(reason), why);
        assertFalse(why.contains("\n"), why);
        assertEquals(List.of("first.latent.json", "first.wav"), names(rig.agent.library().folder()),
                "nothing of 'second', no temporary file");
    }

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.equals("filler.bin")).sorted().toList();
        }
    }
}
