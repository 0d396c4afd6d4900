package io.latentkit.server.permute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.DefaultKit;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.PadParam;
import io.latentkit.core.kit.Sample;
import io.latentkit.core.permute.PadPermutation;
import io.latentkit.core.permute.PermutedKits;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.control.EngineSnapshot;
import io.latentkit.engine.control.Stage;
import io.latentkit.presets.DataFolder;
import io.latentkit.presets.kit.KitLibrary;
import io.latentkit.presets.preset.PresetStore;
import io.latentkit.server.PresetActions;
import io.latentkit.server.ServerKits;
import io.latentkit.server.bounce.StageRecipes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Permutations survive a preset save and load and a recorded session's replay, sample for sample. */
class PermutationPresetTest {
    private static final int SR = 48_000;

    @TempDir
    Path home;

    private static <T> T renderUntil(Engine engine, CompletionStage<T> stage) throws Exception {
        CompletableFuture<T> f = stage.toCompletableFuture();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!f.isDone() && System.nanoTime() < deadline) {
            engine.agent().renderBlock();
        }
        return f.get(1, TimeUnit.SECONDS);
    }

    private static Kit playing(Engine engine) throws Exception {
        EngineSnapshot now = new EngineSnapshot();
        engine.proxy().snapshot(now);
        engine.agent().renderBlock();
        assertTrue(now.await(1, TimeUnit.SECONDS));
        return now.kit();
    }

    private static void assertSameSound(Sample a, Sample b) {
        assertArrayEquals(a.left(), b.left());
        assertArrayEquals(a.right(), b.right());
    }

    @Test
    void aPresetKeepsThePadsPermutationsAndTheReplayRebuildsTheSameKit() throws Exception {
        DataFolder data = new DataFolder(home).create();
        PresetStore store = new PresetStore(data.presets());
        ServerKits kits = new ServerKits(SR, new KitLibrary(data));
        int kick = DrumClass.KICK.pad();
        int snare = DrumClass.SNARE.pad();

        Engine live = Engine.create(EngineConfig.defaults(), DefaultKit.create(SR));
        live.proxy().setPadParam(kick, PadParam.PITCH, -7f, EngineProxy.ASAP);
        PadPermutations perms = new PadPermutations(live.proxy(), live.commands());
        renderUntil(live, perms.change("a", kick, p -> p.withStretch(1.5f).withReversed(true)));
        Stage last = renderUntil(live, perms.change("b", snare, p -> p.withSplice(DrumClass.CLAP.pad())));
        Kit permuted = playing(live);
        assertEquals(new PadPermutation(1.5f, true, -1), PermutedKits.permutationsOf(permuted)[kick]);
        assertEquals(new PadPermutation(1f, false, DrumClass.CLAP.pad()), PermutedKits.permutationsOf(permuted)[snare],
                "the second change keeps the first");
        int baseFrames = DefaultKit.create(SR).pad(kick).layer(0).sample(0).frames();
        assertEquals(Math.round(baseFrames * 1.5), permuted.pad(kick).layer(0).sample(0).frames());

        PresetActions saving = new PresetActions(live.proxy(), live.commands(), kits, store, null);
        renderUntil(live, saving.save("perm"));
        String json = Files.readString(data.presets().root().resolve("perm.json"));
        assertTrue(json.contains("\"permutations\""), json);

        Engine fresh = Engine.create(EngineConfig.defaults(), DefaultKit.create(SR));
        renderUntil(fresh, new PresetActions(fresh.proxy(), fresh.commands(), kits, store, null).load("perm"));
        Kit loaded = playing(fresh);
        assertArrayEquals(PermutedKits.permutationsOf(permuted), PermutedKits.permutationsOf(loaded));
        assertEquals(-7f, loaded.pad(kick).pitchSemitones(), "pad parameters come with it");
        for (int pad : new int[] {kick, snare}) {
            assertSameSound(permuted.pad(pad).layer(0).sample(0), loaded.pad(pad).layer(0).sample(0));
        }

        Kit replayed = new StageRecipes(kits).prepare(new ObjectMapper().readTree(last.replay())).kit();
        for (int pad : new int[] {kick, snare}) {
            assertSameSound(permuted.pad(pad).layer(0).sample(0), replayed.pad(pad).layer(0).sample(0));
        }
        assertEquals(-7f, replayed.pad(kick).pitchSemitones());

        // Loading a plain kit clears them: the next change starts from that kit.
        renderUntil(live, live.commands().submit("plain", () -> new Stage(null).kit(DefaultKit.create(SR))));
        renderUntil(live, perms.change("c", snare, p -> p.withReversed(true)));
        assertEquals(PadPermutation.NONE, PermutedKits.permutationsOf(playing(live))[kick]);
        live.close();
        fresh.close();
    }
}
