package io.latentkit.engine.render;

import static io.latentkit.engine.OfflineRender.render;
import static io.latentkit.testsupport.Signals.largestStep;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Sample;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.control.Stage;
import io.latentkit.testsupport.TestKits;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A pad's live sample (what a latent pad plays) is swapped by a stage at its frame without
 * rebuilding the kit: the next hit plays the new sound, voices already sounding keep theirs, a kit
 * swap keeps it, and the replaced sample comes back off the render thread only once no voice
 * plays it.
 */
class LivePadSampleTest {
    private static final int SR = 48_000;
    private static final EngineConfig CONFIG = EngineConfig.defaults();
    private static final int SNARE = DrumClass.SNARE.pad();

    private static Sample dc(int frames, float v) {
        return Sample.mono("live", TestKits.dc(frames, v), SR);
    }

    @Test
    void theNextHitAfterASwapPlaysTheNewSampleWhileTheSoundingVoiceKeepsItsOwn() {
        Engine engine = Engine.create(CONFIG, TestKits.kit(SR, pad -> TestKits.dc(10, 0.25f)));
        Sample first = dc(4_000, 0.125f);
        Sample second = dc(4_000, 0.5f);
        engine.proxy().stage(new Stage(null).padSample(SNARE, first), 0);
        engine.proxy().trigger(SNARE, 1f, 100);
        engine.proxy().stage(new Stage(null).padSample(SNARE, second), 1_000);
        engine.proxy().trigger(SNARE, 1f, 2_000);
        float[][] out = render(engine, 8_192);

        assertEquals(0.125f, out[0][100], "the first hit plays the first live sample, not the kit's");
        assertEquals(0.125f, out[0][1_999], "across the swap at 1000 the sounding voice keeps its sound");
        assertEquals(0.625f, out[0][2_000], 1e-6f, "the hit after the swap adds the new sample");
        assertEquals(0.5f, out[0][4_100], "after the first voice ended only the new one sounds");
        assertEquals(0f, out[0][6_100], "both ended");
    }

    @Test
    void aKitSwapKeepsTheLiveSampleAndANullSampleHandsThePadBackToItsLayers() {
        Engine engine = Engine.create(CONFIG, TestKits.kit(SR, pad -> TestKits.dc(10, 0.25f)));
        Kit next = TestKits.kit(SR, pad -> TestKits.dc(10, 0.75f));
        Sample live = dc(10, 0.5f);
        engine.proxy().stage(new Stage(null).padSample(SNARE, live), 0);
        engine.proxy().swapKit(next, 64);
        engine.proxy().trigger(SNARE, 1f, 128);
        engine.proxy().trigger(DrumClass.KICK.pad(), 1f, 256);
        engine.proxy().stage(new Stage(null).padSample(SNARE, null), 512);
        engine.proxy().trigger(SNARE, 1f, 600);
        float[][] out = render(engine, 1_024);

        assertEquals(0.5f, out[0][128], "the live sample outlives the kit it was set on");
        assertEquals(0.75f, out[0][256], "the other pads play the new kit");
        assertEquals(0.75f, out[0][600], "back to the kit's own sample");
        assertNull(engine.agent().kit().pad(SNARE).liveSample());
        assertSame(next, engine.agent().kit());
    }

    @Test
    void aReplacedSampleComesBackOnlyAfterItsLastVoiceEnded() {
        Engine engine = Engine.create(CONFIG, TestKits.kit(SR, pad -> TestKits.dc(10, 0.25f)));
        Sample old = dc(10_000, 0.1f);
        engine.proxy().stage(new Stage(null).padSample(SNARE, old), 0);
        engine.proxy().trigger(SNARE, 1f, 0);
        engine.proxy().stage(new Stage(null).padSample(SNARE, dc(100, 0.2f)), 1_024);
        render(engine, 4_096);
        List<Sample> back = new ArrayList<>();
        engine.pollRetiredSamples(back::add);
        assertTrue(back.isEmpty(), "its voice still plays it");
        render(engine, 8_192);
        engine.pollRetiredSamples(back::add);
        assertEquals(List.of(old), back);
    }

    @Test
    void aSampleSwappedBackInBeforeItsVoicesEndedIsNotHandedBack() {
        Engine engine = Engine.create(CONFIG, TestKits.kit(SR, pad -> TestKits.dc(10, 0.25f)));
        Sample a = dc(5_000, 0.1f);
        Sample b = dc(5_000, 0.2f);
        engine.proxy().stage(new Stage(null).padSample(SNARE, a), 0);
        engine.proxy().trigger(SNARE, 1f, 0);
        engine.proxy().stage(new Stage(null).padSample(SNARE, b), 256);
        engine.proxy().stage(new Stage(null).padSample(SNARE, a), 512);
        render(engine, 16_384);
        List<Sample> back = new ArrayList<>();
        engine.pollRetiredSamples(back::add);
        assertEquals(List.of(b), back, "a is live again; only b is retired");
        assertSame(a, engine.agent().kit().pad(SNARE).liveSample());
    }

    @Test
    void aStageWithALiveSampleAtAnotherRateIsRefusedAsAWhole() {
        Engine engine = Engine.create(CONFIG, TestKits.kit(SR, pad -> TestKits.dc(10, 0.25f)));
        Stage stage = new Stage(null).tempo(90f).padSample(SNARE, Sample.mono("x", TestKits.dc(10, 1f), 44_100));
        engine.proxy().stage(stage, EngineProxy.ASAP);
        render(engine, 256);
        List<Stage> back = new ArrayList<>();
        engine.pollAppliedStages(back::add);
        assertEquals(List.of(stage), back);
        assertTrue(stage.wasRejected());
        assertNull(engine.agent().kit().pad(SNARE).liveSample());
        assertEquals(120f, engine.values().board().read(engine.values().tempoSlot()));
    }

    @Test
    void swappingASoundingPadsSampleLeavesNoStepBeyondTheKitSwapBound() {
        // A 200 Hz sine at 0.6 is ringing when the pad's sample is swapped to a 300 Hz one: the
        // swap itself must not touch it, so the step stays within the bound of the kit-swap test.
        Engine engine = Engine.create(CONFIG, TestKits.kit(SR, pad -> TestKits.dc(10, 0.25f)));
        engine.proxy().stage(new Stage(null).padSample(0, Sample.mono("a", TestKits.sine(SR, 200, 0.6f, SR), SR)), 0);
        engine.proxy().trigger(0, 1f, 0);
        engine.proxy().stage(new Stage(null).padSample(0, Sample.mono("b", TestKits.sine(SR, 300, 0.6f, SR), SR)), 9_000);
        float[][] out = render(engine, 20_000);
        float step = largestStep(out[0], 1, 20_000);
        assertTrue(step < 0.02f, "largest step across the sample swap " + step);
        assertFalse(out[0][9_000] == 0f);
    }
}
