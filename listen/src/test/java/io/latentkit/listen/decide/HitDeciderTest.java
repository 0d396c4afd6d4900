package io.latentkit.listen.decide;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.latentkit.listen.ListenConfig;
import io.latentkit.listen.TestSignals;
import io.latentkit.models.ModelLoadException;
import io.latentkit.models.Models;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import io.latentkit.core.DrumClass;
import io.latentkit.listen.ListenModeAccess;
import java.util.List;
import java.util.function.IntFunction;

/** Enrolment with the shipped models (real ONNX sessions) on the default 10 ms window. */
class HitDeciderTest {
    private static final ListenConfig CONFIG = ListenConfig.defaults();
    private static Models models;

    @BeforeAll
    static void load() {
        models = Models.loadDefault();
        assertTrue(models.isAvailable(), models.unavailableReason().orElse(""));
    }

    @AfterAll
    static void close() {
        models.close();
    }

    private static HitDecider decider() throws ModelLoadException {
        return ListenModeAccess.decider(models, CONFIG);
    }

    /** The window the live agent hands over: 64 samples before the onset, then the window. */
    private static float[] window(float[] sound) {
        float[] clip = new float[64 + CONFIG.windowFrames()];
        System.arraycopy(sound, 0, clip, 64, Math.min(sound.length, clip.length - 64));
        return clip;
    }

    private static float[] boom(int i) {
        return TestSignals.thump(4_800, 0.5f + 0.08f * i, 120 + 9 * i, 50 + 2 * i, 90);
    }

    private static float[] tss(int i) {
        return TestSignals.burst(4_800, 0.3f + 0.1f * i, 15 + 3 * i, 100 + i);
    }

    private static String decide(HitDecider d, float[] sound) throws Exception {
        HitDecider.Decision out = new HitDecider.Decision();
        float[] w = window(sound);
        d.decide(w, 0, w.length, out);
        return out.className();
    }

    private static void teach(HitDecider d, String name, IntFunction<float[]> sounds) throws Exception {
        CompletableFuture<String> done = new CompletableFuture<>();
        d.learn(name, 5, done);
        HitDecider.Decision out = new HitDecider.Decision();
        for (int i = 0; i < 5; i++) {
            assertFalse(done.isDone(), "done after " + i + " examples");
            float[] w = window(sounds.apply(i));
            d.decide(w, 0, w.length, out);
            assertTrue(out.example());
            assertEquals(name, out.className(), "an example plays as its class");
        }
        assertEquals("learned '" + name + "' from 5 examples", done.get());
    }

    @Test
    void learnedClassesDecideNewHitsAndForgettingGivesTheClassifierBack() throws Exception {
        HitDecider d = decider();
        String boomBefore = decide(d, boom(7));
        teach(d, "boom", HitDeciderTest::boom);
        teach(d, "tss", HitDeciderTest::tss);
        for (int i = 5; i < 10; i++) {
            assertEquals("boom", decide(d, boom(i)), "held-back boom " + i);
            assertEquals("tss", decide(d, tss(i)), "held-back tss " + i);
        }
        assertEquals("forgot 'tss'", d.forget("tss"));
        assertEquals("boom", decide(d, tss(7)), "with one learned class, every hit is that class");
        assertThrows(IllegalArgumentException.class, () -> d.forget("tss"));
        assertEquals("forgot 1 learned class", d.forget("all"));
        assertEquals(boomBefore, decide(d, boom(7)), "the drum classifier decides again");
        assertTrue(DrumClass.fromName(boomBefore) != null);
    }

    @Test
    void examplesSurviveJsonAndAnotherSpaceIsEmbeddedAgain() throws Exception {
        HitDecider d = decider();
        teach(d, "boom", HitDeciderTest::boom);
        teach(d, "tss", HitDeciderTest::tss);
        ObjectMapper json = new ObjectMapper();
        String text = json.writeValueAsString(d.snapshot());
        ListenExamples back = json.readValue(text, ListenExamples.class);
        assertEquals(2, back.classes().size());
        assertEquals(5, back.classes().get(1).examples().size());

        HitDecider fresh = decider();
        assertEquals("restored 2 learned classes, 10 examples", fresh.restore(back));
        ListenExamples other = new ListenExamples(back.version(), "some/older/space", back.sampleRateHz(), back.classes());
        HitDecider reembedded = decider();
        assertEquals("restored 2 learned classes, 10 examples (embedded again: saved in another space)",
                reembedded.restore(other));
        for (int i = 5; i < 10; i++) {
            assertEquals("boom", decide(fresh, boom(i)));
            assertEquals("tss", decide(fresh, tss(i)));
            assertEquals("boom", decide(reembedded, boom(i)));
            assertEquals("tss", decide(reembedded, tss(i)));
        }
    }

    @Test
    void aNewLearnCutsShortTheOneRunningAndKeepsWhatItRecorded() throws Exception {
        HitDecider d = decider();
        CompletableFuture<String> first = new CompletableFuture<>();
        d.learn("boom", 5, first);
        HitDecider.Decision out = new HitDecider.Decision();
        float[] w = window(boom(0));
        d.decide(w, 0, w.length, out);
        d.decide(w, 0, w.length, out);
        d.learn("tss", 5, new CompletableFuture<>());
        ExecutionException e = assertThrows(ExecutionException.class, first::get);
        assertEquals("learning 'boom' was interrupted by learning 'tss' after 2 of 5 examples", e.getCause().getMessage());
        assertEquals(List.of("boom"), d.learnedClasses(), "tss has no example yet");
        assertEquals(2, d.snapshot().classes().get(0).examples().size(), "boom keeps its two examples");
        assertEquals("tss", d.learning());
    }

    @Test
    void badNamesAreRefusedWithTheRule() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Enrolment.checkName("Big Kick!"));
        assertEquals("a listen class is 1..32 of a-z 0-9 _ . - (and not 'all'), got 'Big Kick!'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Enrolment.checkName("all"));
        assertEquals("ts", Enrolment.checkName(" TS "));
    }
}
