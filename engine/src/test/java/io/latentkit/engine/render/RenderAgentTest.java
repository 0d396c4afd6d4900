package io.latentkit.engine.render;

import io.latentkit.core.kit.DefaultKit;
import io.latentkit.engine.control.EngineSnapshot;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import static io.latentkit.testsupport.Signals.firstNonZero;
import static io.latentkit.testsupport.Signals.largestStep;
import static io.latentkit.engine.OfflineRender.render;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.DrumClass;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.testsupport.TestKits;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.control.TelemetryHandler;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.PadParam;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RenderAgentTest {
    private static final int SR = 48_000;
    private static final EngineConfig CONFIG = EngineConfig.defaults();

    private static Engine engineWith(Kit kit) {
        return Engine.create(CONFIG, kit);
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 63, 64, 65, 1000, 12_345, 47_999})
    void rendersTimestampedHitAtExactSampleOffset(long frame) {
        Engine engine = engineWith(TestKits.kit(SR, pad -> TestKits.dc(100, 0.5f)));
        assertTrue(engine.proxy().trigger(DrumClass.SNARE.pad(), 1f, frame));
        float[][] out = render(engine, 50_000);
        assertEquals(frame, firstNonZero(out[0]));
        assertEquals(frame, firstNonZero(out[1]));
        assertEquals(0, engine.counters().lateEvents());
    }

    @Test
    void hitsPublishedWhileRenderingLandAtTheirFrameToo() {
        Engine engine = engineWith(TestKits.kit(SR, pad -> TestKits.dc(10, 0.5f)));
        render(engine, 640);
        engine.proxy().trigger(0, 1f, 700);
        engine.proxy().trigger(0, 1f, 5_003);
        float[][] out = render(engine, 6_400);
        assertEquals(60, firstNonZero(out[0]), "frame 700 is offset 60 of this render");
        float[] tail = Arrays.copyOfRange(out[0], 100, out[0].length);
        assertEquals(5_003 - 640 - 100, firstNonZero(tail));
    }

    @Test
    void lateEventPlaysAtOnceAndIsCounted() {
        Engine engine = engineWith(TestKits.kit(SR, pad -> TestKits.dc(10, 0.5f)));
        render(engine, 6_400);
        engine.proxy().trigger(0, 1f, 100);
        float[][] out = render(engine, 640);
        assertEquals(0, firstNonZero(out[0]));
        assertEquals(1, engine.counters().lateEvents());
    }

    @Test
    void eventBeyondTheHorizonIsRefusedAndCounted() {
        Engine engine = engineWith(TestKits.kit(SR, pad -> TestKits.dc(10, 0.5f)));
        engine.proxy().trigger(0, 1f, CONFIG.horizonFrames() + 1_000);
        render(engine, 640);
        assertEquals(1, engine.counters().beyondHorizon());
        assertEquals(0, engine.counters().scheduledEvents());
    }

    @Test
    void fullRingCountsTheDropInsteadOfWaiting() {
        EngineConfig small = CONFIG.withRingSize(64);
        Engine engine = Engine.create(small, TestKits.kit(SR, pad -> TestKits.dc(10, 0.5f)));
        int accepted = 0;
        for (int i = 0; i < 100; i++) {
            if (engine.proxy().trigger(0, 1f, EngineProxy.ASAP)) {
                accepted++;
            }
        }
        assertEquals(64, accepted);
        assertEquals(36, engine.counters().ringFullDrops());
    }

    @Test
    void twoOfflineRendersOfTheSameScriptedSessionAreBitIdentical() {
        float[][] a = scriptedSession();
        float[][] b = scriptedSession();
        assertArrayEquals(a[0], b[0]);
        assertArrayEquals(a[1], b[1]);
        assertTrue(peak(a[0]) > 0.1f, "the session is audible");
    }

    private static float[][] scriptedSession() {
        Engine engine = engineWith(DefaultKit.create(SR));
        EngineProxy p = engine.proxy();
        p.setPadParam(DrumClass.SNARE.pad(), PadParam.PITCH, 3.5f, 0);
        p.setPadParam(DrumClass.TOM_LOW.pad(), PadParam.DECAY, 0.2f, 0);
        p.setPadParam(DrumClass.RIDE.pad(), PadParam.PAN, -0.7f, 0);
        for (int step = 0; step < 32; step++) {
            long at = step * 6_000L + 17;
            p.trigger(step % DrumClass.COUNT, 0.3f + 0.02f * step, at);
            p.trigger(DrumClass.HIHAT_CLOSED.pad(), 0.8f, at + 3_000);
        }
        p.setTempo(140f, 24_000);
        return render(engine, 200_000);
    }

    @Test
    void closedHatChokesARingingOpenHat() {
        int fade = CONFIG.framesForMs(CONFIG.fadeMs());
        Kit kit = TestKits.kit(SR, pad -> pad == DrumClass.HIHAT_CLOSED.pad()
                ? TestKits.sine(32, 300, 0.02f, SR) : TestKits.sine(SR, 300, 0.5f, SR));
        kit.pad(DrumClass.HIHAT_OPEN).set(PadParam.CHOKE, 1);
        kit.pad(DrumClass.HIHAT_CLOSED).set(PadParam.CHOKE, 1);
        Engine engine = engineWith(kit);
        engine.proxy().trigger(DrumClass.HIHAT_OPEN.pad(), 1f, 0);
        engine.proxy().trigger(DrumClass.HIHAT_CLOSED.pad(), 1f, 10_000);
        float[][] out = render(engine, 20_000);
        assertTrue(peak(Arrays.copyOfRange(out[0], 9_000, 10_000)) > 0.2f, "open hat rings before");
        float[] after = Arrays.copyOfRange(out[0], 10_000 + Math.max(fade, 32), 20_000);
        assertEquals(0f, peak(after), "nothing of the open hat is left after the choke fade");
        // The 300 Hz open hat moves at most 0.5 * 2pi * 300 / 48000 = 0.0196 per sample; a cut
        // would step by up to 0.5.
        assertTrue(largestStep(out[0], 1, 20_000) < 0.03f, "the choke fades rather than cuts");
    }

    @Test
    void stealingAVoiceFadesItWithoutAClick() {
        // 4 voices; each sound is a 100 Hz sine starting at phase 0, so onsets are smooth and any
        // large step could only come from cutting a stolen voice.
        EngineConfig four = CONFIG.withVoices(4);
        Engine engine = Engine.create(four, TestKits.kit(SR, pad -> TestKits.sine(SR, 100, 0.2f, SR)));
        for (int i = 0; i < 12; i++) {
            engine.proxy().trigger(i % DrumClass.COUNT, 1f, 1_000L + i * 1_237L);
        }
        float[][] out = render(engine, 30_000);
        assertEquals(8, engine.counters().voicesStolen());
        assertEquals(4, engine.counters().activeVoices());
        // A cut voice would step by up to 0.2; a 100 Hz sine of 4 x 0.2 moves at most 0.0105 per
        // sample; the 3 ms fade adds at most 0.2 / 144. Bound: 0.02.
        float step = largestStep(out[0], 1, out[0].length);
        assertTrue(step < 0.02f, "largest step " + step);
    }

    @Test
    void aFullPoolKeepsItsLimitSoundingUnderAStreamOfHits() {
        Engine engine = Engine.create(CONFIG.withVoices(64), TestKits.kit(SR, pad -> TestKits.dc(30 * SR, 0.001f)));
        for (int i = 0; i < 64; i++) {
            engine.proxy().trigger(i % DrumClass.COUNT, 1f, EngineProxy.ASAP);
        }
        render(engine, 640);
        assertEquals(64, engine.counters().activeVoices());
        for (int k = 0; k < 300; k++) {
            engine.proxy().trigger(k % DrumClass.COUNT, 1f, EngineProxy.ASAP);
            render(engine, 64 * 5);
            // The stolen voice's 3 ms fade has ended within the five blocks rendered since.
            assertEquals(64, engine.counters().activeVoices(), "after hit " + k);
        }
        assertEquals(300, engine.counters().voicesStolen());
        assertEquals(0, engine.counters().voicesCut());
    }

    @Test
    void swappingKitsMidNoteLeavesNoClick() {
        Engine engine = engineWith(TestKits.kit(SR, pad -> TestKits.sine(SR, 200, 0.6f, SR)));
        Kit next = TestKits.kit(SR, pad -> TestKits.sine(SR, 300, 0.6f, SR));
        engine.proxy().trigger(0, 1f, 0);
        engine.proxy().swapKit(next, 9_000);
        engine.proxy().trigger(0, 1f, 20_000);
        float[][] out = render(engine, 30_000);
        // 200 Hz at 0.6 (x sqrt2 pan law / sqrt2) moves at most 0.6 * 2pi * 200 / 48000 = 0.016
        // per sample. A cut at the swap would step by up to 0.6.
        float step = largestStep(out[0], 1, 20_000);
        assertTrue(step < 0.02f, "largest step across the swap " + step);
        assertEquals(0f, peak(Arrays.copyOfRange(out[0], 9_000 + 960, 20_000)),
                "the old kit's voice is gone after the 20 ms crossfade");
        assertTrue(peak(Arrays.copyOfRange(out[0], 20_000, 30_000)) > 0.3f, "the new kit plays");
        List<Kit> retired = new ArrayList<>();
        engine.pollRetired(retired::add);
        assertEquals(1, retired.size(), "the old kit comes back to be freed off the render thread");
        assertFalse(retired.get(0) == next);
    }

    @Test
    void nanInjectedIntoAVoiceGivesFiniteOutput() {
        float[] poisoned = TestKits.dc(1_000, 0.3f);
        poisoned[10] = Float.NaN;
        poisoned[11] = Float.POSITIVE_INFINITY;
        poisoned[12] = Float.NEGATIVE_INFINITY;
        Engine engine = engineWith(TestKits.kit(SR, pad -> pad == 0 ? poisoned : TestKits.dc(1_000, 0.2f)));
        engine.proxy().trigger(0, 1f, 100);
        engine.proxy().trigger(1, 1f, 100);
        float[][] out = render(engine, 2_000);
        for (float[] ch : out) {
            for (float x : ch) {
                assertTrue(Float.isFinite(x));
            }
        }
        assertTrue(engine.counters().nonFiniteSamples() >= 6, "each non-finite sample is counted");
        assertTrue(peak(out[0]) > 0.1f, "the rest of the mix still plays");
    }

    @Test
    void hotMixNeverExceedsTheCeiling() {
        Engine engine = engineWith(TestKits.kit(SR, pad -> TestKits.sine(SR, 55 + pad * 10, 0.95f, SR)));
        for (int i = 0; i < 64; i++) {
            engine.proxy().trigger(i % DrumClass.COUNT, 1f, i * 100L);
        }
        float[][] out = render(engine, 48_000);
        float ceiling = (float) Math.pow(10, -0.3 / 20);
        assertTrue(peak(out[0]) <= ceiling, "left peak " + peak(out[0]));
        assertTrue(peak(out[1]) <= ceiling, "right peak " + peak(out[1]));
        assertTrue(peak(out[0]) > 0.9f * ceiling, "the limiter holds the mix up at the ceiling");
        assertTrue(engine.counters().limitedSamples() > 0);
    }

    @Test
    void quietMixPassesTheGuardUnchanged() {
        Engine engine = engineWith(TestKits.kit(SR, pad -> TestKits.dc(100, 0.25f)));
        engine.proxy().setPadParam(0, PadParam.PAN, 0f, 0);
        engine.proxy().trigger(0, 1f, 0);
        float[][] out = render(engine, 64);
        // Centre pan: each side gets gain * cos(pi/4) * sqrt(2) = 1 (to float rounding).
        assertEquals(0.25f, out[0][5], 1e-6f);
        assertEquals(0L, engine.counters().limitedSamples());
    }

    @Test
    void velocityCurvePitchAndDecayShapeTheVoice() {
        Kit kit = TestKits.kit(SR, pad -> TestKits.dc(48_000, 0.5f));
        kit.pad(0).set(PadParam.CURVE, 2f);
        kit.pad(1).set(PadParam.DECAY, 0.1f);
        kit.pad(2).set(PadParam.PITCH, 12f);
        Engine engine = engineWith(kit);
        engine.proxy().trigger(0, 0.5f, 0);
        float[][] soft = render(engine, 64);
        assertEquals(0.5f * 0.25f, soft[0][10], 1e-6f, "velocity 0.5 squared");

        Engine decaying = engineWith(kit);
        decaying.proxy().trigger(1, 1f, 0);
        float[][] d = render(decaying, 4_800);
        assertEquals(0.5f * 1e-3f, d[0][4_799], 2e-5f, "-60 dB after the decay time");

        Engine pitched = engineWith(kit);
        pitched.proxy().trigger(2, 1f, 0);
        float[][] p = render(pitched, 48_000);
        int lastSound = 0;
        for (int i = 0; i < p[0].length; i++) {
            if (p[0][i] != 0f) {
                lastSound = i;
            }
        }
        assertEquals(24_000, lastSound, 2, "an octave up plays the second in half the time");
    }

    @Test
    void syncIsAcknowledgedAfterEarlierEventsAndTaggedTriggersReportTheirFrame() {
        Engine engine = engineWith(TestKits.kit(SR, pad -> TestKits.dc(10, 0.5f)));
        engine.proxy().trigger(3, 1f, 1_000, 42L);
        engine.proxy().sync(7L);
        render(engine, 2_048);
        List<String> seen = new ArrayList<>();
        engine.telemetry().poll(new TelemetryHandler() {
            @Override
            public void onSynced(long id, long frame) {
                seen.add("synced " + id + " @" + frame);
            }

            @Override
            public void onVoiceStarted(long tag, int pad, long frame) {
                seen.add("voice " + tag + " pad " + pad + " @" + frame);
            }
        }, 100);
        assertEquals(List.of("synced 7 @0", "voice 42 pad 3 @1000"), seen);
    }

    @Test
    void eventsPublishedInAnyOrderPlayInFrameThenArrivalOrder() {
        Engine engine = engineWith(TestKits.kit(SR, pad -> TestKits.dc(10, 0.5f)));
        SplittableRandom rnd = new SplittableRandom(7);
        int n = 200;
        long[][] expected = new long[n][];
        for (int i = 0; i < n; i++) {
            // Frames of the first two blocks in random order, with many ties: the first block's
            // come straight from the ring, the second's through the scheduler.
            long frame = rnd.nextInt(128);
            long tag = i + 1; // tag 0 means "untagged": no voice-started report
            assertTrue(engine.proxy().trigger(i % 12, 1f, frame, tag));
            expected[i] = new long[] {frame, tag};
        }
        Arrays.sort(expected, (a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        render(engine, 256);
        List<String> seen = new ArrayList<>();
        engine.telemetry().poll(new TelemetryHandler() {
            @Override
            public void onVoiceStarted(long tag, int pad, long frame) {
                seen.add(frame + "/" + tag);
            }
        }, 1_000);
        List<String> want = new ArrayList<>();
        for (long[] e : expected) {
            want.add(e[0] + "/" + e[1]);
        }
        assertEquals(want, seen);
        assertEquals(0, engine.counters().lateEvents());
    }

    @Test
    void snapshotCopiesTheLiveKitPadParametersAndTempoAtABlockBoundary() throws Exception {
        Kit kit = TestKits.kit(SR, pad -> TestKits.dc(10, 0.5f));
        Engine engine = engineWith(kit);
        engine.proxy().setPadParam(DrumClass.SNARE.pad(), PadParam.PITCH, -5f, EngineProxy.ASAP);
        engine.proxy().setPadParam(DrumClass.RIDE.pad(), PadParam.PAN, 0.25f, EngineProxy.ASAP);
        engine.proxy().setTempo(174f, EngineProxy.ASAP);
        EngineSnapshot snap = new EngineSnapshot();
        engine.proxy().snapshot(snap);
        assertFalse(snap.await(0, TimeUnit.MILLISECONDS), "not before the render thread ran");
        render(engine, 64);
        assertTrue(snap.await(1, TimeUnit.SECONDS));
        assertTrue(snap.kit() == kit);
        assertEquals(-5f, snap.pad(DrumClass.SNARE.pad(), PadParam.PITCH));
        assertEquals(0.25f, snap.pad(DrumClass.RIDE.pad(), PadParam.PAN));
        assertEquals(0f, snap.pad(DrumClass.KICK.pad(), PadParam.CURVE));
        assertEquals(174f, snap.tempoBpm());
    }

    @Test
    void releasingOneSourceFadesOnlyTheVoicesItStarted() {
        Engine engine = engineWith(TestKits.kit(SR, pad -> TestKits.dc(SR, 0.25f)));
        engine.proxy().trigger(0, 1f, 0, 0L, 1);
        engine.proxy().trigger(1, 1f, 0, 0L, 2);
        engine.proxy().releaseSource(1, 1_000);
        float[][] out = render(engine, 4_000);
        assertEquals(0.5f, out[0][999], 1e-6f, "both sound before the release");
        assertEquals(0.25f, out[0][3_000], 1e-6f, "source 2 plays on after source 1 faded");
        assertEquals(1, engine.counters().activeVoices());
    }

    @Test
    void beatsFollowTheTempoAndATempoChange() {
        Engine engine = engineWith(TestKits.kit(SR, pad -> TestKits.dc(10, 0.5f)));
        engine.proxy().setTempo(120f, 0);
        engine.proxy().setTempo(60f, 48_000);
        render(engine, 48_000 * 4);
        List<Long> beats = new ArrayList<>();
        engine.telemetry().poll(new TelemetryHandler() {
            @Override
            public void onBeat(long beat, long frame) {
                beats.add(frame);
            }
        }, 1_000);
        assertEquals(List.of(0L, 24_000L, 48_000L, 96_000L, 144_000L), beats);
    }

    private static float peak(float[] x) {
        float m = 0f;
        for (float v : x) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
