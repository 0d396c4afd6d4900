package io.latentkit.listen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.kit.Kit;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.sink.NullSink;
import io.latentkit.listen.input.LineSource;
import io.latentkit.models.ModelLoadException;
import io.latentkit.models.Models;
import io.latentkit.testsupport.TestKits;
import io.latentkit.testsupport.audio.MicMixer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 20: listen mode's models replaced while it listens (what {@code /models/reload} does to
 * its copy). In real time through the test microphone: a class learned before the swap still
 * plays its pad after it, and a set that cannot make a decider is refused with the reason while
 * the running one keeps deciding.
 */
class ListenModelReloadTest {
    private static final int SR = 48_000;
    private static final Kit LEVELS = TestKits.kit(SR, p -> TestKits.dc(SR / 5, 0.04f * (p + 1)));

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

    /**
     * Plays {@code sound} into the microphone until listen mode hears it (a loaded machine can make
     * the test line lose a block; the input then reopens), at most 6 times; returns the hit.
     */
    private ListenHit heard(float[] sound) throws InterruptedException {
        for (int attempt = 0; attempt < 6; attempt++) {
            int before = hits.size();
            MicMixer.play(TestSignals.place(SR, sound, SR / 4));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (hits.size() == before && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            if (hits.size() > before) {
                Thread.sleep(300); // the rest of the placed second, so the next play starts on silence
                return hits.get(hits.size() - 1);
            }
        }
        throw new AssertionError("listen mode never heard the sound; hits " + hits + ", counters "
                + mode.counters().asMap());
    }

    @Test
    void aClassLearnedBeforeTheModelsAreReplacedStillPlaysItsPadAfterAndABadSetIsRefused() throws Exception {
        ListenConfig config = ListenConfig.forLatency(255).withWindowMs(150);
        engine = Engine.create(EngineConfig.defaults(), LEVELS);
        engine.start(new NullSink(256));
        mode = ListenMode.start(config, new LineSource(MicMixer.NAME, config.inputBlockFrames()), engine);
        mode.controls().addHitListener(hits::add);
        mode.ready().get(120, TimeUnit.SECONDS);
        assertTrue(mode.openFailure().isEmpty(), mode.openFailure().orElse(""));
        float[] boom = TestSignals.thump(SR / 5, 0.7f, 140, 50, 80);
        heard(boom); // the input is live before learning starts

        CompletableFuture<String> learned = mode.controls().learn("boom");
        mode.controls().map("boom", 9);
        for (int i = 0; i < 10 && !learned.isDone(); i++) {
            ListenHit h = heard(TestSignals.thump(SR / 5, 0.5f + 0.1f * (i % 5), 130 + 8 * (i % 5), 48 + 2 * (i % 5), 80));
            assertTrue(h.example(), "an example: " + h);
        }
        assertEquals("learned 'boom' from 5 examples", learned.get(10, TimeUnit.SECONDS));

        String described = mode.replaceModels(ListenModels.load()).get(60, TimeUnit.SECONDS);
        assertTrue(described.startsWith("classifier "), described);
        assertEquals(List.of("boom"), mode.controls().learnedClasses());
        for (int i = 0; i < 2; i++) {
            ListenHit h = heard(boom);
            assertEquals("boom", h.className(), h.toString());
            assertEquals(9, h.pad(), "the learned class plays its pad with the new models");
        }

        ExecutionException e = assertThrows(ExecutionException.class,
                () -> mode.replaceModels(Models.unavailable("vae_decoder.onnx: truncated")).get(60, TimeUnit.SECONDS));
        assertInstanceOf(ModelLoadException.class, e.getCause());
        assertEquals("models unavailable: vae_decoder.onnx: truncated", e.getCause().getMessage());
        assertEquals(9, heard(boom).pad(), "the running models still decide");
        assertEquals(0, mode.counters().modelErrors());
    }
}
