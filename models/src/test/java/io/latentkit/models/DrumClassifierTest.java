package io.latentkit.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DrumClassifierTest {
    private static Models models;

    @BeforeAll
    static void load() {
        models = Models.loadDefault();
    }

    @AfterAll
    static void close() {
        models.close();
    }

    /** These hits come from the training kits; the held-out accuracy is in REPORT.md. */
    @ParameterizedTest
    @CsvSource({"kick,KICK", "snare,SNARE", "hihat_closed,HIHAT_CLOSED", "crash,CRASH"})
    void classifiesTrainingKitHitsAsTheirClass(String file, HitClass expected) throws Exception {
        Classification c = models.classifier().classify(Fixtures.hit(file));
        assertEquals(expected, c.top());
        float sum = 0f;
        for (float p : c.probabilities()) {
            assertTrue(p >= 0f && p <= 1f);
            sum += p;
        }
        assertEquals(1f, sum, 1e-4f);
    }

    /** The short-window classifier sees only the first window after the onset, as listen mode does. */
    @ParameterizedTest
    @CsvSource({"kick,KICK", "snare,SNARE", "hihat_closed,HIHAT_CLOSED"})
    void shortWindowClassifierNamesTrainingKitHitsFromTheirFirstMilliseconds(String file, HitClass expected)
            throws Exception {
        DrumClassifier s = models.shortClassifier();
        assertTrue(s.windowSamples() > 0 && s.windowSamples() <= 15 * 48, "decides within 15 ms: " + s.windowSamples());
        float[] x = Fixtures.hit(file);
        int onset = firstAbove(x, 0.05f);
        Classification c = s.classify(x, Math.max(0, onset - 480), onset + s.windowSamples());
        assertEquals(expected, c.top());
    }

    @Test
    void shortWindowClassifierIgnoresWhatComesAfterItsWindow() throws Exception {
        DrumClassifier s = models.shortClassifier();
        // Live input has more than the pre-roll before an onset (the fixture's onset is at sample 6).
        float[] x = new float[1000 + Fixtures.hit("snare").length];
        System.arraycopy(Fixtures.hit("snare"), 0, x, 1000, x.length - 1000);
        int onset = firstAbove(x, 0.05f);
        int end = onset + s.windowSamples();
        float[] a = s.classify(x, 0, end).probabilities();
        // A tone after the window, quieter than the window's own peak (so the onset stays the same).
        float windowPeak = 0f;
        for (int i = 0; i < end; i++) {
            windowPeak = Math.max(windowPeak, Math.abs(x[i]));
        }
        float[] y = x.clone();
        for (int i = end; i < y.length; i++) {
            y[i] = 0.5f * windowPeak * (float) Math.sin(i * 0.3);
        }
        float[] b = s.classify(y, 0, y.length).probabilities();
        for (int i = 0; i < a.length; i++) {
            assertEquals(a[i], b[i], 1e-6f);
        }
    }

    private static int firstAbove(float[] x, float fraction) {
        float peak = 0f;
        for (float v : x) {
            peak = Math.max(peak, Math.abs(v));
        }
        int i = 0;
        while (Math.abs(x[i]) < fraction * peak) {
            i++;
        }
        return i;
    }

    @Test
    void silenceGetsAClearAnswer() {
        BadAudioException e = assertThrows(BadAudioException.class, () -> models.classifier().classify(new float[48000]));
        assertEquals("silent: the peak level is below -80 dBFS", e.getMessage());
    }

    @Test
    void aClickShorterThanTenMillisecondsIsTooShort() {
        float[] x = new float[240];
        x[10] = 0.5f;
        BadAudioException e = assertThrows(BadAudioException.class, () -> models.classifier().classify(x));
        assertTrue(e.getMessage().startsWith("too short: 5.0 ms"), e.getMessage());
    }

    @Test
    void aRecordingLongerThanTenSecondsIsTooLong() {
        float[] x = new float[48000 * 11];
        x[100] = 0.5f;
        BadAudioException e = assertThrows(BadAudioException.class, () -> models.classifier().classify(x));
        assertTrue(e.getMessage().startsWith("too long: 11.0 s"), e.getMessage());
    }

    @Test
    void nonFiniteInputSamplesAreRefused() {
        float[] x = new float[4800];
        x[5] = Float.NaN;
        assertThrows(BadAudioException.class, () -> models.classifier().classify(x));
    }
}
