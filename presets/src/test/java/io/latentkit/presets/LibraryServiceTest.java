package io.latentkit.presets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.engine.DrumClass;
import io.latentkit.engine.kit.PadParam;
import io.latentkit.presets.kit.KitLibrary;
import io.latentkit.presets.preset.Preset;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The OSC-facing library calls against the real engine (rendered offline to apply the swaps). */
class LibraryServiceTest {
    @TempDir
    Path tmp;

    @Test
    void kitLoadSwapsTheKitAndPresetsRoundTripTheState() throws Exception {
        DataFolder data = new DataFolder(tmp).create();
        new KitLibrary(data).importKit(Fixtures.kit("hydrogen-mini"), "mini");
        OfflineEngine e = new OfflineEngine(io.latentkit.engine.synth.DefaultKit.create(48_000));
        AtomicReference<Preset> state = new AtomicReference<>(Preset.defaults());
        try (LibraryService s = new LibraryService(data, e.engine.proxy(), 48_000, state::get)) {
            assertEquals(List.of("mini"), s.listKits().get(30, TimeUnit.SECONDS));
            var kit = s.loadKit("mini").get(60, TimeUnit.SECONDS);
            e.render(4800);
            assertEquals("mini", e.engine.agent().kit().name());

            // Save the state with this kit and a changed pad; load it back over another kit.
            kit.pad(DrumClass.SNARE).set(PadParam.GAIN, 0.25f);
            state.set(Preset.defaults().withKit(kit).withTempo(101));
            s.savePreset("set 1").get(30, TimeUnit.SECONDS);
            assertEquals(List.of("set 1"), s.listPresets().get(30, TimeUnit.SECONDS));
            Preset p = s.loadPreset("set 1").get(60, TimeUnit.SECONDS);
            e.render(4800);
            assertEquals(101.0, p.tempoBpm());
            assertEquals("mini", e.engine.agent().kit().name());
            assertEquals(0.25f, e.engine.agent().kit().pad(DrumClass.SNARE).get(PadParam.GAIN));

            for (CompletableFuture<?> f : List.of(s.loadKit("../etc"), s.loadKit("nope"), s.loadPreset("nope"))) {
                ExecutionException x = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                        () -> f.get(30, TimeUnit.SECONDS));
                String reason = LibraryService.reason(x);
                assertTrue(!reason.isEmpty() && !reason.contains("\n") && x.getCause() instanceof LibraryException, reason);
            }
            assertEquals("no kit named 'nope'", LibraryService.reason(s.loadKit("nope").handle((k, t) -> t).get()));
        }
    }
}
