package io.latentkit.listen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.DefaultKit;
import io.latentkit.core.kit.Kit;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.sink.AudioSink;
import io.latentkit.engine.sink.NullSink;
import io.latentkit.listen.input.LineSource;
import io.latentkit.testsupport.TestKits;
import io.latentkit.testsupport.audio.MicLine;
import io.latentkit.testsupport.audio.MicMixer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The server's own output fed back into its input: the engine plays real drums at wall-clock pace,
 * and the test microphone ({@link MicMixer}, through the real {@code AudioSystem} lookup) hears
 * what the engine rendered {@value #ROOM_MS} ms after the output buffer played it, at full level,
 * as a speaker next to the microphone would deliver it, on top of the performer's hits. The
 * performer and the engine play short knocks cut from the default kit; every class plays the
 * closed hat's.
 */
class ListenFeedbackTest {
    private static final int SR = 48_000;
    private static final int BUFFER = 1024;
    private static final int ROOM_MS = 15;
    private static final Kit KIT = DefaultKit.create(SR);
    /** What the engine plays: the default kit's sounds cut as the performer's are, so every echo is heard. */
    private static final Kit KNOCKS = TestKits.kit(SR, p -> sound(DrumClass.ofPad(p)));

    private Engine engine;
    private ListenMode mode;
    private final List<ListenHit> hits = new CopyOnWriteArrayList<>();

    /** A paced sink (a device with a {@value #BUFFER}-frame buffer) that keeps what it plays, by engine frame. */
    private static final class Speaker implements AudioSink {
        private final NullSink pace = new NullSink(BUFFER);
        private final float[] played = new float[SR * 40];
        private volatile long written;

        @Override
        public void open(int sampleRateHz, int blockFrames) {
            pace.open(sampleRateHz, blockFrames);
        }

        @Override
        public void write(float[] interleaved, int frames) {
            long w = written;
            for (int i = 0; i < frames && w + i < played.length; i++) {
                played[(int) (w + i)] = interleaved[2 * i];
            }
            written = w + frames; // published after the samples
            pace.write(interleaved, frames);
        }

        /** Engine frame {@code frame} as played, or silence where it was not rendered (yet). */
        float at(long frame) {
            return frame >= 0 && frame < Math.min(written, played.length) ? played[(int) frame] : 0f;
        }

        @Override
        public long deadlineMisses() {
            return pace.deadlineMisses();
        }

        @Override
        public String describe() {
            return "a speaker next to the microphone";
        }

        @Override
        public void close() {
            pace.close();
        }
    }

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

    /** Starts the engine into a speaker the microphone hears, and listen mode on that microphone. */
    private void start(boolean withTelemetry) throws Exception {
        ListenConfig config = ListenConfig.defaults();
        engine = Engine.create(EngineConfig.defaults(), KNOCKS);
        Speaker speaker = new Speaker();
        engine.start(speaker);
        LineSource mic = new LineSource(MicMixer.NAME, config.inputBlockFrames());
        mode = withTelemetry ? ListenMode.start(config, mic, engine)
                : ListenMode.start(config, mic, engine.proxy(), engine.clock(), engine.config().blockFrames(), ListenModels::load);
        mode.controls().addHitListener(hits::add);
        mode.ready().get(120, TimeUnit.SECONDS);
        // Every hit plays the closed hat: a short sound, so each echo is heard clear of the last.
        for (DrumClass c : DrumClass.values()) {
            mode.controls().map(c.oscName(), DrumClass.HIHAT_CLOSED.pad());
        }
        MicLine line = MicMixer.lastLine();
        long delay = BUFFER + ROOM_MS * SR / 1000;
        // Device frame n reaches the microphone at line start + n / SR; the speaker sounds then
        // what the engine rendered a buffer and the air's delay before.
        MicMixer.room(n -> speaker.at(engine.clock().frameAtNanoTime(line.startNanos() + n * 1_000_000_000L / SR) - delay));
    }

    /**
     * The kit's sound of {@code c} cut to its first 40 ms, faded out over the last 10 (a practice
     * pad's knock: its echo lands on silence and is heard).
     */
    private static float[] sound(DrumClass c) {
        float[] s = KIT.pad(c).pick(1f).left();
        float[] x = Arrays.copyOf(s, Math.min(s.length, SR / 25));
        int fade = SR / 100;
        for (int i = 0; i < fade; i++) {
            x[x.length - 1 - i] *= i / (float) fade;
        }
        return x;
    }

    /** Plays the hits {@code spacing} apart from a quarter second on; returns their input frames. */
    private static long[] perform(DrumClass[] classes, int spacing) {
        float[] x = new float[SR / 4 + classes.length * spacing + SR];
        long[] at = new long[classes.length];
        for (int i = 0; i < classes.length; i++) {
            float[] s = sound(classes[i]);
            int lead = 0;
            while (Math.abs(s[lead]) < 1e-3f) {
                lead++;
            }
            TestSignals.mix(x, s, SR / 4 + (long) i * spacing);
            at[i] = SR / 4 + (long) i * spacing + lead;
        }
        MicMixer.play(x);
        MicLine line = MicMixer.lastLine();
        long start = line.signalStartFrame() - line.lostFrames();
        for (int i = 0; i < at.length; i++) {
            at[i] += start;
        }
        return at;
    }

    @Test
    void withoutTheEnginesTelemetryOneHitTriggersItselfWithoutEnd() throws Exception {
        // The rig's own check: the speaker does reach the microphone, loudly enough to loop.
        start(false);
        perform(new DrumClass[] {DrumClass.HIHAT_CLOSED}, SR / 2);
        Thread.sleep(2_000);
        assertTrue(hits.size() >= 10, "one hit and its echoes, looping: " + hits.size() + " hits in 2 s");
    }

    @Test
    void ourOwnDrumsHeardAgainAreDroppedAndCountedWhileThePerformersHitsStillTrigger() throws Exception {
        start(true);
        DrumClass[] classes = {DrumClass.SNARE, DrumClass.KICK, DrumClass.HIHAT_CLOSED, DrumClass.SNARE, DrumClass.KICK,
            DrumClass.HIHAT_CLOSED, DrumClass.SNARE, DrumClass.KICK};
        long[] at = perform(classes, SR * 7 / 10);
        Thread.sleep(classes.length * 700L + 1_500);

        int real = 0;
        int echoes = 0;
        for (ListenHit h : hits) {
            boolean performer = false;
            for (long a : at) {
                performer |= Math.abs(h.inputFrame() - a) <= SR / 100;
            }
            real += performer ? 1 : 0;
            echoes += performer ? 0 : 1;
        }
        assertEquals(classes.length, real, "every performer's hit triggered: " + hits);
        // Without the guard one hit loops ten times and more in two seconds (the test above); with
        // it, an echo triggers only until its path is found (two rounds at most per chain).
        assertTrue(echoes <= classes.length, "echoes that triggered: " + echoes + " of " + hits);
        long lastReal = at[at.length - 1];
        for (ListenHit h : hits) {
            assertTrue(h.inputFrame() <= lastReal + SR / 2, "the loop ended: " + h + " is long after the last hit");
        }
        ListenCounters c = mode.counters();
        assertTrue(c.feedbackPaths() >= 1, "a feedback path found: " + c.asMap());
        assertTrue(c.feedbackSuppressed() >= classes.length - 2, "echoes dropped: " + c.asMap());
        long lagMs = c.feedbackLagMicros() / 1000;
        assertTrue(lagMs > ROOM_MS && lagMs < ROOM_MS + 60, "the path's lag, " + lagMs + " ms, is the buffer and the air");
        assertEquals(c.feedbackSuppressed(), c.asMap().get("feedback_suppressed"), "reported in /listen/status");
    }
}
