package io.latentkit.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.testsupport.FaultModels;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20's model failures on real files: truncated, random, mismatched and misbehaving models
 * (crafted by {@code models/training/make_fault_models.py}) through the real loader and ONNX Runtime.
 */
class ModelFaultsTest {
    private static ModelLoadException refused(Path dir) {
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Models.load(dir, 1));
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        return e;
    }

    @Test
    void aTruncatedDecoderIsRefusedWithAOneLineReason(@TempDir Path dir) {
        FaultModels.copyShipped(dir);
        FaultModels.truncated(dir, DrumVae.DECODER_FILE, 0.5);
        String why = refused(dir).getMessage();
        assertTrue(why.startsWith("vae_decoder.onnx: not a usable ONNX model ("), why);
    }

    @Test
    void randomBytesInTheEncodersPlaceAreRefusedWithAOneLineReason(@TempDir Path dir) {
        FaultModels.copyShipped(dir);
        FaultModels.randomBytes(dir, DrumVae.ENCODER_FILE, 65_536, 20L);
        String why = refused(dir).getMessage();
        assertTrue(why.startsWith("vae_encoder.onnx: not a usable ONNX model ("), why);
    }

    @Test
    void aDecoderTakingAnotherInputShapeIsRefusedNamingBothShapes(@TempDir Path dir) {
        FaultModels.copyShipped(dir);
        FaultModels.crafted(dir, FaultModels.WRONG_INPUT_SHAPE);
        assertEquals("vae_decoder.onnx: input 'z' has shape [1, 16]; this build needs [1, 64]", refused(dir).getMessage());
    }

    @Test
    void aClassifierInTheDecodersPlaceIsRefusedByItsKind(@TempDir Path dir) {
        FaultModels.copyShipped(dir);
        FaultModels.swapped(dir, DrumClassifier.FILE, DrumVae.DECODER_FILE);
        assertEquals("vae_decoder.onnx: metadata says kind 'classifier', expected 'vae_decoder'", refused(dir).getMessage());
    }

    @Test
    void aDecoderWhoseAnswersStopBeingFiniteIsBypassedAfterThreeAndCounted(@TempDir Path dir) throws Exception {
        FaultModels.copyShipped(dir);
        FaultModels.crafted(dir, FaultModels.NAN);
        // It passes the load's probe (a decode of the origin is finite) and fails only where made to.
        try (Models m = Models.load(dir, 1)) {
            DrumVae vae = m.vae();
            OnnxModel dec = vae.decoderModel();
            float[] good = new float[vae.latentSize()];
            good[0] = 0.5f;
            float[] bad = new float[vae.latentSize()];
            bad[0] = -2f;
            float[] out = vae.decode(good);
            for (float v : out) {
                assertTrue(Float.isFinite(v));
            }
            NonFiniteOutputException first = assertThrows(NonFiniteOutputException.class, () -> vae.decode(bad));
            assertEquals("vae_decoder.onnx produced a non-finite value; the result was discarded", first.getMessage());
            assertThrows(NonFiniteOutputException.class, () -> vae.decode(bad));
            assertFalse(dec.bypassed());
            NonFiniteOutputException third = assertThrows(NonFiniteOutputException.class, () -> vae.decode(bad));
            assertTrue(third.getMessage().contains("3 times in a row") && third.getMessage().contains("bypassed"),
                    third.getMessage());
            assertTrue(dec.bypassed());
            // Bypassed: refused without running, even for a point it could decode.
            ModelBypassedException e = assertThrows(ModelBypassedException.class, () -> vae.decode(good));
            assertEquals("vae_decoder.onnx is bypassed: its last 3 results were not finite (tried again 30 s after, "
                    + "or reload the models)", e.getMessage());
            assertEquals(3, dec.nonFinite());
            assertEquals(1, dec.bypasses());
            assertEquals(0, m.classifier().model().nonFinite());
        }
    }

    /** Three non-finite decodes in a row: the decoder is bypassed (and a good point refused at once). */
    private static void bypass(DrumVae vae, float[] good, float[] bad) {
        for (int i = 0; i < OnnxModel.BYPASS_AFTER; i++) {
            assertThrows(NonFiniteOutputException.class, () -> vae.decode(bad));
        }
        assertTrue(vae.decoderModel().bypassed());
        assertThrows(ModelBypassedException.class, () -> vae.decode(good), "refused during the rest");
    }

    /** Sleeps until {@code model}'s rest, begun at or before {@code bypassedAtNanos}, is certainly over. */
    private static void outlast(OnnxModel model, long bypassedAtNanos) throws InterruptedException {
        long end = bypassedAtNanos + model.bypassRestNanos();
        for (long left = end - System.nanoTime(); left >= 0; left = end - System.nanoTime()) {
            Thread.sleep(left / 1_000_000 + 1);
        }
    }

    @Test
    void afterTheRestOneGoodTrialPutsTheModelBackInService(@TempDir Path dir) throws Exception {
        FaultModels.copyShipped(dir);
        FaultModels.crafted(dir, FaultModels.NAN);
        try (Models m = Models.load(dir, 1)) {
            DrumVae vae = m.vae();
            OnnxModel dec = vae.decoderModel();
            assertEquals(30_000_000_000L, dec.bypassRestNanos(), "30 s by default");
            float[] good = new float[vae.latentSize()];
            float[] bad = new float[vae.latentSize()];
            bad[0] = -2f;
            dec.bypassRestNanos(60_000_000_000L); // long enough that the refusal below is inside it
            bypass(vae, good, bad);
            long bypassedAt = System.nanoTime(); // at or after the moment it was bypassed
            ModelBypassedException refused = assertThrows(ModelBypassedException.class, () -> vae.decode(good));
            assertTrue(refused.getMessage().contains("tried again 60 s after"), refused.getMessage());
            dec.bypassRestNanos(300_000_000L); // the rest under way is now 300 ms
            outlast(dec, bypassedAt);
            float[] out = vae.decode(good); // the trial: finite, so back in service
            for (float v : out) {
                assertTrue(Float.isFinite(v));
            }
            assertFalse(dec.bypassed(), "back in service");
            vae.decode(good);
            // In service, a bad answer counts from zero again: one alone does not bypass it.
            assertThrows(NonFiniteOutputException.class, () -> vae.decode(bad));
            assertFalse(dec.bypassed());
            vae.decode(good);
            assertEquals(1, dec.bypasses());
            assertEquals(OnnxModel.BYPASS_AFTER + 1, dec.nonFinite());
        }
    }

    @Test
    void afterTheRestOneBadTrialBypassesTheModelAgainAtOnce(@TempDir Path dir) throws Exception {
        FaultModels.copyShipped(dir);
        FaultModels.crafted(dir, FaultModels.NAN);
        try (Models m = Models.load(dir, 1)) {
            DrumVae vae = m.vae();
            OnnxModel dec = vae.decoderModel();
            float[] good = new float[vae.latentSize()];
            float[] bad = new float[vae.latentSize()];
            bad[0] = -2f;
            dec.bypassRestNanos(60_000_000_000L);
            bypass(vae, good, bad);
            long bypassedAt = System.nanoTime(); // at or after the moment it was bypassed
            dec.bypassRestNanos(300_000_000L);
            outlast(dec, bypassedAt);
            NonFiniteOutputException trial = assertThrows(NonFiniteOutputException.class, () -> vae.decode(bad));
            long again = System.nanoTime();
            assertEquals("vae_decoder.onnx produced a non-finite value 3 times in a row; the result was discarded and "
                    + "the model is bypassed for 300 ms", trial.getMessage());
            dec.bypassRestNanos(60_000_000_000L); // the rest under way, long enough for the refusal below
            assertTrue(dec.bypassed());
            assertEquals(2, dec.bypasses(), "one bad trial bypasses it again");
            assertThrows(ModelBypassedException.class, () -> vae.decode(good), "refused again, even a good point");
            // And after that rest, a good trial brings it back.
            dec.bypassRestNanos(300_000_000L);
            outlast(dec, again);
            vae.decode(good);
            assertFalse(dec.bypassed());
            assertEquals(OnnxModel.BYPASS_AFTER + 1, dec.nonFinite());
        }
    }

    @Test
    void theDefaultRestIsWhatModelsOpenedLaterGet(@TempDir Path dir) throws Exception {
        FaultModels.copyShipped(dir);
        long before = OnnxModel.defaultBypassRestNanos();
        try {
            OnnxModel.defaultBypassRestNanos(250_000_000L);
            try (Models m = Models.load(dir, 1)) {
                for (OnnxModel model : m.onnxModels()) {
                    assertEquals(250_000_000L, model.bypassRestNanos(), model.name());
                }
            }
            assertThrows(IllegalArgumentException.class, () -> OnnxModel.defaultBypassRestNanos(0));
        } finally {
            OnnxModel.defaultBypassRestNanos(before);
        }
    }

    @Test
    void aGoodAnswerBetweenBadOnesStartsTheCountAgain(@TempDir Path dir) throws Exception {
        FaultModels.copyShipped(dir);
        FaultModels.crafted(dir, FaultModels.NAN);
        try (Models m = Models.load(dir, 1)) {
            DrumVae vae = m.vae();
            float[] good = new float[vae.latentSize()];
            float[] bad = new float[vae.latentSize()];
            bad[0] = -2f;
            for (int i = 0; i < 4; i++) {
                assertThrows(NonFiniteOutputException.class, () -> vae.decode(bad));
                assertThrows(NonFiniteOutputException.class, () -> vae.decode(bad));
                vae.decode(good);
            }
            assertFalse(vae.decoderModel().bypassed());
            assertEquals(8, vae.decoderModel().nonFinite());
        }
    }

    @Test
    void aDecoderSlowerThanItsBudgetIsCountedAndStillAnswers(@TempDir Path dir) throws Exception {
        FaultModels.copyShipped(dir);
        FaultModels.crafted(dir, FaultModels.SLOW);
        try (Models m = Models.load(dir, 1)) {
            OnnxModel dec = m.vae().decoderModel();
            long before = dec.overBudget();
            // Eight 256 x 2048 x 2048 products (8.6e9 multiply-adds) do not fit 15 ms on one CPU core.
            float[] out = m.vae().decode(new float[m.vae().latentSize()]);
            assertTrue(Float.isFinite(out[100]));
            assertEquals(before + 1, dec.overBudget());
        }
    }

    @Test
    void theWorkerSwapsModelsBetweenTasksAndClosesTheOldOnes(@TempDir Path dir) throws Exception {
        FaultModels.copyShipped(dir);
        Models first = Models.load(dir, 1);
        Models second = Models.load(dir, 1);
        try (InferenceWorker w = new InferenceWorker(first)) {
            assertSame(first, w.submit(m -> m).get());
            Models[] seenInAdopt = new Models[1];
            w.replace(second, m -> {
                seenInAdopt[0] = m;
                return null;
            }).get();
            assertSame(second, seenInAdopt[0]);
            assertSame(second, w.submit(m -> m).get());
            assertSame(second, w.models());
            // An adoption that throws leaves the running models in place.
            Models third = Models.load(dir, 1);
            ExecutionException e = assertThrows(ExecutionException.class, () -> w.replace(third, m -> {
                throw new IllegalStateException("no");
            }).get());
            assertInstanceOf(IllegalStateException.class, e.getCause());
            assertSame(second, w.submit(m -> m).get());
            w.submit(m -> m.vae().decode(new float[m.vae().latentSize()])).get();
        }
    }
}
