package io.latentkit.server;

import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Assertions;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.DrumClass;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.control.EngineSnapshot;
import io.latentkit.core.kit.PadParam;
import io.latentkit.core.kit.DefaultKit;
import io.latentkit.midi.MidiBinding;
import io.latentkit.midi.MidiConfig;
import io.latentkit.midi.MidiInput;
import io.latentkit.midi.MidiMap;
import io.latentkit.midi.Takeover;
import io.latentkit.presets.DataFolder;
import io.latentkit.presets.LibraryException;
import io.latentkit.testsupport.CapturedLog;
import io.latentkit.presets.kit.KitLibrary;
import io.latentkit.presets.preset.PresetStore;
import java.nio.file.Files;
import java.util.Arrays;
import java.nio.file.Path;
import java.util.List;
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
    void presetWhoseMidiMappingNamesAnUnknownTargetIsRefusedBeforeAnythingOfItIsApplied() throws Exception {
        DataFolder data = new DataFolder(home).create();
        PresetStore store = new PresetStore(data.presets());
        ServerKits kits = new ServerKits(SR, new KitLibrary(data));
        MidiConfig noDevices = MidiConfig.defaults().withRescanIntervalMs(0).withInputs(List.of("no such device"));
        Engine playing = Engine.create(EngineConfig.defaults(), DefaultKit.create(SR));
        playing.proxy().setTempo(96f, EngineProxy.ASAP);
        try (MidiInput midi = MidiInput.start(noDevices, playing)) {
            midi.mapping(MidiMap.EMPTY.with(new MidiBinding("*", 0, 7, "/pad/1/gain", 0f, 4f, Takeover.JUMP), true));
            assertEquals("odd", renderUntil(playing, new PresetActions(playing.proxy(), playing.commands(), kits, store,
                    midi).save("odd")));
        }
        // A hand-edited file: the knob now names a parameter no pad has.
        Path file = data.presets().root().resolve("odd.json");
        Files.writeString(file, Files.readString(file).replace("/pad/1/gain", "/pad/1/loudness"));

        Engine fresh = Engine.create(EngineConfig.defaults(), DefaultKit.create(SR));
        float tempoBefore = snapshot(fresh).tempoBpm();
        assertTrue(tempoBefore != 96f);
        try (MidiInput midi = MidiInput.start(noDevices, fresh)) {
            PresetActions loading = new PresetActions(fresh.proxy(), fresh.commands(), kits, store, midi);
            Throwable cause = assertThrows(ExecutionException.class,
                    () -> renderUntil(fresh, loading.load("odd"))).getCause();
            assertEquals("preset 'odd' has an unusable MIDI mapping: MIDI mapping row 1: no pad parameter 'loudness'"
                    + " in '/pad/1/loudness'", cause.getMessage());
            assertEquals(tempoBefore, snapshot(fresh).tempoBpm(), "the preset's tempo was not applied");
            assertEquals(MidiMap.EMPTY, midi.mapping());
        }
    }

    private static EngineSnapshot snapshot(Engine engine) throws InterruptedException {
        EngineSnapshot now = new EngineSnapshot();
        engine.proxy().snapshot(now);
        engine.agent().renderBlock();
        assertTrue(now.await(1, TimeUnit.SECONDS));
        return now;
    }

    @Test
    void loadingAMissingPresetFailsWithAOneLineReason() throws Exception {
        DataFolder data = new DataFolder(home).create();
        ServerKits kits = new ServerKits(SR, new KitLibrary(data));
        Engine engine = Engine.create(EngineConfig.defaults(), DefaultKit.create(SR));
        PresetActions actions = new PresetActions(engine.proxy(), engine.commands(), kits,
                new PresetStore(data.presets()), null);
        CompletableFuture<String> f = actions.load("nope").toCompletableFuture();
        Throwable cause = Assertions.assertThrows(ExecutionException.class,
                () -> f.get(10, TimeUnit.SECONDS)).getCause();
        assertTrue(cause.getMessage().contains("nope"), cause.getMessage());
        assertEquals(1, cause.getMessage().lines().count());
    }

    @Test
    void aPresetLoadedFromItsBackupSaysSoInItsReply() throws Exception {
        DataFolder data = new DataFolder(home).create();
        PresetStore store = new PresetStore(data.presets());
        ServerKits kits = new ServerKits(SR, new KitLibrary(data));
        Engine engine = Engine.create(EngineConfig.defaults(), DefaultKit.create(SR));
        PresetActions actions = new PresetActions(engine.proxy(), engine.commands(), kits, store, null);
        assertEquals("p", renderUntil(engine, actions.save("p")));
        assertEquals("p", renderUntil(engine, actions.save("p")));
        Files.write(data.presets().root().resolve("p.json"), new byte[] {0, 0, 0});
        String detail;
        try (CapturedLog log = CapturedLog.open()) {
            log.expect("is corrupt");
            detail = renderUntil(engine, actions.load("p"));
        }
        assertTrue(detail.startsWith("p (from its backup: the preset file was unreadable and is kept as p.json.corrupt-"),
                detail);
    }

    @Test
    void aPresetFileTooBigToBeOursIsReportedAsTooBigNotAsEmpty() throws Exception {
        DataFolder data = new DataFolder(home).create();
        PresetStore store = new PresetStore(data.presets());
        byte[] big = new byte[20 << 20];
        Arrays.fill(big, (byte) ' ');
        Files.write(data.presets().root().resolve("huge.json"), big);
        LibraryException e;
        try (CapturedLog log = CapturedLog.open()) {
            log.expect("is corrupt");
            e = assertThrows(LibraryException.class, () -> store.load("huge"));
            assertTrue(log.recordsWith("larger than 16 MiB").size() == 1, log.records().toString());
        }
        assertTrue(e.getMessage().contains("no backup"), e.getMessage());
    }
}
