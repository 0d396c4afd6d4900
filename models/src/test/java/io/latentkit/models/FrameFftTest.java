package io.latentkit.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Both batched FFTs against a direct DFT, and the choice between them. */
class FrameFftTest {

    /** The natives ship for linux-x86_64 only; there FFTW must load (the speed budget assumes it). */
    @Test
    void fftwLoadsOnLinuxX86_64() {
        String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch");
        if (os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"))) {
            assertTrue(FftwFrameFft.available(), "FFTW's native library should load on linux-x86_64");
            try (FrameFft f = FrameFft.create(1024, 2)) {
                assertTrue(f.name().startsWith("FFTW 3."), f.name());
            }
        }
    }

    @Test
    void fftwMatchesADirectDft() {
        try (FrameFft f = FftwFrameFft.create(64, 3)) {
            checkAgainstDft(f, 64, 3);
        }
    }

    @Test
    void jtransformsMatchesADirectDft() {
        try (FrameFft f = new JTransformsFrameFft(64, 3)) {
            checkAgainstDft(f, 64, 3);
        }
    }

    @Test
    void bothAgreeOnFullSizeFramesAndRoundTrip() {
        int n = 1024;
        int count = 128;
        float[] frames = random(n * count, 7);
        float[] a = new float[2 * (n / 2 + 1) * count];
        float[] b = new float[a.length];
        try (FrameFft fftw = FftwFrameFft.create(n, count); FrameFft jt = new JTransformsFrameFft(n, count)) {
            fftw.forward(frames, a);
            jt.forward(frames, b);
            assertTrue(relativeError(a, b) < 1e-5, "forward spectra differ: " + relativeError(a, b));
            float[] backA = new float[frames.length];
            float[] backB = new float[frames.length];
            fftw.inverse(a.clone(), backA);
            jt.inverse(b.clone(), backB);
            for (int i = 0; i < frames.length; i++) {
                backA[i] /= n;
                backB[i] /= n;
            }
            assertTrue(relativeError(frames, backA) < 1e-5, "FFTW round trip " + relativeError(frames, backA));
            assertTrue(relativeError(frames, backB) < 1e-5, "JTransforms round trip " + relativeError(frames, backB));
        }
    }

    @Test
    void theChoiceCanBeForcedAndANonsenseChoiceIsRefused() {
        String before = System.getProperty(FrameFft.PROPERTY);
        try {
            System.setProperty(FrameFft.PROPERTY, "jtransforms");
            try (FrameFft f = FrameFft.create(256, 1)) {
                assertEquals("JTransforms", f.name());
            }
            System.setProperty(FrameFft.PROPERTY, "fftx");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FrameFft.create(256, 1));
            assertTrue(e.getMessage().contains("fftw or jtransforms"), e.getMessage());
        } finally {
            if (before == null) {
                System.clearProperty(FrameFft.PROPERTY);
            } else {
                System.setProperty(FrameFft.PROPERTY, before);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> FftwFrameFft.create(100, 1));
        assertThrows(IllegalArgumentException.class, () -> new JTransformsFrameFft(100, 1));
    }

    @Test
    void closeIsIdempotentAndAClosedOrShortCallIsRefusedBeforeNativeCode() {
        FrameFft f = FftwFrameFft.create(128, 2);
        assertThrows(IllegalArgumentException.class, () -> f.forward(new float[200], new float[130]));
        f.close();
        f.close();
        assertThrows(IllegalStateException.class, () -> f.forward(new float[256], new float[130]));
        assertThrows(IllegalStateException.class, () -> f.inverse(new float[130], new float[256]));
    }

    private static void checkAgainstDft(FrameFft f, int n, int count) {
        int bins = n / 2 + 1;
        float[] frames = random(n * count, 3);
        float[] spectra = new float[2 * bins * count];
        f.forward(frames, spectra);
        float[] expected = new float[spectra.length];
        for (int t = 0; t < count; t++) {
            for (int k = 0; k < bins; k++) {
                double re = 0;
                double im = 0;
                for (int j = 0; j < n; j++) {
                    double ang = -2 * Math.PI * j * k / n;
                    re += frames[t * n + j] * Math.cos(ang);
                    im += frames[t * n + j] * Math.sin(ang);
                }
                expected[2 * (t * bins + k)] = (float) re;
                expected[2 * (t * bins + k) + 1] = (float) im;
            }
        }
        assertTrue(relativeError(expected, spectra) < 1e-5, "forward vs DFT " + relativeError(expected, spectra));
        // Unnormalised inverse: n times the frames back; the DC and Nyquist imaginary parts are ignored.
        for (int t = 0; t < count; t++) {
            spectra[2 * t * bins + 1] = 123f;
            spectra[2 * (t * bins + bins - 1) + 1] = -45f;
        }
        float[] back = new float[frames.length];
        f.inverse(spectra, back);
        for (int i = 0; i < back.length; i++) {
            assertEquals(frames[i] * n, back[i], 1e-3f * n, "sample " + i);
        }
    }

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    private static double relativeError(float[] expected, float[] actual) {
        double err = 0;
        double energy = 0;
        for (int i = 0; i < expected.length; i++) {
            err += (double) (expected[i] - actual[i]) * (expected[i] - actual[i]);
            energy += (double) expected[i] * expected[i];
        }
        return Math.sqrt(err / energy);
    }
}
