package io.latentkit.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
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

    /**
     * A classifier that reads only the first frames (its {@code classifier_frames} metadata) gets
     * exactly those frames of the full log-mel, and the floor after them.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 37, 64, 127})
    void aPartialLogMelIsTheFullOnesFirstFramesThenTheFloor(int frames) throws Exception {
        float[] x = Fixtures.hit("snare");
        try (ClipPreparer full = new ClipPreparer(FeatureSpec.CURRENT);
             ClipPreparer part = new ClipPreparer(FeatureSpec.CURRENT, frames)) {
            float[] a = new float[full.logMelSize()];
            float[] b = new float[part.logMelSize()];
            assertEquals(a.length, b.length);
            full.prepare(x, 0, x.length, a);
            part.prepare(x, 0, x.length, b);
            int clipFrames = FeatureSpec.CURRENT.clipFrames();
            float floor = (float) Math.log(FeatureSpec.CURRENT.logFloor());
            for (int m = 0; m < FeatureSpec.CURRENT.melBands(); m++) {
                for (int t = 0; t < clipFrames; t++) {
                    int i = m * clipFrames + t;
                    assertEquals(t < frames ? a[i] : floor, b[i], 1e-4f, "band " + m + " frame " + t);
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new ClipPreparer(FeatureSpec.CURRENT, 0));
        assertThrows(IllegalArgumentException.class, () -> new ClipPreparer(FeatureSpec.CURRENT, 129));
    }

    /**
     * The short-window clip (features.prepare_window): only the pre-roll and 480 samples after the
     * onset, peak-normalised over them, no fade; its first five frames against the reference (the
     * frames that see any of the window), the floor after them.
     */
    @Test
    void aShortWindowClipLogMelMatchesThePythonReference() throws Exception {
        float[] x = Fixtures.hit("snare");
        float[] expected = Fixtures.f32("hit_snare.window480.logmel.f32");
        float peak = 0f;
        for (float v : x) {
            peak = Math.max(peak, Math.abs(v));
        }
        int first = 0;
        while (Math.abs(x[first]) < 0.05f * peak) {
            first++;
        }
        int frames = 5;
        try (ClipPreparer prep = new ClipPreparer(FeatureSpec.CURRENT, frames, 480)) {
            float[] actual = new float[prep.logMelSize()];
            prep.prepare(x, 0, first + 480, actual);
            int clipFrames = FeatureSpec.CURRENT.clipFrames();
            float floor = (float) Math.log(FeatureSpec.CURRENT.logFloor());
            for (int m = 0; m < FeatureSpec.CURRENT.melBands(); m++) {
                for (int t = 0; t < clipFrames; t++) {
                    int i = m * clipFrames + t;
                    if (t >= frames) {
                        assertEquals(floor, actual[i], 0f);
                        assertEquals(floor, expected[i], 1e-6f, "the reference sees nothing after frame 4");
                    } else {
                        float tol = expected[i] > -4.6f ? 1e-3f : 0.05f;
                        assertEquals(expected[i], actual[i], tol, "band " + m + " frame " + t);
                    }
                }
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new ClipPreparer(FeatureSpec.CURRENT, 5, -1));
        assertThrows(IllegalArgumentException.class, () -> new ClipPreparer(FeatureSpec.CURRENT, 5, 32768));
    }

    @Test
    void theShortClassifiersWindowComesFromItsMetadataAndNonsenseIsRefused() throws Exception {
        FeatureSpec spec = FeatureSpec.CURRENT;
        assertEquals(480, DrumClassifier.windowSamples("classifier_short.onnx", " 480 ", spec));
        for (String bad : new String[] {null, "0", "32705", "-3", "ten", ""}) {
            ModelLoadException e = assertThrows(ModelLoadException.class,
                    () -> DrumClassifier.windowSamples("classifier_short.onnx", bad, spec));
            assertTrue(e.getMessage().startsWith("classifier_short.onnx: window_samples is"), e.getMessage());
        }
    }

    @Test
    void theClassifiersFrameCountComesFromItsMetadataAndNonsenseIsRefused() throws Exception {
        FeatureSpec spec = FeatureSpec.CURRENT;
        assertEquals(spec.clipFrames(), DrumClassifier.framesUsed(null, spec));
        assertEquals(64, DrumClassifier.framesUsed(" 64 ", spec));
        for (String bad : new String[] {"0", "129", "-3", "sixty", ""}) {
            ModelLoadException e = assertThrows(ModelLoadException.class, () -> DrumClassifier.framesUsed(bad, spec));
            assertTrue(e.getMessage().contains("classifier_frames"), e.getMessage());
        }
    }
}
