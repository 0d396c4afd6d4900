package io.latentkit.server.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.kit.Sample;
import io.latentkit.models.Models;
import io.latentkit.models.OnnxModel;
import io.latentkit.testsupport.CapturedLog;
import io.latentkit.testsupport.FaultModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20: {@code /models/reload} over real UDP with real model files broken in every way the
 * loader can meet (truncated, random bytes, another input shape, another kind), a decoder whose
 * answers turn NaN, and a server that started with a corrupt model. The running models must stay
 * in use through every refused reload (a decode after it is float-identical to one before), a
 * latent pad keeps the sound it plays through every failure, and a good set is used from the next
 * decode on.
 */
class ModelReloadTest {
    private static final int PAD = 2;
    private static final String DECODER = "vae_decoder.onnx";

    private static float[] point(float z0) {
        float[] z = new float[64];
        z[0] = z0;
        z[5] = 0.25f;
        return z;
    }

    @Test
    void aReloadThatFailsItsChecksKeepsTheRunningModelsAndSaysWhy(@TempDir Path home, @TempDir Path dir)
            throws Exception {
        FaultModels.copyShipped(dir);
        try (CapturedLog log = CapturedLog.open(); ModelRig rig = new ModelRig(home, dir)) {
            rig.sendZ(PAD, point(0.3f), 1);
            assertEquals("/latent/ready", rig.awaitZ(1).get(0));
            Sample before = rig.liveSample(PAD);
            assertNotNull(before);
            String version = rig.models.current().version();
            List<Consumer<Path>> faults = List.of(
                    d -> FaultModels.truncated(d, DECODER, 0.5),
                    d -> FaultModels.randomBytes(d, "vae_encoder.onnx", 65_536, 7L),
                    d -> FaultModels.crafted(d, FaultModels.WRONG_INPUT_SHAPE),
                    d -> FaultModels.swapped(d, "classifier.onnx", DECODER));
            List<String> reasons = List.of(
                    "vae_decoder.onnx: not a usable ONNX model (",
                    "vae_encoder.onnx: not a usable ONNX model (",
                    "vae_decoder.onnx: input 'z' has shape [1, 16]; this build needs [1, 64]",
                    "vae_decoder.onnx: metadata says kind 'classifier', expected 'vae_decoder'");
            for (int i = 0; i < faults.size(); i++) {
                FaultModels.copyShipped(dir);
                faults.get(i).accept(dir);
                rig.send("/models/reload");
                List<Object> r = rig.awaitReply("/models/reload");
                assertEquals("/fail", r.get(0), r.toString());
                String why = (String) r.get(2);
                Figures.append("model-reload.txt", "refused reload: " + r);
                assertTrue(why.startsWith(reasons.get(i)), why);
                assertTrue(why.endsWith("; still serving models " + version), why);
                assertFalse(why.contains("\n"), why);
                // Nothing changed for the pad: it plays the same sound object.
                assertSame(before, rig.liveSample(PAD));
            }
            assertEquals(4, log.recordsWith("model reload from " + dir + " refused").size(), log.records().toString());
            log.expect("model reload from " + dir + " refused");
            assertEquals(4, rig.status("model_reload_failures"));
            assertEquals(0, rig.status("model_reloads"));
            assertEquals(1, rig.status("models"));
            // The running models still decode, to the same floats as before the refusals.
            rig.sendZ(PAD, point(0.3f), 2);
            assertEquals("/latent/ready", rig.awaitZ(2).get(0));
            assertArrayEquals(before.left(), rig.liveSample(PAD).left());
        }
    }

    @Test
    void aGoodSetIsUsedFromTheNextDecodeAndANanDecoderNeverReachesThePad(@TempDir Path home, @TempDir Path dir)
            throws Exception {
        FaultModels.copyShipped(dir);
        try (ModelRig rig = new ModelRig(home, dir)) {
            rig.sendZ(PAD, point(0.3f), 1);
            rig.awaitZ(1);
            float[] shippedSound = rig.liveSample(PAD).left();
            // A decoder that is finite for z[0] >= -1 and NaN below: it passes every check.
            FaultModels.crafted(dir, FaultModels.NAN);
            float[] expected;
            try (Models direct = Models.load(dir, 1)) {
                expected = direct.vae().decode(point(0.3f));
            }
            rig.send("/models/reload");
            List<Object> done = rig.awaitReply("/models/reload");
            assertEquals(List.of("/done", "/models/reload", "models " + rig.models.current().version()), done);
            assertEquals(1, rig.status("model_reloads"));
            rig.sendZ(PAD, point(0.3f), 2);
            assertEquals("/latent/ready", rig.awaitZ(2).get(0));
            Sample good = rig.liveSample(PAD);
            assertArrayEquals(expected, good.left(), "the next decode is the new model's");
            assertFalse(Arrays.equals(shippedSound, good.left()));

            for (int id = 3; id <= 5; id++) {
                rig.sendZ(PAD, point(-2f), id);
                List<Object> r = rig.awaitZ(id);
                assertEquals(List.of("/fail", "/latent/z"), r.subList(0, 2), r.toString());
                String why = (String) r.get(r.size() - 1);
                Figures.append("model-reload.txt", "NaN decode " + (id - 2) + ": " + r);
                assertTrue(why.contains("vae_decoder.onnx produced a non-finite value"), why);
                assertSame(good, rig.liveSample(PAD), "the pad keeps its last good sound");
            }
            assertEquals(3, rig.status("model_nonfinite"));
            assertEquals(1, rig.status("model_bypassed"));
            // Bypassed: refused at once, even for a point it could decode.
            rig.sendZ(PAD, point(0.5f), 6);
            List<Object> r = rig.awaitZ(6);
            assertEquals("/fail", r.get(0));
            Figures.append("model-reload.txt", "while bypassed: " + r);
            assertTrue(((String) r.get(r.size() - 1)).contains("vae_decoder.onnx is bypassed"), r.toString());
            assertSame(good, rig.liveSample(PAD));
            assertEquals(0, rig.engine.counters().nonFiniteSamples());

            // The shipped decoder back: a reload clears the bypass and the first sound comes back bit for bit.
            FaultModels.copyShipped(dir);
            rig.send("/models/reload");
            assertEquals("/done", rig.awaitReply("/models/reload").get(0));
            assertEquals(0, rig.status("model_bypassed"));
            rig.sendZ(PAD, point(0.3f), 7);
            assertEquals("/latent/ready", rig.awaitZ(7).get(0));
            assertArrayEquals(shippedSound, rig.liveSample(PAD).left());
        }
    }

    @Test
    void aCorruptModelAtStartLeavesKitsPlayingAndLatentPadsRefusedUntilAReloadSucceeds(@TempDir Path home,
            @TempDir Path dir) throws Exception {
        FaultModels.copyShipped(dir);
        FaultModels.truncated(dir, DECODER, 0.3);
        try (CapturedLog log = CapturedLog.open(); ModelRig rig = new ModelRig(home, dir)) {
            assertEquals(0, rig.status("models"));
            rig.sendZ(PAD, point(0.3f), 1);
            List<Object> r = rig.awaitZ(1);
            assertEquals("/fail", r.get(0));
            String why = (String) r.get(r.size() - 1);
            Figures.append("model-reload.txt", "latent pad with a corrupt decoder at start: " + r);
            assertTrue(why.startsWith("models unavailable: vae_decoder.onnx: not a usable ONNX model ("), why);
            // The kit plays.
            int from = rig.sink.frames();
            rig.send("/hit", 0, 1.0f);
            for (int i = 0; i < 200; i++) {
                rig.renderBlock();
            }
            float peak = 0f;
            for (float v : rig.sink.left(from, rig.sink.frames())) {
                peak = Math.max(peak, Math.abs(v));
            }
            assertTrue(peak > 0.05f, "the kick sounded: peak " + peak);
            // A second refused reload, then the good file.
            rig.send("/models/reload");
            assertEquals("/fail", rig.awaitReply("/models/reload").get(0));
            assertEquals(1, log.recordsWith("refused: vae_decoder.onnx: not a usable ONNX model").size());
            log.expect("model reload from " + dir + " refused");
            Files.delete(dir.resolve(DECODER));
            FaultModels.copyShipped(dir);
            rig.send("/models/reload");
            assertEquals("/done", rig.awaitReply("/models/reload").get(0));
            assertEquals(1, rig.status("models"));
            rig.sendZ(PAD, point(0.3f), 2);
            assertEquals("/latent/ready", rig.awaitZ(2).get(0));
            assertNotNull(rig.liveSample(PAD));
        }
    }

    @Test
    void aBypassedDecoderIsTriedAgainAfterItsRestAndAGoodTrialServesThePadAgain(@TempDir Path home,
            @TempDir Path dir) throws Exception {
        FaultModels.copyShipped(dir);
        FaultModels.crafted(dir, FaultModels.NAN);
        long defaultRest = OnnxModel.defaultBypassRestNanos();
        // As serve --model-bypass-rest-ms 400: every set loaded from now on rests 400 ms.
        OnnxModel.defaultBypassRestNanos(400_000_000L);
        try (ModelRig rig = new ModelRig(home, dir)) {
            for (int id = 1; id <= 3; id++) {
                rig.sendZ(PAD, point(-2f), id);
                assertEquals("/fail", rig.awaitZ(id).get(0));
            }
            long bypassed = System.nanoTime();
            assertEquals(1, rig.status("model_bypassed"));
            // The rest, then one trial: a good point is decoded and the pad plays it.
            long end = bypassed + 400_000_000L;
            while (System.nanoTime() - end < 0) {
                rig.renderBlock();
            }
            rig.sendZ(PAD, point(0.3f), 4);
            List<Object> r = rig.awaitZ(4);
            Figures.append("model-reload.txt", "after a 400 ms rest, a good trial: " + r);
            assertEquals("/latent/ready", r.get(0), r.toString());
            assertEquals(0, rig.status("model_bypassed"), "back in service");
            assertEquals(3, rig.status("model_nonfinite"));
        } finally {
            OnnxModel.defaultBypassRestNanos(defaultRest);
        }
    }
}
