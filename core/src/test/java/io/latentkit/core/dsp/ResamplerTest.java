package io.latentkit.core.dsp;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Resampling quality, measured against the analytic signal.
 *
 * <p>SNR method: an exponential sine sweep from 20 Hz to 0.45 of the lower rate (so the whole sweep
 * lies in the pass band; nothing is generated above 0.45*fs) is generated at the source rate, run
 * through {@link Resampler}, and compared sample by sample with the same analytic sweep evaluated
 * at the output rate's sample times. SNR = 10*log10(sum ref^2 / sum (out - ref)^2) over the output,
 * excluding the first and last 20 ms where the sweep starts and stops abruptly (a zero-padded
 * signal's edge rings through any band-limited filter; that is the edge, not the resampler).
 */
class ResamplerTest {
    private static final double SWEEP_SECONDS = 2.0;
    private static final double EDGE_SECONDS = 0.020;

    @Test
    void sweepResampledFrom44100To48000KeepsAtLeast80DbSnr() {
        double snr = sweepSnrDb(44_100, 48_000);
        System.out.printf("Resampler SNR 44100->48000: %.1f dB%n", snr);
        assertTrue(snr >= 80, "SNR " + snr + " dB");
    }

    @Test
    void sweepResampledFrom48000To44100KeepsAtLeast80DbSnr() {
        double snr = sweepSnrDb(48_000, 44_100);
        System.out.printf("Resampler SNR 48000->44100: %.1f dB%n", snr);
        assertTrue(snr >= 80, "SNR " + snr + " dB");
    }

    @Test
    void sweepResampledFrom22050To48000KeepsAtLeast80DbSnr() {
        double snr = sweepSnrDb(22_050, 48_000);
        assertTrue(snr >= 80, "SNR " + snr + " dB");
    }

    @Test
    void sweepResampledFrom96000To48000KeepsAtLeast80DbSnr() {
        double snr = sweepSnrDb(96_000, 48_000);
        assertTrue(snr >= 80, "SNR " + snr + " dB");
    }

    @Test
    void sweepThroughTheInterpolatedKernelPathKeepsAtLeast80DbSnr() {
        // 44100 -> 47999 reduces to L = 47999 phases: beyond the exact tables.
        assertTrue(47_999 / Resampler.gcd(44_100, 47_999) > Resampler.MAX_EXACT_PHASES);
        double snr = sweepSnrDb(44_100, 47_999);
        System.out.printf("Resampler SNR 44100->47999 (interpolated kernel): %.1f dB%n", snr);
        assertTrue(snr >= 80, "SNR " + snr + " dB");
    }

    @Test
    void toneAboveTheOutputNyquistIsRejectedByAtLeast100Db() {
        int from = 96_000;
        int to = 44_100;
        float[] in = new float[from];
        for (int i = 0; i < in.length; i++) {
            in[i] = (float) Math.sin(2 * Math.PI * 30_000.0 * i / from);
        }
        float[] out = Resampler.resample(in, from, to);
        int edge = (int) (EDGE_SECONDS * to);
        double e = 0;
        for (int i = edge; i < out.length - edge; i++) {
            e += out[i] * out[i];
        }
        double rmsDb = 10 * Math.log10(e / (out.length - 2 * edge) / 0.5);
        assertTrue(rmsDb < -100, "alias level " + rmsDb + " dB");
    }

    @Test
    void outputLengthIsTheInputDurationAtTheNewRate() {
        assertEquals(48_000, Resampler.resample(new float[44_100], 44_100, 48_000).length);
        assertEquals(3, Resampler.resample(new float[1], 22_050, 48_000).length); // ceil(48000/22050)
        assertEquals(0, Resampler.resample(new float[0], 44_100, 48_000).length);
    }

    @Test
    void equalRatesReturnAnIdenticalCopy() {
        float[] in = {0.1f, -0.5f, 0.25f};
        float[] out = Resampler.resample(in, 48_000, 48_000);
        assertArrayEquals(in, out);
        assertNotSame(in, out);
    }

    @Test
    void ratesOutsideTheSupportedRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> Resampler.resample(new float[4], 0, 48_000));
        assertThrows(IllegalArgumentException.class, () -> Resampler.resample(new float[4], 48_000, -1));
        assertThrows(IllegalArgumentException.class, () -> Resampler.resample(new float[4], 48_000, 10_000_000));
    }

    private static double sweepSnrDb(int fromHz, int toHz) {
        double f0 = 20;
        double f1 = 0.45 * Math.min(fromHz, toHz);
        float[] in = sweep(fromHz, f0, f1);
        float[] out = Resampler.resample(in, fromHz, toHz);
        float[] ref = sweep(toHz, f0, f1);
        int edge = (int) (EDGE_SECONDS * toHz);
        int end = Math.min(out.length, ref.length) - edge;
        double sig = 0;
        double err = 0;
        for (int i = edge; i < end; i++) {
            sig += (double) ref[i] * ref[i];
            double d = (double) out[i] - ref[i];
            err += d * d;
        }
        return 10 * Math.log10(sig / err);
    }

    /** Exponential sweep f0 -> f1 over SWEEP_SECONDS, sampled at rateHz (double math, then float). */
    private static float[] sweep(int rateHz, double f0, double f1) {
        int n = (int) (SWEEP_SECONDS * rateHz);
        double k = Math.log(f1 / f0) / SWEEP_SECONDS;
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            double t = (double) i / rateHz;
            double phase = 2 * Math.PI * f0 * (Math.exp(k * t) - 1) / k;
            x[i] = (float) (0.5 * Math.sin(phase));
        }
        return x;
    }
}
