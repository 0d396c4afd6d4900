package io.latentkit.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.TomSize;
import io.latentkit.core.dsp.TomRanker;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

class TomRankerTest {
    /** Real toms of one training kit: Java's pitch equals tom_pitch.py's, and the ranking names them. */
    @Test
    void pitchOfRealTomsMatchesThePythonReferenceAndRanksLowMidHigh() throws Exception {
        TomRanker ranker = new TomRanker(48000);
        List<String> lines = Files.readAllLines(Fixtures.path("toms.pitch.txt"));
        double[] pitches = new double[lines.size()];
        for (int i = 0; i < lines.size(); i++) {
            String[] f = lines.get(i).split(" ");
            float[] x = AudioFiles.readMono(Fixtures.path(f[0]), 48000);
            pitches[i] = ranker.pitchHz(x);
            assertEquals(Double.parseDouble(f[1]), pitches[i], 1e-3, f[0]);
        }
        // The fixture order is low, mid, high; shuffle it so the ranking has something to do.
        double[] shuffled = {pitches[2], pitches[0], pitches[1]};
        assertArrayEquals(new TomSize[] {TomSize.HIGH, TomSize.LOW, TomSize.MID}, TomRanker.sizes(shuffled));
    }

    @Test
    void aSineHasItsOwnFrequencyAsPitchAndSilenceHasNone() {
        TomRanker ranker = new TomRanker(48000);
        float[] x = new float[48000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.5 * Math.sin(2 * Math.PI * 97.0 * i / 48000) * Math.exp(-i / 9600.0));
        }
        assertEquals(97.0, ranker.pitchHz(x), 0.5);
        assertTrue(Double.isNaN(ranker.pitchHz(new float[4800])));
    }

    @Test
    void twoTomsAreLowAndHighOneIsMidAndManySplitIntoThirds() {
        assertArrayEquals(new TomSize[] {TomSize.MID}, TomRanker.sizes(new double[] {120}));
        assertArrayEquals(new TomSize[] {TomSize.HIGH, TomSize.LOW}, TomRanker.sizes(new double[] {150, 90}));
        assertArrayEquals(new TomSize[] {TomSize.LOW, TomSize.LOW, TomSize.MID, TomSize.MID, TomSize.HIGH, TomSize.HIGH},
                TomRanker.sizes(new double[] {60, 70, 80, 90, 100, 110}));
        assertArrayEquals(new TomSize[] {TomSize.LOW, TomSize.HIGH}, TomRanker.sizes(new double[] {80, Double.NaN}),
                "a silent sound ranks highest");
    }

    @Test
    void oneSoundIsSizedAgainstTheCurrentKitsTomsByNearestPitch() {
        assertEquals(TomSize.LOW, TomRanker.sizeAgainst(82, 80, 110, 150));
        assertEquals(TomSize.MID, TomRanker.sizeAgainst(105, 80, 110, 150));
        assertEquals(TomSize.HIGH, TomRanker.sizeAgainst(400, 80, 110, 150));
        assertEquals(TomSize.HIGH, TomRanker.sizeAgainst(100, 60, Double.NaN, 110), "empty pads are skipped");
        assertEquals(TomSize.MID, TomRanker.sizeAgainst(100, Double.NaN, Double.NaN, Double.NaN), "no toms: mid");
    }
}
