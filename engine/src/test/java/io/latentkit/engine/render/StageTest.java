package io.latentkit.engine.render;

import static io.latentkit.engine.OfflineRender.render;
import static io.latentkit.testsupport.Signals.firstNonZero;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.PadParam;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.control.Stage;
import io.latentkit.engine.control.TelemetryHandler;
import io.latentkit.engine.control.TelemetryReader;
import io.latentkit.testsupport.TestKits;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Staged commands reach the render thread as one event (everything they carry lands in the same
 * block, or nothing does) and come back to their issuer with what they replaced; the values the
 * render thread owns are published on the value board and to every telemetry reader.
 */
class StageTest {
    private static final int SR = 48_000;
    private static final EngineConfig CONFIG = EngineConfig.defaults();

    private static List<Stage> applied(Engine engine) {
        List<Stage> back = new ArrayList<>();
        engine.pollAppliedStages(back::add);
        return back;
    }

    @Test
    void aStageSwapsKitAndTempoAtItsFrameAndComesBackWithTheKitItReplaced() {
        Kit a = TestKits.kit(SR, pad -> TestKits.dc(10, 0.25f));
        Kit b = TestKits.kit(SR, pad -> TestKits.dc(10, 0.5f));
        Engine engine = Engine.create(CONFIG, a);
        Stage stage = new Stage("token").kit(b).tempo(90f);
        assertTrue(engine.proxy().stage(stage, 1_000));
        assertTrue(engine.proxy().trigger(0, 1f, 1_000));
        float[][] out = render(engine, 2_048);

        List<Stage> back = applied(engine);
        assertEquals(1, back.size());
        assertSame(stage, back.get(0));
        assertEquals("token", stage.token());
        assertEquals(1_000, stage.appliedFrame());
        assertFalse(stage.wasRejected());
        assertSame(a, stage.replacedKit());
        assertSame(b, engine.agent().kit());
        assertEquals(1_000, firstNonZero(out[0]));
        // The hit at the stage's own frame already plays the new kit (0.5; the old one is 0.25).
        assertEquals(0.5f, out[0][1_000], 1e-6f);
        assertEquals(90f, engine.values().board().read(engine.values().tempoSlot()));
    }

    @Test
    void aStageWithAKitAtAnotherRateIsRefusedAsAWholeAndChangesNothing() {
        Kit a = TestKits.kit(SR, pad -> TestKits.dc(10, 0.25f));
        Engine engine = Engine.create(CONFIG, a);
        Stage stage = new Stage(null).kit(TestKits.kit(44_100, pad -> TestKits.dc(10, 0.5f))).tempo(90f);
        assertTrue(engine.proxy().stage(stage, EngineProxy.ASAP));
        render(engine, 256);

        assertEquals(List.of(stage), applied(engine));
        assertTrue(stage.wasRejected());
        assertNull(stage.replacedKit());
        assertSame(a, engine.agent().kit());
        assertEquals(120f, engine.values().board().read(engine.values().tempoSlot()), "tempo unchanged");
        assertEquals(1, engine.counters().kitsRejected());
    }

    @Test
    void aStageBeyondTheHorizonComesBackRefused() {
        Engine engine = Engine.create(CONFIG, TestKits.kit(SR, pad -> TestKits.dc(10, 0.25f)));
        Stage stage = new Stage(null).tempo(90f);
        assertTrue(engine.proxy().stage(stage, CONFIG.horizonFrames() + 10_000));
        render(engine, 256);
        assertEquals(List.of(stage), applied(engine));
        assertTrue(stage.wasRejected());
        assertEquals(1, engine.counters().beyondHorizon());
    }

    @Test
    void padValuesArePublishedWhenTheyChangeAndWhenAKitIsSwappedIn() {
        Kit a = TestKits.kit(SR, pad -> TestKits.dc(10, 0.25f));
        Kit b = TestKits.kit(SR, pad -> TestKits.dc(10, 0.5f));
        b.pad(DrumClass.SNARE).set(PadParam.PITCH, -5f);
        Engine engine = Engine.create(CONFIG, a);
        int gainSlot = engine.values().padSlot(DrumClass.KICK.pad(), PadParam.GAIN);
        int pitchSlot = engine.values().padSlot(DrumClass.SNARE.pad(), PadParam.PITCH);
        assertEquals(1f, engine.values().board().read(gainSlot), "published before the first block");

        engine.proxy().setPadParam(DrumClass.KICK.pad(), PadParam.GAIN, 9f, EngineProxy.ASAP);
        render(engine, 64);
        assertEquals(4f, engine.values().board().read(gainSlot), "the clamped value the pad holds");

        engine.proxy().swapKit(b, EngineProxy.ASAP);
        render(engine, 64);
        assertEquals(1f, engine.values().board().read(gainSlot));
        assertEquals(-5f, engine.values().board().read(pitchSlot));
    }

    @Test
    void everyTelemetryReaderFollowsTheWholeStreamOnItsOwn() {
        Engine engine = Engine.create(CONFIG, TestKits.kit(SR, pad -> TestKits.dc(10, 0.25f)));
        TelemetryReader first = engine.telemetry().newReader();
        TelemetryReader second = engine.telemetry().newReader();
        TelemetryHandler ignore = new TelemetryHandler() {
        };
        // A new reader starts at the most recent record: skip what was published before the test.
        first.poll(ignore, 10_000);
        second.poll(ignore, 10_000);
        engine.proxy().setPadParam(3, PadParam.PAN, 0.5f, EngineProxy.ASAP);
        engine.proxy().setTempo(100f, EngineProxy.ASAP);
        render(engine, SR * 2);

        for (TelemetryReader r : List.of(first, second)) {
            List<String> seen = new ArrayList<>();
            r.poll(new TelemetryHandler() {
                @Override
                public void onBeat(long beat, long frame) {
                    seen.add("beat " + beat);
                }

                @Override
                public void onParam(int pad, int param, float value, long frame) {
                    seen.add("param " + pad + " " + PadParam.ofOrdinal(param).oscName() + " " + value);
                }

                @Override
                public void onTempo(float bpm, long frame) {
                    seen.add("tempo " + bpm);
                }
            }, 10_000);
            assertEquals(List.of("param 3 pan 0.5", "tempo 100.0", "beat 0", "beat 1", "beat 2", "beat 3"),
                    seen.subList(0, 6));
            assertEquals(0, r.lost());
        }
    }
}
