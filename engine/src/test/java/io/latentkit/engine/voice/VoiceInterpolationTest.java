package io.latentkit.engine.voice;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.kit.Sample;
import org.junit.jupiter.api.Test;

/**
 * Quality of the pitched voice's interpolation (4-point Lagrange from a table), measured against
 * the analytic signal, against the 4-point, 3rd-order Hermite interpolation the voice used first
 * (the floor: these tests fail if the voice's aliasing or noise gets worse than Hermite's), and,
 * printed only, against the 6-point Lagrange interpolation it used before the 4-point one
 * (both re-implemented here with exact weights, with silence outside the sound as the voice has).
 *
 * <p>Two measures, as core's {@code ResamplerTest} does for the loader's resampler:
 * <ul>
 *   <li><b>Sweep SNR</b>: an exponential sine sweep from 20 Hz to 0.45 of the output rate (the
 *   source sweep stops at 0.45 fs / ratio, so nothing must alias) is played at a pitch ratio and
 *   compared sample by sample with the analytic sweep at the output's read positions:
 *   10 log10(sum ref² / sum (out - ref)²), the first and last 20 ms excluded. The error holds the
 *   pass-band droop as well as images and noise.</li>
 *   <li><b>Tone residual</b> (aliasing/imaging and noise): a sine played at a pitch ratio; the
 *   expected output tone is fitted (amplitude and phase, least squares) and what remains is the
 *   interpolator's images and noise, in dB below the tone. The fitted amplitude is the droop.</li>
 * </ul>
 */
class VoiceInterpolationTest {
    private static final int SR = 48_000;
    private static final double DOWN_FIFTH = Math.pow(2, -7 / 12.0);
    private static final double UP_FIFTH = Math.pow(2, 7 / 12.0);
    private static final double QUARTER_DOWN = Math.pow(2, -0.5 / 12.0);

    private enum Reference { VOICE, HERMITE, LAGRANGE6 }

    @Test
    void sweepSnrIsNoWorseThanHermitesAtEveryRatioTested() {
        System.out.println("pitched voice, sweep SNR dB: ratio, voice (4-point Lagrange, table), Hermite, 6-point Lagrange");
        for (double ratio : new double[] {DOWN_FIFTH, QUARTER_DOWN, UP_FIFTH}) {
            double voice = sweepSnrDb(ratio, Reference.VOICE);
            double hermite = sweepSnrDb(ratio, Reference.HERMITE);
            System.out.printf("  %.4f  %.2f  %.2f  %.2f%n", ratio, voice, hermite, sweepSnrDb(ratio, Reference.LAGRANGE6));
            assertTrue(voice >= hermite, "ratio " + ratio + ": " + voice + " vs Hermite " + hermite);
        }
        // Absolute floors, a little under what was measured (22.6-35.6 dB), so a regression shows.
        assertTrue(sweepSnrDb(DOWN_FIFTH, Reference.VOICE) >= 22.4);
        assertTrue(sweepSnrDb(UP_FIFTH, Reference.VOICE) >= 35.3);
    }

    @Test
    void toneResidualIsBelowHermitesAtEveryFrequencyTestedAndTheDroopClose() {
        System.out.println("pitched voice, tone residual dB below the tone (gain dB): ratio, Hz, voice, Hermite, 6-point");
        // {ratio, Hz, floor for the residual (a little under what was measured), droop allowed beyond Hermite's}
        double[][] cases = {
            {DOWN_FIFTH, 1_000, 97, 0.01}, {DOWN_FIFTH, 5_000, 56, 0.01}, {DOWN_FIFTH, 10_000, 33, 0.06},
            {DOWN_FIFTH, 15_000, 18.5, 0.3}, {UP_FIFTH, 1_000, 97, 0.01}, {UP_FIFTH, 5_000, 56, 0.01},
            {UP_FIFTH, 10_000, 33, 0.06},
        };
        for (double[] c : cases) {
            double[] voice = toneResidual(c[0], c[1], Reference.VOICE);
            double[] hermite = toneResidual(c[0], c[1], Reference.HERMITE);
            double[] six = toneResidual(c[0], c[1], Reference.LAGRANGE6);
            System.out.printf("  %.4f %6.0f  %.1f (%.2f)  %.1f (%.2f)  %.1f (%.2f)%n", c[0], c[1], voice[0], voice[1],
                    hermite[0], hermite[1], six[0], six[1]);
            assertTrue(voice[0] >= c[2], c[1] + " Hz at " + c[0] + ": residual " + voice[0] + " dB");
            assertTrue(voice[0] > hermite[0], c[1] + " Hz at " + c[0] + ": " + voice[0] + " vs " + hermite[0]);
            assertTrue(voice[1] >= hermite[1] - c[3], "droop at " + c[1] + " Hz: " + voice[1] + " vs " + hermite[1]);
        }
    }

    @Test
    void aPitchedVoicesFirstFrameIsTheSamplesFirstFrameExactly() {
        float[] x = {0.3f, -0.7f, 0.9f, 0.1f, -0.2f, 0.5f, 0.4f};
        Voice v = new Voice();
        v.start(Sample.mono("x", x, SR), 0.77, 1f, -1f, 1f);
        float[] l = new float[4];
        float[] r = new float[4];
        v.render(l, r, 0, 4);
        float gainLeft = (float) (Math.cos(0.0) * Math.sqrt(2.0));
        assertEquals(0.3f * gainLeft, l[0], 0f);
    }

    @Test
    void aPitchedVoiceEndsWhenItsReadPositionPassesTheLastFrame() {
        Voice v = new Voice();
        v.start(Sample.mono("dc", new float[100], SR), 1.5, 1f, 0f, 1f);
        float[] l = new float[128];
        float[] r = new float[128];
        // ceil(100 / 1.5) = 67 frames: positions 0, 1.5, ..., 99.
        assertTrue(v.render(l, r, 0, 66), "still sounding after 66 frames");
        assertTrue(!v.render(l, r, 66, 128), "ended within the 67th frame");
    }

    /** Plays {@code x} through a voice at {@code ratio} (or through a reference), mono, unit gain. */
    private static float[] play(float[] x, double ratio, Reference how) {
        int out = (int) Math.ceil(x.length / ratio);
        float[] y = new float[out];
        if (how != Reference.VOICE) {
            for (int j = 0; j < out; j++) {
                y[j] = how == Reference.HERMITE ? hermite(x, j * ratio) : lagrange6(x, j * ratio);
            }
            return y;
        }
        Voice v = new Voice();
        v.start(Sample.mono("test", x, SR), ratio, 1f, -1f, 1f);
        float[] r = new float[out];
        v.render(y, r, 0, out);
        // Pan -1 puts cos(0) * sqrt(2) on the left: undo that constant.
        float g = (float) (Math.cos(0.0) * Math.sqrt(2.0));
        for (int j = 0; j < out; j++) {
            y[j] /= g;
        }
        return y;
    }

    /** The voice's first interpolation: 4-point, 3rd-order Hermite, silence outside. */
    private static float hermite(float[] d, double pos) {
        int i = (int) pos;
        float t = (float) (pos - i);
        int len = d.length;
        float xm1 = i >= 1 ? d[i - 1] : 0f;
        float x0 = d[i];
        float x1 = i + 1 < len ? d[i + 1] : 0f;
        float x2 = i + 2 < len ? d[i + 2] : 0f;
        float c1 = 0.5f * (x1 - xm1);
        float c2 = xm1 - 2.5f * x0 + 2f * x1 - 0.5f * x2;
        float c3 = 0.5f * (x2 - xm1) + 1.5f * (x0 - x1);
        return ((c3 * t + c2) * t + c1) * t + x0;
    }

    /** The voice's interpolation before the 4-point one: 6-point Lagrange (offsets -2..3), exact weights. */
    private static float lagrange6(float[] d, double pos) {
        int i = (int) pos;
        double t = pos - i;
        double y = 0;
        for (int k = -2; k <= 3; k++) {
            double w = 1;
            for (int j = -2; j <= 3; j++) {
                if (j != k) {
                    w *= (t - j) / (k - j);
                }
            }
            int at = i + k;
            y += at >= 0 && at < d.length ? w * d[at] : 0;
        }
        return (float) y;
    }

    private static double sweepSnrDb(double ratio, Reference how) {
        double seconds = 2.0;
        double f0 = 20;
        double f1 = 0.45 * SR * Math.min(1.0, 1.0 / ratio);
        double k = Math.log(f1 / f0) / seconds;
        float[] x = new float[(int) (seconds * SR)];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) sweepAt(i / (double) SR, f0, k);
        }
        float[] y = play(x, ratio, how);
        int edge = (int) (0.020 * SR);
        double sig = 0;
        double err = 0;
        for (int j = edge; j < y.length - edge; j++) {
            double ref = sweepAt(j * ratio / SR, f0, k);
            sig += ref * ref;
            err += (y[j] - ref) * (y[j] - ref);
        }
        return 10 * Math.log10(sig / err);
    }

    private static double sweepAt(double t, double f0, double k) {
        return 0.5 * Math.sin(2 * Math.PI * f0 * (Math.exp(k * t) - 1) / k);
    }

    /** {residual dB below the tone, gain dB} of a 1 s tone at {@code hz} played at {@code ratio}. */
    private static double[] toneResidual(double ratio, double hz, Reference how) {
        float[] x = new float[SR];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.5 * Math.sin(2 * Math.PI * hz * i / SR));
        }
        float[] y = play(x, ratio, how);
        double w = 2 * Math.PI * hz * ratio / SR;
        int edge = 2_000;
        double ss = 0;
        double cc = 0;
        double sc = 0;
        double ys = 0;
        double yc = 0;
        for (int j = edge; j < y.length - edge; j++) {
            double s = Math.sin(w * j);
            double c = Math.cos(w * j);
            ss += s * s;
            cc += c * c;
            sc += s * c;
            ys += y[j] * s;
            yc += y[j] * c;
        }
        double det = ss * cc - sc * sc;
        double a = (ys * cc - yc * sc) / det;
        double b = (yc * ss - ys * sc) / det;
        double sig = 0;
        double err = 0;
        for (int j = edge; j < y.length - edge; j++) {
            double fit = a * Math.sin(w * j) + b * Math.cos(w * j);
            sig += fit * fit;
            err += (y[j] - fit) * (y[j] - fit);
        }
        return new double[] {10 * Math.log10(sig / err), 20 * Math.log10(Math.hypot(a, b) / 0.5)};
    }
}
