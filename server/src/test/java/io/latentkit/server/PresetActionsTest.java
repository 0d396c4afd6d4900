package io.latentkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.DrumClass;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.control.EngineSnapshot;
import io.latentkit.core.kit.PadParam;
import io.latentkit.core.kit.DefaultKit;
import io.latentkit.presets.DataFolder;
import io.latentkit.presets.kit.KitLibrary;
import io.latentkit.presets.preset.PresetStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Presets saved from a playing engine and loaded into another, through a real preset folder. */
class PresetActionsTest {
    private static final int SR = 48_000;

    @TempDir
    Path home;

    /** Renders blocks on this thread (the engine's offline mode) until {@code stage} completes. */
    private static <T> T renderUntil(Engine engine, CompletionStage<T> stage) throws Exception {
        CompletableFuture<T> f = stage.toCompletableFuture();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!f.isDone() && System.nanoTime() < deadline) {
            engine.agent().renderBlock();
        }
        return f.get(1, TimeUnit.SECONDS);
    }

    @Test
    void aSavedPerformanceComesBackWithItsPadSettingsAndTempo() throws Exception {
        DataFolder data = new DataFolder(home).create();
        PresetStore store = new PresetStore(data.presets());
        ServerKits kits = new ServerKits(SR, new KitLibrary(data));

        Engine playing = Engine.create(EngineConfig.defaults(), DefaultKit.create(SR));
        playing.proxy().setPadParam(DrumClass.SNARE.pad(), PadParam.PITCH, -7f, EngineProxy.ASAP);
        playing.proxy().setPadParam(DrumClass.CRASH.pad(), PadParam.GAIN, 0.5f, EngineProxy.ASAP);
        playing.proxy().setTempo(96f, EngineProxy.ASAP);
        PresetActions saving = new PresetActions(playing.proxy(), playing.commands(), kits, store, null);
        assertEquals("set-1", renderUntil(playing, saving.save("set-1")));
        assertTrue(Files.exists(data.presets().root().resolve("set-1.json")), "saved as a file in the library");

        Engine fresh = Engine.create(EngineConfig.defaults(), DefaultKit.create(SR));
        PresetActions loading = new PresetActions(fresh.proxy(), fresh.commands(), kits, store, null);
        assertEquals("set-1", renderUntil(fresh, loading.load("set-1")));
        EngineSnapshot now = new EngineSnapshot();
        fresh.proxy().snapshot(now);
        fresh.agent().renderBlock();
        assertTrue(now.await(1, TimeUnit.SECONDS));
        assertEquals(-7f, now.pad(DrumClass.SNARE.pad(), PadParam.PITCH));
        assertEquals(0.5f, now.pad(DrumClass.CRASH.pad(), PadParam.GAIN));
        assertEquals(96f, now.tempoBpm());
        assertEquals(ServerKits.DEFAULT, now.kit().name());
    }

    @Test
    void loadingAMissingPresetFailsWithAOneLineReason() throws Exception {
        DataFolder data = new DataFolder(home).create();
        ServerKits kits = new ServerKits(SR, new KitLibrary(data));
        Engine engine = Engine.create(EngineConfig.defaults(), DefaultKit.create(SR));
        PresetActions actions = new PresetActions(engine.proxy(), engine.commands(), kits,
                new PresetStore(data.presets()), null);
        CompletableFuture<String> f = actions.load("nope").toCompletableFuture();
        Throwable cause = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                () -> f.get(10, TimeUnit.SECONDS)).getCause();
        assertTrue(cause.getMessage().contains("nope"), cause.getMessage());
        assertEquals(1, cause.getMessage().lines().count());
    }
}
