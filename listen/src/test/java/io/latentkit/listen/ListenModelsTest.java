package io.latentkit.listen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.models.DrumClassifier;
import io.latentkit.models.Models;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A short-window classifier in the build's resources replaces the shipped one for listen mode. */
class ListenModelsTest {
    private static InputStream shipped(String name) {
        return Models.class.getResourceAsStream(Models.RESOURCE_DIR + name);
    }

    @Test
    void aShortClassifierInTheResourcesIsTheOneListenModeLoads() throws Exception {
        List<String> asked = new ArrayList<>();
        // The shipped classifier stands in for the short one: a real model under the short name.
        try (Models m = ListenModels.load(name -> {
            asked.add(name);
            return shipped(name.equals(ListenModels.SHORT_CLASSIFIER) ? DrumClassifier.FILE : name);
        })) {
            assertTrue(m.isAvailable(), m.unavailableReason().orElse(""));
            assertEquals(List.of(ListenModels.SHORT_CLASSIFIER, "vae_encoder.onnx", "vae_decoder.onnx"), asked);
            assertEquals(12, m.classifier().lastProbabilities().length);
        }
    }

    @Test
    void withoutAShortClassifierTheShippedModelsLoad() {
        try (Models m = ListenModels.load(name -> name.equals(ListenModels.SHORT_CLASSIFIER) ? null : shipped(name))) {
            assertTrue(m.isAvailable(), m.unavailableReason().orElse(""));
        }
    }

    @Test
    void aBrokenShortClassifierLeavesListenModeWithoutModelsAndSaysWhy() {
        try (Models m = ListenModels.load(name -> name.equals(ListenModels.SHORT_CLASSIFIER)
                ? new ByteArrayInputStream("not a model".getBytes(StandardCharsets.US_ASCII)) : shipped(name))) {
            assertFalse(m.isAvailable());
            assertTrue(m.unavailableReason().orElse("").contains("classifier.onnx"), m.unavailableReason().orElse(""));
        }
    }
}
