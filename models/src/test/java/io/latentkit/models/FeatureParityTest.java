package io.latentkit.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FeatureParityTest {
    /**
     * Java's clip preparation plus log-mel against features.py on raw hits. Java transforms in
     * float32, the reference in float64; float32 FFT rounding is about 1e-7 of a frame's peak
     * magnitude (some hundreds), so bands above 1e-2 (log > -4.6) agree to 1e-3 nats and quieter
     * bands, down to the 1e-5 floor, to 0.05 nats.
     */
    @ParameterizedTest
    @ValueSource(strings = {"kick", "snare", "hihat_closed", "crash"})
    void preparedClipLogMelMatchesThePythonReference(String cls) throws Exception {
        float[] x = Fixtures.hit(cls);
        float[] expected = Fixtures.f32("hit_" + cls + ".logmel.f32");
        ClipPreparer prep = new ClipPreparer(FeatureSpec.CURRENT);
        float[] actual = new float[prep.logMelSize()];
        prep.prepare(x, 0, x.length, actual);
        float loud = 0f;
        float quiet = 0f;
        for (int i = 0; i < actual.length; i++) {
            float d = Math.abs(actual[i] - expected[i]);
            if (expected[i] > -4.6f) {
                loud = Math.max(loud, d);
            } else {
                quiet = Math.max(quiet, d);
            }
        }
        assertTrue(loud <= 1e-3f, "loud bands differ by " + loud);
        assertTrue(quiet <= 0.05f, "quiet bands differ by " + quiet);
    }
}
