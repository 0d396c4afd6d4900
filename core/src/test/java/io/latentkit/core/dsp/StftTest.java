package io.latentkit.core.dsp;

import java.util.Random;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StftTest {
    @Test
    void inverseOfForwardGivesTheSignalBack() {
        Stft stft = new Stft(1024, 256);
        float[] x = new float[8192];
        Random r = new Random(1);
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (Math.sin(i * 0.03) * 0.5 + r.nextGaussian() * 0.1);
        }
        int frames = stft.framesFor(x.length);
        float[] re = new float[frames * stft.bins()];
        float[] im = new float[frames * stft.bins()];
        stft.forward(x, frames, re, im);
        float[] y = new float[x.length];
        stft.inverse(re, im, frames, y);
        for (int i = 1; i < x.length; i++) {
            assertEquals(x[i], y[i], 1e-4f, "sample " + i);
        }
    }

    @Test
    void magnitudeOfASinePeaksAtItsBin() {
        Stft stft = new Stft(1024, 256);
        float[] x = new float[4096];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) Math.sin(2 * Math.PI * 32 * i / 1024.0);
        }
        float[] mag = new float[stft.framesFor(x.length) * stft.bins()];
        stft.magnitude(x, stft.framesFor(x.length), mag);
        int t = 8;
        int best = 0;
        for (int k = 0; k < stft.bins(); k++) {
            if (mag[t * stft.bins() + k] > mag[t * stft.bins() + best]) {
                best = k;
            }
        }
        assertEquals(32, best);
        // A unit sine under a Hann window of 1024 has a peak magnitude of 1024/4.
        assertTrue(Math.abs(mag[t * stft.bins() + 32] - 256f) < 1f);
    }
}
