package io.latentkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.DefaultKit;
import io.latentkit.core.kit.Kit;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.listen.ListenConfig;
import io.latentkit.listen.ListenMode;
import io.latentkit.listen.decide.ListenExamples;
import io.latentkit.listen.input.FileSource;
import io.latentkit.presets.DataFolder;
import io.latentkit.presets.kit.KitLibrary;
import io.latentkit.presets.preset.PresetStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A preset keeps listen mode's learned classes and class-to-pad map: saved from one server's
 * listen mode into a real preset folder, loaded into another's, with the real models.
 */
class ListenPresetTest {
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

    private static List<ListenExamples.Example> examples(float[] sound) {
        List<ListenExamples.Example> out = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            float[] clip = new float[64 + 960];
            for (int j = 0; j < clip.length - 64 && j < sound.length; j++) {
                clip[64 + j] = sound[j] * (1f - 0.2f * i);
            }
            out.add(ListenExamples.Example.of(new float[] {0f}, clip, 0, clip.length));
        }
        return out;
    }

    @Test
    void aPresetKeepsTheLearnedClassesAndTheMapOfListenMode() throws Exception {
        DataFolder data = new DataFolder(home).create();
        PresetStore store = new PresetStore(data.presets());
        ServerKits kits = new ServerKits(SR, new KitLibrary(data));
        Kit kit = DefaultKit.create(SR);
        // Examples saved in another embedding space: the receiving listen mode embeds them again.
        ListenExamples learned = new ListenExamples(ListenExamples.VERSION, "another-space", ListenConfig.INPUT_RATE_HZ,
                List.of(new ListenExamples.LearnedClass("b", examples(kit.pad(DrumClass.KICK).pick(1f).left())),
                        new ListenExamples.LearnedClass("ts", examples(kit.pad(DrumClass.HIHAT_CLOSED).pick(1f).left()))));

        Engine playing = Engine.create(EngineConfig.defaults(), DefaultKit.create(SR));
        Engine fresh = Engine.create(EngineConfig.defaults(), DefaultKit.create(SR));
        try (ListenMode saving = ListenMode.start(ListenConfig.defaults(), FileSource.of(new float[SR * 60]), playing);
             ListenMode loading = ListenMode.start(ListenConfig.defaults(), FileSource.of(new float[SR * 60]), fresh)) {
            saving.ready().get(120, TimeUnit.SECONDS);
            assertTrue(saving.controls().restore(learned).get(30, TimeUnit.SECONDS).startsWith("restored 2 learned classes"));
            saving.controls().map("b", DrumClass.KICK.pad());
            saving.controls().map("ts", DrumClass.HIHAT_CLOSED.pad());
            PresetActions savingPresets = new PresetActions(playing.proxy(), playing.commands(), kits, store, null);
            savingPresets.listen(saving.controls());
            assertEquals("beatbox", renderUntil(playing, savingPresets.save("beatbox")));
            String json = Files.readString(data.presets().root().resolve("beatbox.json"));
            assertTrue(json.contains("\"listen\"") && json.contains("\"ts\""), json);

            // Loaded while the other listen mode's models may still be loading: the restore waits for them.
            PresetActions loadingPresets = new PresetActions(fresh.proxy(), fresh.commands(), kits, store, null);
            loadingPresets.listen(loading.controls());
            assertEquals(-1, loading.controls().padFor("b"), "a learned class plays nothing until mapped");
            assertEquals("beatbox", renderUntil(fresh, loadingPresets.load("beatbox")));
            assertEquals(DrumClass.KICK.pad(), loading.controls().padFor("b"));
            assertEquals(DrumClass.HIHAT_CLOSED.pad(), loading.controls().padFor("ts"));
            loading.ready().get(120, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!loading.controls().learnedClasses().equals(List.of("b", "ts")) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertEquals(List.of("b", "ts"), loading.controls().learnedClasses());
            assertEquals(3, loading.controls().examples().classes().get(1).examples().size());
        } finally {
            playing.close();
            fresh.close();
        }
    }
}
