package io.latentkit.engine.voice;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Pad;
import io.latentkit.core.kit.PadParam;
import io.latentkit.core.kit.Sample;
import io.latentkit.core.kit.VelocityLayer;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.OfflineRender;
import io.latentkit.engine.control.EngineClock;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.sink.MemorySink;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A tuned pad's pre-pitched copy plays exactly what the interpolator would have: the same floats,
 * frame for frame, to the same last frame, so a copy that lands at any moment changes no render.
 */
class PitchedCopiesTest {
    private static final int SR = 48_000;

    @Test
    void aVoiceFromTheCopyRendersTheSameFloatsAsTheInterpolatingVoiceMonoAndStereoAtEveryRatio() {
        Random rng = new Random(7);
        float[] l = noise(rng, 9_001);
        float[] r = noise(rng, 9_001);
        Sample mono = Sample.mono("m", l, SR);
        Sample stereo = Sample.stereo("s", l, r, SR);
        for (double semis : new double[] {-12, -7, -3.5, -0.01, 0.5, 3, 7, 12, 24}) {
            double ratio = Math.pow(2, semis / 12);
            for (Sample s : new Sample[] {mono, stereo}) {
                Sample copy = PitchedCopies.build(s, Voice.increment(ratio));
                // Played to its end, and released part way (the fade ends it).
                for (int releaseAt : new int[] {-1, 2_944}) {
                    float[][] live = play(s, null, ratio, releaseAt);
                    float[][] fromCopy = play(s, copy, ratio, releaseAt);
                    assertTrue(live[0].length > 2_000, "the voice sounded: " + live[0].length);
                    String what = semis + " semitones, " + s.name() + ", release at " + releaseAt;
                    assertArrayEquals(live[0], fromCopy[0], 0f, what + ", left");
                    assertArrayEquals(live[1], fromCopy[1], 0f, what + ", right");
                }
            }
        }
    }

    @Test
    void theRenderThreadUsesACopyOnlyForTheSampleAndPitchItWasBuiltFor() {
        PitchedCopies copies = new PitchedCopies();
        Sample a = Sample.mono("a", noise(new Random(1), 2_000), SR);
        Sample b = Sample.mono("b", noise(new Random(2), 2_000), SR);
        long down = Voice.increment(Math.pow(2, -3 / 12.0));
        long up = Voice.increment(Math.pow(2, 5 / 12.0));

        assertNull(copies.copyFor(3, a, down), "asked for, not built yet");
        assertEquals(1, copies.doWork());
        assertEquals(0, copies.doWork(), "nothing more asked for");
        Sample copyA = copies.copyFor(3, a, down);
        assertNotNull(copyA);
        assertEquals(PitchedCopies.build(a, down).frames(), copyA.frames());

        assertNull(copies.copyFor(3, a, up), "the pad's pitch changed: the old copy is not used");
        assertNull(copies.copyFor(3, b, down), "another sample (a velocity layer) has its own slot");
        assertEquals(1, copies.doWork());
        assertEquals(1, copies.doWork());
        assertEquals(0, copies.doWork());
        assertSame(copies.copyFor(3, b, down), copies.copyFor(3, b, down));
        assertNotNull(copies.copyFor(3, a, up));
        assertNull(copies.copyFor(4, a, up), "copies are per pad");
        assertEquals(3, copies.copiesBuilt());
        assertEquals(1, copies.doWork());
        assertNotNull(copies.copyFor(4, a, up));
        assertEquals(4, copies.copiesBuilt());
    }

    @Test
    void aKitSwapLetsTheOldKitsCopiesGoAndTheNewKitsPadsGetTheirOwn() {
        Engine engine = Engine.create(EngineConfig.defaults(), tunedKit(), EngineClock.fixed(0, SR));
        PitchedCopies copies = engine.agent().pitchedCopies();
        for (int pad = 0; pad < DrumClass.COUNT; pad++) {
            engine.proxy().trigger(pad, 0.9f, EngineProxy.ASAP);
        }
        OfflineRender.render(engine, 4_096);
        while (copies.doWork() > 0) {
            // build every copy asked for
        }
        assertEquals(DrumClass.COUNT, copies.copiesHeld(), "one copy per tuned pad");

        // Another kit: the old kit's copies are let go at the copier's next pass (before, they
        // stayed until each slot was reused), though its voices still sound from theirs.
        engine.proxy().swapKit(tunedKit(), EngineProxy.ASAP);
        OfflineRender.render(engine, 256);
        copies.doWork();
        assertEquals(0, copies.copiesHeld(), "nothing of the old kit is held");
        for (int pad = 0; pad < DrumClass.COUNT; pad++) {
            engine.proxy().trigger(pad, 0.9f, EngineProxy.ASAP);
        }
        OfflineRender.render(engine, 4_096);
        while (copies.doWork() > 0) {
            // the new kit's copies
        }
        assertEquals(DrumClass.COUNT, copies.copiesHeld());
        long used = copies.copiesUsed();
        for (int pad = 0; pad < DrumClass.COUNT; pad++) {
            engine.proxy().trigger(pad, 0.9f, EngineProxy.ASAP);
        }
        OfflineRender.render(engine, 256);
        assertEquals(used + DrumClass.COUNT, copies.copiesUsed(), "the new kit's hits play its copies");
        engine.close();
    }

    @Test
    void forgettingAPadLetsOnlyThatPadsCopiesGo() {
        PitchedCopies copies = new PitchedCopies();
        Sample a = Sample.mono("a", noise(new Random(1), 2_000), SR);
        long down = Voice.increment(Math.pow(2, -3 / 12.0));
        copies.copyFor(3, a, down);
        copies.copyFor(4, a, down);
        while (copies.doWork() > 0) {
            // both
        }
        assertEquals(2, copies.copiesHeld());
        copies.forgetPads(1 << 3);
        assertNull(copies.copyFor(3, a, down), "pad 3 asks again");
        assertNotNull(copies.copyFor(4, a, down), "pad 4 keeps its copy");
        copies.forgetPads(1 << 3);
        copies.doWork();
        assertEquals(1, copies.copiesHeld(), "pad 3's copy let go, pad 4's kept");
    }

    @Test
    void anEngineRendersATunedPadBitIdenticallyWithAndWithoutItsCopyAndUsesTheCopyOnceBuilt() {
        float[] withCopies = render(true);
        float[] without = render(false);
        assertArrayEquals(without, withCopies, 0f, "the same render whether the copies were ready or not");
    }

    @Test
    void anOfflineBounceBuildsTheCopiesItselfAndSoundsTheSameAsWithCopiesOff() throws Exception {
        float[][] on = bounce(true);
        float[][] off = bounce(false);
        assertArrayEquals(off[0], on[0], 0f);
        assertArrayEquals(off[1], on[1], 0f);
    }

    /** Two rounds of hits on every tuned pad through {@code renderOffline}, pre-pitching on or off. */
    private static float[][] bounce(boolean prePitch) throws Exception {
        Engine engine = Engine.create(EngineConfig.defaults(), tunedKit(), EngineClock.fixed(0, SR));
        engine.prePitch(prePitch);
        MemorySink sink = new MemorySink();
        for (int round = 0; round < 2; round++) {
            for (int pad = 0; pad < DrumClass.COUNT; pad++) {
                engine.proxy().trigger(pad, 0.9f, EngineProxy.ASAP);
            }
            engine.renderOffline(sink, 4_096);
        }
        PitchedCopies copies = engine.agent().pitchedCopies();
        assertEquals(prePitch ? DrumClass.COUNT : 0L, copies.copiesUsed(), "the second round played copies");
        engine.close();
        return new float[][] {sink.left(0, sink.frames()), sink.right(0, sink.frames())};
    }

    /** Twelve hits on tuned pads; with {@code copier} the copies are built between blocks. */
    private static float[] render(boolean copier) {
        Engine engine = Engine.create(EngineConfig.defaults(), tunedKit(), EngineClock.fixed(0, SR));
        EngineProxy proxy = engine.proxy();
        PitchedCopies copies = engine.agent().pitchedCopies();
        float[] out = new float[0];
        for (int round = 0; round < 4; round++) {
            for (int pad = 0; pad < DrumClass.COUNT; pad++) {
                proxy.trigger(pad, 0.9f, EngineProxy.ASAP);
            }
            float[][] block = OfflineRender.render(engine, 4_096);
            float[] joined = Arrays.copyOf(out, out.length + 2 * block[0].length);
            System.arraycopy(block[0], 0, joined, out.length, block[0].length);
            System.arraycopy(block[1], 0, joined, out.length + block[0].length, block[1].length);
            out = joined;
            while (copier && copies.doWork() > 0) {
                // build everything asked for before the next round of hits
            }
        }
        if (copier) {
            assertEquals(3L * DrumClass.COUNT, copies.copiesUsed(), "every hit after the first round played a copy");
        } else {
            assertEquals(0L, copies.copiesUsed());
        }
        engine.close();
        return out;
    }

    /** Every pad tuned (-5.5..+5.5 semitones, with a decay), mono and stereo in turn. */
    private static Kit tunedKit() {
        Random rng = new Random(11);
        Pad[] pads = new Pad[DrumClass.COUNT];
        for (int i = 0; i < pads.length; i++) {
            Sample s = i % 2 == 0 ? Sample.mono("p" + i, noise(rng, 3_000 + 100 * i), SR)
                    : Sample.stereo("p" + i, noise(rng, 3_000), noise(rng, 3_000), SR);
            pads[i] = new Pad(DrumClass.ofPad(i), VelocityLayer.of(s));
            pads[i].set(PadParam.PITCH, i - 5.5f);
            pads[i].set(PadParam.DECAY, 0.05f);
        }
        return new Kit("tuned", SR, pads);
    }

    /** Renders a whole voice in 64-frame blocks, released at frame {@code releaseAt} (-1: never). */
    private static float[][] play(Sample s, Sample copy, double ratio, int releaseAt) {
        Voice v = new Voice();
        v.start(s, copy, ratio, 0.8f, 0.3f, 0.9999f);
        float[] l = new float[40_000];
        float[] r = new float[40_000];
        int at = 0;
        while (at < l.length && v.render(l, r, at, Math.min(l.length, at + 64))) {
            at += 64;
            if (at == releaseAt) {
                v.release(700);
            }
        }
        int end = l.length;
        while (end > 0 && l[end - 1] == 0f && r[end - 1] == 0f) {
            end--;
        }
        return new float[][] {Arrays.copyOf(l, end), Arrays.copyOf(r, end)};
    }

    private static float[] noise(Random rng, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (rng.nextGaussian() * 0.2);
        }
        return x;
    }
}
