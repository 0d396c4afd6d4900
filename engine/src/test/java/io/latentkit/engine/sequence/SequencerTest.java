package io.latentkit.engine.sequence;

import static io.latentkit.engine.OfflineRender.render;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.DrumClass;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The sequencer through the engine's own render code, offline: every step's first non-zero sample
 * is on the frame its tick, tempo and swing give; edits, loads, tempo changes and transport take
 * effect where the contract says.
 */
class SequencerTest {
    private static final int SR = 48_000;
    private static final int KICK = DrumClass.KICK.pad();
    private static final int SNARE = DrumClass.SNARE.pad();

    /** Pads of 10-frame DC, so each hit's first sample is non-zero and hits never overlap. */
    private static Engine engine() {
        Engine e = Engine.create(EngineConfig.defaults(), TestKits.kit(SR, pad -> TestKits.dc(10, 0.05f * (pad + 1))));
        return e;
    }

    /** Frames where the signal goes from zero to non-zero. */
    private static List<Long> onsets(float[] x, long offset) {
        List<Long> at = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            if (x[i] != 0f && (i == 0 || x[i - 1] == 0f)) {
                at.add(offset + i);
            }
        }
        return at;
    }

    private static long ceilDiv(long a, long b) {
        return -Math.floorDiv(-a, b);
    }

    @ParameterizedTest
    @ValueSource(ints = {90, 120, 137})
    void stepsStartOnTheExactFrameOfTheirTickAtAnyTempo(int bpm) {
        Engine engine = engine();
        SequencerProxy seq = new SequencerProxy(engine.proxy());
        int[] ticks = {0, 1, 8, 31, 77, 100, 127};
        for (int t : ticks) {
            seq.cell(KICK, t, 1f, EngineProxy.ASAP);
        }
        engine.proxy().setTempo(bpm, EngineProxy.ASAP);
        long play = 1_001;
        seq.play(play);
        long barFrames = ceilDiv(128L * 60 * SR, bpm * 32L);
        float[][] out = render(engine, (int) (play + 2 * barFrames + 64));
        List<Long> expected = new ArrayList<>();
        for (int bar = 0; bar < 2; bar++) {
            for (int t : ticks) {
                expected.add(play + ceilDiv((bar * 128L + t) * 60 * SR, bpm * 32L));
            }
        }
        List<Long> got = onsets(out[0], 0);
        assertEquals(expected, got.subList(0, expected.size()));
        assertEquals(0, engine.counters().lateEvents());
    }

    @Test
    void swingDelaysTheOffBeatSixteenthsByItsWarp() {
        Engine engine = engine();
        SequencerProxy seq = new SequencerProxy(engine.proxy());
        int[] ticks = {0, 4, 8, 12, 16, 24, 40};
        for (int t : ticks) {
            seq.cell(SNARE, t, 0.8f, EngineProxy.ASAP);
        }
        seq.swing(0.5f, EngineProxy.ASAP);
        long play = 333;
        seq.play(play);
        float[][] out = render(engine, 48_000);
        // 120 BPM: 750 frames a tick. Delay s/2 * min(q, 16 - q) ticks for position q in the eighth.
        long[] expected = new long[ticks.length];
        for (int i = 0; i < ticks.length; i++) {
            int q = ticks[i] % 16;
            double delay = 0.25 * Math.min(q, 16 - q);
            expected[i] = play + (long) Math.ceil((ticks[i] + delay) * 750);
        }
        List<Long> got = onsets(out[0], 0);
        for (int i = 0; i < ticks.length; i++) {
            assertEquals(expected[i], got.get(i), "tick " + ticks[i]);
        }
        assertEquals(8 * 750 + 1_500 + play, got.get(2), "the off-beat sixteenth moves by 2 ticks at swing 0.5");
    }

    @Test
    void aCellEditedWhilePlayingIsHeardOnItsNextPass() {
        Engine engine = engine();
        SequencerProxy seq = new SequencerProxy(engine.proxy());
        seq.play(0);
        render(engine, 48_000); // half of the 96,000-frame bar at 120 BPM
        seq.cell(SNARE, 0, 1f, EngineProxy.ASAP); // tick 0 has passed in this bar
        seq.cell(KICK, 100, 1f, EngineProxy.ASAP); // tick 100 (75,000) is still ahead
        float[][] out = render(engine, 96_000);
        List<Long> got = onsets(out[0], 48_000);
        assertEquals(List.of(75_000L, 96_000L), got, "the kick later in this bar, the snare at the next bar line");
    }

    @Test
    void aTempoChangeTakesEffectAtTheNextTick() {
        Engine engine = engine();
        SequencerProxy seq = new SequencerProxy(engine.proxy());
        seq.cell(KICK, 1, 1f, EngineProxy.ASAP);
        seq.cell(KICK, 33, 1f, EngineProxy.ASAP);
        seq.play(0);
        engine.proxy().setTempo(90f, 300); // between tick 0 (frame 0) and tick 1 (frame 750)
        float[][] out = render(engine, 40_000);
        // Tick 1 keeps its frame; the 32 ticks after it are 1,000 frames apart at 90 BPM.
        assertEquals(List.of(750L, 750L + 32 * 1_000L), onsets(out[0], 0));
    }

    @Test
    void aLoadedPatternTakesOverAtTheNextBarLineFromItsFirstBar() {
        Engine engine = engine();
        SequencerProxy seq = new SequencerProxy(engine.proxy());
        seq.cell(KICK, 0, 1f, EngineProxy.ASAP);
        seq.cell(KICK, 64, 1f, EngineProxy.ASAP);
        seq.play(0);
        render(engine, 30_016); // whole blocks
        Pattern next = new Pattern().set(SNARE, 32, 1f);
        engine.proxy().stage(new Stage(null).pattern(next), EngineProxy.ASAP);
        float[][] out = render(engine, 200_000);
        List<Long> got = onsets(out[0], 30_016);
        // The old pattern's kick at tick 64 (48,000) still plays; from the bar line (96,000) the new one.
        assertEquals(List.of(48_000L, 96_000L + 32 * 750, 192_000L + 32 * 750), got);
        assertTrue(out[0][48_000 - 30_016] < 0.06f, "the hit at 48,000 is the old pattern's kick (0.05)");
    }

    @Test
    void stopHoldsThePositionAndContinueResumesFromIt() {
        Engine engine = engine();
        SequencerProxy seq = new SequencerProxy(engine.proxy());
        for (int t = 0; t < 128; t += 16) {
            seq.cell(KICK, t, 1f, EngineProxy.ASAP);
        }
        seq.play(0);
        seq.stop(24_500); // after tick 32 (24,000), before tick 33 (24,750)
        seq.resume(50_000);
        float[][] out = render(engine, 80_000);
        // Tick 33 falls on the resume frame, so tick 48 is 15 ticks later.
        assertEquals(List.of(0L, 12_000L, 24_000L, 50_000L + 15 * 750, 50_000L + 31 * 750), onsets(out[0], 0));
    }

    @Test
    void aMutedRowIsSilentAndUnmutedPlaysAgain() {
        Engine engine = engine();
        SequencerProxy seq = new SequencerProxy(engine.proxy());
        seq.cell(KICK, 0, 1f, EngineProxy.ASAP);
        seq.cell(SNARE, 64, 1f, EngineProxy.ASAP);
        seq.mute(KICK, true, EngineProxy.ASAP);
        seq.play(0);
        seq.mute(KICK, false, 90_000);
        float[][] out = render(engine, 100_000);
        assertEquals(List.of(48_000L, 96_000L), onsets(out[0], 0));
    }

    @Test
    void theSequencerReportsEveryBeatWithBarAndTick() {
        Engine engine = engine();
        TelemetryReader reader = engine.telemetry().newReader();
        SequencerProxy seq = new SequencerProxy(engine.proxy());
        seq.bars(2, EngineProxy.ASAP);
        seq.play(100);
        render(engine, 100 + 8 * 24_000 + 64);
        List<long[]> steps = new ArrayList<>();
        reader.poll(new TelemetryHandler() {
            @Override
            public void onPatternStep(int bar, int tick, long frame) {
                steps.add(new long[] {bar, tick, frame});
            }
        }, 10_000);
        assertEquals(9, steps.size());
        for (int b = 0; b < 9; b++) {
            assertEquals((b / 4) % 2, steps.get(b)[0], "bar of beat " + b);
            assertEquals((b % 4) * 32L, steps.get(b)[1], "tick of beat " + b);
            assertEquals(100 + b * 24_000L, steps.get(b)[2], "frame of beat " + b);
        }
    }

    @Test
    void aGeneratedBarGoesIntoItsSlotAndLengthensTheChain() {
        Engine engine = engine();
        SequencerProxy seq = new SequencerProxy(engine.proxy());
        engine.proxy().stage(new Stage(null).patternBar(1, new Pattern().set(SNARE, 0, 1f)), EngineProxy.ASAP);
        seq.play(0);
        float[][] out = render(engine, 3 * 96_000);
        assertEquals(List.of(96_000L), onsets(out[0], 0), "bar 1 of a two-bar chain; bar 0 is empty");
        assertEquals(2, engine.agent().sequencer().pattern().bars());
    }
}
