package io.latentkit.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelsLoadTest {
    @Test
    void shippedModelsLoadAndCarryTheFeatureMetadata() throws Exception {
        try (Models models = Models.loadDefault()) {
            assertTrue(models.isAvailable(), () -> models.unavailableReason().orElse(""));
            var meta = models.classifier().model().metadata();
            assertEquals("48000", meta.get("sample_rate"));
            assertEquals("1024", meta.get("n_fft"));
            assertEquals("256", meta.get("hop"));
            assertEquals("64", meta.get("mel_bands"));
            assertEquals("32768", meta.get("clip_samples"));
            assertEquals("64", meta.get("latent_size"));
            assertEquals(FeatureSpec.expectedLabels(), meta.get("labels"));
            assertEquals(64, meta.get("training_data_digest").length());
            assertEquals(meta.get("training_data_digest"),
                    models.vae().decoderModel().metadata().get("training_data_digest"));
            assertEquals(meta.get("training_data_digest"),
                    models.shortClassifier().model().metadata().get("training_data_digest"));
            assertEquals(FeatureSpec.expectedLabels(), models.shortClassifier().model().metadata().get("labels"));
            assertEquals(10, models.classifier().lastProbabilities().length);
        }
    }

    @Test
    void aTwelveClassModelFromBefore2IsRefusedWithAOneLineReason(@TempDir Path dir) throws Exception {
        Fixtures.copyShippedModels(dir);
        Files.copy(Fixtures.path("bad/twelve_classes.onnx"), dir.resolve(DrumClassifier.FILE),
                StandardCopyOption.REPLACE_EXISTING);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Models.load(dir, 1));
        assertTrue(e.getMessage().startsWith("classifier.onnx: labels 'kick,snare,rim,clap,hihat_closed,hihat_open,"
                + "tom_low,tom_mid,tom_high,crash,ride,perc' are not latentkit's ten hit classes"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void aFullClassifierInTheShortClassifiersPlaceIsRefused(@TempDir Path dir) throws Exception {
        Fixtures.copyShippedModels(dir);
        Files.copy(dir.resolve(DrumClassifier.FILE), dir.resolve(DrumClassifier.SHORT_FILE),
                StandardCopyOption.REPLACE_EXISTING);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Models.load(dir, 1));
        assertEquals("classifier_short.onnx: metadata says kind 'classifier', expected 'classifier_short'", e.getMessage());
    }

    /** A wrong FFT choice is a load failure with a one-line reason, not an exception out of load. */
    @Test
    void anInvalidFftChoiceLeavesTheServerWithoutModelsAndSaysWhy() {
        String before = System.getProperty(FrameFft.PROPERTY);
        System.setProperty(FrameFft.PROPERTY, "fftx");
        try (Models models = Models.loadDefault()) {
            assertFalse(models.isAvailable());
            String reason = models.unavailableReason().orElse("");
            assertTrue(reason.contains("latentkit.fft must be fftw or jtransforms, not 'fftx'"), reason);
            assertFalse(reason.contains("\n"), reason);
        } finally {
            if (before == null) {
                System.clearProperty(FrameFft.PROPERTY);
            } else {
                System.setProperty(FrameFft.PROPERTY, before);
            }
        }
    }

    @Test
    void aMissingModelFileGivesAOneLineReason(@TempDir Path dir) throws Exception {
        Fixtures.copyShippedModels(dir);
        Files.delete(dir.resolve(DrumVae.DECODER_FILE));
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Models.load(dir, 1));
        assertTrue(e.getMessage().startsWith("vae_decoder.onnx: missing"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
        Models m = Models.loadOrUnavailable(dir, 1);
        assertFalse(m.isAvailable());
        assertThrows(ModelLoadException.class, m::classifier);
    }

    @Test
    void aCorruptModelFileIsRefusedWithAOneLineReason(@TempDir Path dir) throws Exception {
        Fixtures.copyShippedModels(dir);
        Files.copy(Fixtures.path("bad/corrupt.onnx"), dir.resolve(DrumClassifier.FILE), StandardCopyOption.REPLACE_EXISTING);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Models.load(dir, 1));
        assertTrue(e.getMessage().startsWith("classifier.onnx: not a usable ONNX model"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void aModelTrainedWithAnotherHopIsRefused(@TempDir Path dir) throws Exception {
        Fixtures.copyShippedModels(dir);
        Files.copy(Fixtures.path("bad/mismatched_hop.onnx"), dir.resolve(DrumClassifier.FILE),
                StandardCopyOption.REPLACE_EXISTING);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Models.load(dir, 1));
        assertEquals("classifier.onnx: hop is 512 but this build computes 256", e.getMessage());
    }

    @Test
    void aVaeFileInTheClassifiersPlaceIsRefused(@TempDir Path dir) throws Exception {
        Fixtures.copyShippedModels(dir);
        Files.copy(dir.resolve(DrumVae.ENCODER_FILE), dir.resolve(DrumClassifier.FILE), StandardCopyOption.REPLACE_EXISTING);
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Models.load(dir, 1));
        assertEquals("classifier.onnx: metadata says kind 'vae_encoder', expected 'classifier'", e.getMessage());
    }

    @Test
    void nonFiniteModelOutputIsRejectedNotReturned(@TempDir Path dir) throws Exception {
        Fixtures.copyShippedModels(dir);
        Files.copy(Fixtures.path("bad/nan_output.onnx"), dir.resolve(DrumClassifier.FILE), StandardCopyOption.REPLACE_EXISTING);
        // The warm-up at load runs the model on zeros and already sees the NaN.
        ModelLoadException e = assertThrows(ModelLoadException.class, () -> Models.load(dir, 1));
        assertTrue(e.getMessage().contains("non-finite"), e.getMessage());
    }
}
