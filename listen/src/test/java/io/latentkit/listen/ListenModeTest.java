package io.latentkit.listen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.DrumClass;
import io.latentkit.core.audio.AudioDecoder;
import io.latentkit.core.kit.DefaultKit;
import io.latentkit.core.kit.Kit;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.OfflineRender;
import io.latentkit.engine.control.EngineClock;
import io.latentkit.engine.sink.NullSink;
import io.latentkit.engine.sink.RecordingSink;
import io.latentkit.listen.input.LineSource;
import io.latentkit.testsupport.TestKits;
import io.latentkit.testsupport.audio.MicLine;
import io.latentkit.testsupport.CapturedLog;
import io.latentkit.testsupport.audio.MicMixer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import io.latentkit.engine.sink.AudioSink;
import java.util.concurrent.CompletableFuture;

/**
 * Listen mode end to end in real time: the engine on its render thread, listen mode reading the
 * test microphone ({@link MicMixer}, found through the real {@code AudioSystem} lookup), the
 * shipped models, and the engine's output recorded or counted.
 */
class ListenModeTest {
    private static final int SR = 48_000;
    private static final Kit PERFORMER = DefaultKit.create(SR);
    /** Pad p of the engine's kit plays 0.2 s of the constant 0.04 (p + 1): its level names it. */
    private static final Kit LEVELS = TestKits.kit(SR, p -> TestKits.dc(SR / 5, 0.04f * (p + 1)));

    @TempDir
    Path dir;

    private Engine engine;
    private ListenMode mode;
    private final List<ListenHit> hits = new CopyOnWriteArrayList<>();

    @BeforeEach
    void quietMicrophone() {
        MicMixer.reset();
    }

    @AfterEach
    void stop() {
        if (mode != null) {
            mode.close();
        }
        if (engine != null) {
            engine.close();
        }
        MicMixer.reset();
    }

    private void start(ListenConfig config, AudioSink sink) throws Exception {
        engine = Engine.create(EngineConfig.defaults(), LEVELS);
        engine.start(sink);
        mode = ListenMode.start(config, new LineSource(MicMixer.NAME, config.inputBlockFrames()), engine);
        mode.controls().addHitListener(hits::add);
        mode.ready().get(120, TimeUnit.SECONDS);
        assertTrue(mode.openFailure().isEmpty(), mode.openFailure().orElse(""));
    }

    /** A generous latency, so no decision misses its slot on a loaded machine, and a 150 ms window. */
    private static ListenConfig roomy() {
        return ListenConfig.forLatency(255).withWindowMs(150);
    }

    private static float[] sound(DrumClass c) {
        return PERFORMER.pad(c).pick(1f).left();
    }

    /** The sounds at the given spacing; returns the signal, the onsets in {@code at}. */
    private static float[] performance(DrumClass[] classes, int spacing, long lead, long[] at) {
        float[] x = new float[(int) (lead + classes.length * (long) spacing + SR)];
        for (int i = 0; i < classes.length; i++) {
            float[] s = sound(classes[i]);
            at[i] = lead + (long) i * spacing + leadIn(s);
            TestSignals.mix(x, s, lead + (long) i * spacing);
        }
        return x;
    }

    private static int leadIn(float[] s) {
        float peak = 0f;
        for (float v : s) {
            peak = Math.max(peak, Math.abs(v));
        }
        int i = 0;
        while (Math.abs(s[i]) < 1e-3f * peak) {
            i++;
        }
        return i;
    }

    /** Plays {@code x} into the microphone now; returns the input frame it starts at. */
    private static long play(float[] x) {
        MicMixer.play(x);
        MicLine line = MicMixer.lastLine();
        return line.signalStartFrame() - line.lostFrames();
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void aPerformancePlayedIntoTheCaptureLineTriggersTheRightPadsExactlyLatencyAfterEachOnset() throws Exception {
        Path wav = dir.resolve("out.wav");
        RecordingSink sink = new RecordingSink(wav, 256);
        ListenConfig config = roomy();
        start(config, sink);
        DrumClass[] classes = {DrumClass.KICK, DrumClass.SNARE, DrumClass.HIHAT_CLOSED, DrumClass.CLAP, DrumClass.KICK,
            DrumClass.SNARE};
        long[] at = new long[classes.length];
        float[] x = performance(classes, SR * 6 / 10, SR / 4, at);
        long start = play(x);
        await(() -> hits.size() >= classes.length, classes.length + " hits");
        Thread.sleep(x.length * 1000L / SR - (long) (classes.length - 1) * 600 + 300); // the rest, and any extra hit
        mode.close();
        mode = null;
        engine.close();
        engine = null;

        assertEquals(0L, MicMixer.lastLine().lostFrames(), "no input lost (a starved input thread would click)");
        assertEquals(classes.length, hits.size(), "hits: " + hits);
        float[] out = AudioDecoder.decode(wav).channel(0);
        long latency = config.latencyFrames(SR);
        long previousEnd = 0;
        for (int i = 0; i < classes.length; i++) {
            ListenHit h = hits.get(i);
            assertTrue(Math.abs(h.inputFrame() - (start + at[i])) <= SR / 1000,
                    "hit " + i + " found at input frame " + h.inputFrame() + ", sound starts at " + (start + at[i]));
            assertEquals(classes[i].oscName(), h.className(), "class of hit " + i);
            assertEquals(classes[i].pad(), h.pad(), "pad of hit " + i);
            assertFalse(h.missedSlot(), "hit " + i + " made its slot");
            assertEquals(h.onsetFrame() + latency, h.triggerFrame(), "hit " + i + " scheduled at onset + L");
            int first = (int) previousEnd;
            while (out[first] == 0f) {
                first++;
            }
            assertEquals(h.triggerFrame(), first, "first sample of voice " + i + " at onset + L");
            assertEquals(level(classes[i].pad()), out[first + 100], 1e-4f, "the voice of hit " + i + " is pad " + h.pad());
            previousEnd = first + SR / 5 + 10;
        }
        assertEquals(0L, sink.droppedFrames(), "the recording is complete, so its frame n is engine frame n");
    }

    @Test
    void autoLatencyPicksARungAndEachHitPlaysExactlyThatLatencyAfterItsOnset() throws Exception {
        Path wav = dir.resolve("auto.wav");
        RecordingSink sink = new RecordingSink(wav, 256);
        start(ListenConfig.auto(), sink);
        // The models are in (start waited for them): the latency was measured before they were installed.
        ListenConfig chosen = mode.configured().get(1, TimeUnit.SECONDS);
        assertFalse(chosen.autoLatency());
        double l = chosen.latencyMs();
        assertTrue(Arrays.stream(LatencyCalibration.LADDER_MS).anyMatch(r -> r == l), "a rung of the ladder: " + l);
        assertEquals(ListenConfig.windowFor(l), chosen.windowMs());
        assertEquals(chosen, mode.config());
        LatencyCalibration.Choice choice = mode.calibration().orElseThrow();
        assertEquals(l, choice.latencyMs());
        assertEquals(l, mode.controls().latencyMs(), "the controls (and /listen/status) report the latency chosen");
        assertEquals(chosen.windowMs(), mode.controls().windowMs());
        assertTrue(mode.controls().autoLatency());
        assertTrue(mode.describe().contains("drum " + Math.round(l) + " ms after each onset")
                && mode.describe().contains("; L = " + Math.round(l) + " ms (auto: "), mode.describe());

        // Not ending on the kick: its sample stops 0.6 s in, and with nothing struck there the stop is an onset.
        DrumClass[] classes = {DrumClass.KICK, DrumClass.SNARE, DrumClass.HIHAT_CLOSED, DrumClass.KICK, DrumClass.HIHAT_CLOSED,
            DrumClass.SNARE};
        long[] at = new long[classes.length];
        float[] x = performance(classes, SR * 6 / 10, SR / 4, at);
        long start = play(x);
        await(() -> hits.size() >= classes.length, classes.length + " hits");
        Thread.sleep(x.length * 1000L / SR - (long) (classes.length - 1) * 600 + 300);
        long missed = mode.counters().missedSlots();
        mode.close();
        mode = null;
        engine.close();
        engine = null;

        assertEquals(classes.length, hits.size(), "hits: " + hits);
        float[] out = AudioDecoder.decode(wav).channel(0);
        long latency = chosen.latencyFrames(SR);
        long previousEnd = 0;
        int inSlot = 0;
        for (int i = 0; i < classes.length; i++) {
            ListenHit h = hits.get(i);
            assertTrue(Math.abs(h.inputFrame() - (start + at[i])) <= SR / 1000,
                    "hit " + i + " found at input frame " + h.inputFrame() + ", sound starts at " + (start + at[i]));
            int first = (int) previousEnd;
            while (out[first] == 0f) {
                first++;
            }
            assertEquals(level(h.pad()), out[first + 100], 1e-4f, "the voice of hit " + i + " is pad " + h.pad());
            previousEnd = first + SR / 5 + 10;
            if (h.missedSlot()) {
                continue; // counted (below), and played at once
            }
            inSlot++;
            assertEquals(h.onsetFrame() + latency, h.triggerFrame(), "hit " + i + " scheduled at onset + L");
            assertEquals(h.triggerFrame(), first, "first sample of voice " + i + " at onset + L");
        }
        assertEquals(classes.length - inSlot, missed, "every missed slot counted");
        // A rung that holds here makes (nearly) every slot: a loaded machine may miss one.
        assertTrue(inSlot >= classes.length - 1, inSlot + " of " + classes.length + " hits made their slot at "
                + choice.describe());
    }

    /** The left-channel level pad {@code pad} of {@link #LEVELS} renders at. */
    private static float level(int pad) {
        Engine offline = Engine.create(EngineConfig.defaults(), LEVELS, EngineClock.fixed(0, SR));
        offline.proxy().trigger(pad, 1f, 0);
        return OfflineRender.render(offline, 256)[0][100];
    }

    @Test
    void learningThroughTheControlsChangesWhatPlays() throws Exception {
        start(roomy(), new NullSink(256));
        float[] boom = TestSignals.thump(SR / 5, 0.7f, 140, 50, 80);
        play(TestSignals.place(SR, boom, SR / 4));
        await(() -> hits.size() == 1, "a first hit");
        int before = hits.get(0).pad();

        CompletableFuture<String> learned = mode.controls().learn("boom");
        mode.controls().map("boom", 9);
        float[] five = new float[SR * 4];
        for (int i = 0; i < 5; i++) {
            TestSignals.mix(five, TestSignals.thump(SR / 5, 0.5f + 0.1f * i, 130 + 8 * i, 48 + 2 * i, 80), SR / 4 + i * SR / 2L);
        }
        play(five);
        assertEquals("learned 'boom' from 5 examples", learned.get(60, TimeUnit.SECONDS));
        await(() -> hits.size() == 6, "the five examples");
        play(TestSignals.place(SR * 2, boom, SR / 4, SR));
        await(() -> hits.size() == 8, "two hits after learning");

        assertTrue(before != 9, "before learning, the classifier chose pad " + before);
        for (ListenHit h : hits.subList(1, 6)) {
            assertTrue(h.example(), "an example: " + h);
            assertEquals("boom", h.className());
        }
        for (ListenHit h : hits.subList(6, 8)) {
            assertFalse(h.example());
            assertEquals("boom", h.className());
            assertEquals(9, h.pad(), "the learned class plays the pad it is mapped to");
        }
        assertEquals(List.of("boom"), mode.controls().learnedClasses());
        assertEquals(5, mode.controls().examples().classes().get(0).examples().size());
        assertEquals("forgot 'boom'", mode.controls().forget("boom").get(10, TimeUnit.SECONDS));
        assertTrue(mode.controls().examples().classes().isEmpty());
    }

    @Test
    void disablingStopsTriggeringAndEnablingResumes() throws Exception {
        start(roomy(), new NullSink(256));
        long[] at = new long[3];
        DrumClass[] three = {DrumClass.KICK, DrumClass.SNARE, DrumClass.KICK};
        mode.controls().enabled(false);
        float[] x = performance(three, SR / 2, SR / 4, at);
        play(x);
        Thread.sleep(x.length * 1000L / SR + 300);
        assertEquals(0, hits.size(), "nothing decided while disabled");
        assertEquals(0L, mode.counters().triggered());
        mode.controls().enabled(true);
        play(x);
        await(() -> hits.size() == 3, "three hits once enabled again");
        assertEquals(3L, mode.counters().triggered());
    }

    @Test
    void silenceAndNoiseTriggerNothing() throws Exception {
        start(roomy(), new NullSink(256));
        long framesBefore = mode.counters().framesRead();
        Thread.sleep(2_000);
        // A room getting noisy (StreamingOnsetDetectorTest checks the detector on it at every hop alignment).
        float[] x = TestSignals.roomGettingNoisy();
        play(x);
        Thread.sleep(x.length * 1000L / SR + 500);
        assertTrue(mode.counters().framesRead() - framesBefore > SR * 6, "the input kept flowing");
        assertEquals(0L, mode.counters().onsets(), "onsets in silence and noise");
        assertEquals(0, hits.size());
    }

    @Test
    void anErrorOnTheInputThreadRestartsItAndListeningGoesOn() throws Exception {
        start(roomy(), new NullSink(256));
        try (CapturedLog log = CapturedLog.open()) {
            log.expect("control thread latentkit-listen-input died of java.lang.LinkageError");
            MicMixer.lastLine().failNextRead(new LinkageError("simulated: the capture driver failed to link"));
            await(() -> engine.controlThreads().restarts() == 1, "the input thread restarted");
            long[] at = new long[2];
            long start = play(performance(new DrumClass[] {DrumClass.KICK, DrumClass.SNARE}, SR / 2, SR / 4, at));
            await(() -> hits.size() == 2, "hits after the restart");
            for (int i = 0; i < 2; i++) {
                ListenHit h = hits.get(i);
                assertTrue(Math.abs(h.inputFrame() - (start + at[i])) <= SR / 1000, "hit " + i + " at " + h.inputFrame());
            }
            assertEquals(1, log.recordsWith("control thread latentkit-listen-input died of java.lang.LinkageError").size());
        }
    }

    @Test
    void aStallingInputIsCountedAndListeningGoesOn() throws Exception {
        start(roomy(), new NullSink(256));
        long engineBefore = engine.counters().framePosition();
        MicMixer.lastLine().stall(400); // far longer than the line's buffer: frames are lost
        Thread.sleep(600);
        assertTrue(mode.counters().stalls() >= 1, "stall counted");
        assertTrue(engine.counters().framePosition() - engineBefore > SR / 2, "the engine rendered through the stall");
        assertTrue(MicMixer.lastLine().lostFrames() > 0);
        long[] at = new long[2];
        long start = play(performance(new DrumClass[] {DrumClass.KICK, DrumClass.SNARE}, SR / 2, SR / 4, at));
        await(() -> hits.size() == 2, "hits after the stall");
        assertTrue(mode.timeline().reanchors() >= 1, "the input timeline re-anchored after the lost frames");
        for (int i = 0; i < 2; i++) {
            ListenHit h = hits.get(i);
            assertTrue(Math.abs(h.inputFrame() - (start + at[i])) <= SR / 1000, "hit " + i + " at " + h.inputFrame());
            assertFalse(h.missedSlot());
            assertEquals(h.onsetFrame() + roomy().latencyFrames(SR), h.triggerFrame());
        }
    }

    @Test
    void anUnpluggedInputIsCountedTheEnginePlaysOnAndTheInputIsReopened() throws Exception {
        start(roomy(), new NullSink(256));
        MicMixer.unplug();
        await(() -> mode.counters().inputLost() == 1, "the loss counted");
        long engineBefore = engine.counters().framePosition();
        Thread.sleep(1_500);
        assertTrue(engine.counters().framePosition() - engineBefore > SR, "the engine played on");
        assertTrue(mode.counters().openFailures() >= 1, "reopening was tried while unplugged");
        assertEquals(1L, mode.counters().inputOpened());
        MicMixer.plugIn();
        await(() -> mode.counters().inputOpened() == 2, "the input reopened");
        long[] at = new long[1];
        play(performance(new DrumClass[] {DrumClass.SNARE}, SR / 2, SR / 4, at));
        await(() -> hits.size() == 1, "a hit on the reopened input");
        assertEquals(DrumClass.SNARE.pad(), hits.get(0).pad());
    }

    @Test
    void aDecisionThatMissesItsSlotPlaysAtOnceAndIsCounted() throws Exception {
        // 2 ms is less than the 10 ms window the decision waits for: every slot is missed.
        ListenConfig tooShort = ListenConfig.defaults().withLatencyMs(2);
        start(tooShort, new NullSink(256));
        long[] at = new long[3];
        play(performance(new DrumClass[] {DrumClass.KICK, DrumClass.SNARE, DrumClass.HIHAT_CLOSED}, SR / 2, SR / 4, at));
        await(() -> hits.size() == 3, "three hits");
        Thread.sleep(100);
        assertEquals(3L, mode.counters().missedSlots());
        assertEquals(3L, mode.counters().triggered(), "missed hits still play");
        for (ListenHit h : hits) {
            assertTrue(h.missedSlot());
            assertTrue(h.triggerFrame() > h.onsetFrame() + tooShort.latencyFrames(SR), "played late: " + h);
        }
    }

    @Test
    void aMissingDeviceIsReportedOnceAndRetriedWhileTheEngineServes() throws Exception {
        engine = Engine.create(EngineConfig.defaults(), LEVELS);
        engine.start(new NullSink(256));
        ListenConfig config = roomy();
        mode = ListenMode.start(config, new LineSource("no-such-microphone", 64), engine);
        assertEquals("no audio input device named 'no-such-microphone'", mode.openFailure().orElse(""));
        await(() -> mode.counters().openFailures() >= 2, "a retry");
        assertEquals(0L, mode.counters().inputOpened());
        assertTrue(engine.counters().framePosition() > 0);
    }
}
