package io.latentkit.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.DrumClass;
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
    void classifiesTrainingKitHitsAsTheirClass(String file, DrumClass expected) throws Exception {
        Classification c = models.classifier().classify(Fixtures.hit(file));
        assertEquals(expected, c.top());
        float sum = 0f;
        for (float p : c.probabilities()) {
            assertTrue(p >= 0f && p <= 1f);
            sum += p;
        }
        assertEquals(1f, sum, 1e-4f);
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
