package io.latentkit.core.dsp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LogMelTest {
    /**
     * Tolerance: the reference is float64 numpy, Java transforms in float32, whose rounding is about
     * 1e-7 of a frame's peak magnitude (some hundreds). Bands above 1e-2 (log > -4.6) agree to 1e-3
     * nats; quieter bands, down to the 1e-5 floor, to 0.05 nats. Both bounds are far below what
     * changes a model's answer.
     */
    private static final float TOLERANCE_LOUD = 1e-3f;
    private static final float TOLERANCE_QUIET = 0.05f;

    @ParameterizedTest
    @ValueSource(strings = {"kick", "hihat_closed", "crash"})
    void javaLogMelMatchesThePythonReferenceOnFixtureClips(String name) throws Exception {
        float[] clip = FixtureAudio.wav("clip_" + name + ".wav");
        float[] expected = FixtureAudio.f32("clip_" + name + ".logmel.f32");
        LogMel logMel = new LogMel(48000, 1024, 256, 64, 128, 1e-5f);
        assertEquals(32768, clip.length);
        assertEquals(logMel.size(), expected.length);
        float[] actual = new float[logMel.size()];
        logMel.compute(clip, actual);
        float worstLoud = 0f;
        float worstQuiet = 0f;
        for (int i = 0; i < actual.length; i++) {
            float d = Math.abs(actual[i] - expected[i]);
            if (expected[i] > -4.6f) {
                worstLoud = Math.max(worstLoud, d);
            } else {
                worstQuiet = Math.max(worstQuiet, d);
            }
        }
        assertTrue(worstLoud <= TOLERANCE_LOUD, "loud bands differ by " + worstLoud);
        assertTrue(worstQuiet <= TOLERANCE_QUIET, "quiet bands differ by " + worstQuiet);
    }
}
