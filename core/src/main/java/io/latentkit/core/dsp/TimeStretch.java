package io.latentkit.core.dsp;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * Changes a sound's length without changing its pitch: a phase vocoder with identity phase locking
 * (Laroche and Dolson 1999), and, for drums, transient preservation: the attack is kept sample for
 * sample and only the tail is stretched.
 *
 * <p>How: frames of {@link #fftSize} samples are taken from the input at analysis positions given by
 * a time map and overlap-added at synthesis positions {@link #hopFrames} apart. Where the map is the
 * identity (the attack region, up to {@code keepFrames}) each frame keeps its own analysis phases,
 * which makes the overlap-add an exact reconstruction of the input there; after it the phases are
 * advanced by each spectral peak's instantaneous frequency, and the bins around a peak keep their
 * phase offsets to it. The tail's map is linear with the factor that makes the whole output exactly
 * {@code round(in.length * factor)} frames long. Without transient handling ({@code keepFrames = 0})
 * the map is one line from the first frame on: the classic phase vocoder, whose attack is smeared
 * over a frame; it is kept as the reference the quality report compares against.
 *
 * <p>Threading: stateless; any thread but the render thread (it allocates its output and buffers).
 */
public final class TimeStretch {
    /** Smallest and largest stretch factor (output length over input length). */
    public static final double MIN_FACTOR = 0.5;
    public static final double MAX_FACTOR = 2.0;

    private final int fftSize;
    private final int hopFrames;
    private final int sampleRateHz;

    /** A stretcher for sounds at {@code sampleRateHz}: frames of about 43 ms (2048 at 48 kHz), hop a quarter. */
    public TimeStretch(int sampleRateHz) {
        if (sampleRateHz < Resampler.MIN_RATE_HZ || sampleRateHz > Resampler.MAX_RATE_HZ) {
            throw new IllegalArgumentException("sample rate out of range: " + sampleRateHz);
        }
        this.sampleRateHz = sampleRateHz;
        int log2 = (int) Math.round(Math.log(sampleRateHz * 0.0427) / Math.log(2));
        this.fftSize = 1 << Math.max(8, Math.min(14, log2));
        this.hopFrames = fftSize / 4;
    }

    public int fftSize() {
        return fftSize;
    }

    public int hopFrames() {
        return hopFrames;
    }

    /**
     * The frames a transient-preserving stretch keeps as they are: up to the attack's peak plus half
     * a frame and a hop (so that no stretched frame's window reaches back to the peak), at most a
     * quarter of the sound. The output equals the input exactly up to half a frame before it; the
     * half frame after that is where kept and stretched frames overlap.
     */
    public int attackKeepFrames(float[]... channels) {
        int len = channels[0].length;
        int peak = Transients.peakFrame(channels);
        long keep = (long) peak + fftSize / 2 + hopFrames;
        return (int) Math.min(keep, len / 4);
    }

    /**
     * Stretches {@code channels} (equal lengths) by {@code factor}, keeping the attack (see
     * {@link #attackKeepFrames}); every channel gets the same time map. Returns new arrays of
     * {@code round(length * factor)} frames.
     *
     * @throws IllegalArgumentException for a factor outside {@value #MIN_FACTOR}..{@value #MAX_FACTOR}
     */
    public float[][] stretchKeepingAttack(double factor, float[]... channels) {
        checkFactor(factor);
        int keep = attackKeepFrames(channels);
        float[][] out = new float[channels.length][];
        for (int c = 0; c < channels.length; c++) {
            out[c] = stretch(channels[c], factor, keep);
        }
        return out;
    }

    /**
     * Stretches one channel by {@code factor}; the first {@code keepFrames} frames are kept exactly
     * (0: a plain phase vocoder). Returns {@code round(in.length * factor)} frames.
     */
    public float[] stretch(float[] in, double factor, int keepFrames) {
        checkFactor(factor);
        final int len = in.length;
        final int outLen = (int) Math.round(len * factor);
        if (len == 0 || outLen == 0) {
            return new float[outLen];
        }
        final int keep = Math.max(0, Math.min(keepFrames, len / 4));
        // Analysis position of synthesis time t: identity up to keep, then one line to the end.
        final double tailRate = keep == 0 ? factor : (double) (outLen - keep) / (len - keep);
        final int n = fftSize;
        final int half = n / 2;
        final int bins = half + 1;
        final double[] window = new double[n];
        for (int i = 0; i < n; i++) {
            window[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / n);
        }
        final DoubleFFT_1D fft = new DoubleFFT_1D(n);
        final double[] frame = new double[n];
        final double[] mag = new double[bins];
        final double[] phase = new double[bins];
        final double[] prevPhase = new double[bins];
        final double[] synth = new double[bins];
        final double[] prevSynth = new double[bins];
        final int[] peaks = new int[bins];
        final double[] out = new double[outLen + n];
        final double[] weight = new double[outLen + n];
        long prevPos = 0;
        boolean first = true;
        for (long t = -(long) (n - hopFrames); t - half < outLen; t += hopFrames) {
            long pos = t <= keep ? t : keep + Math.round((t - keep) / tailRate);
            if (keep == 0) {
                pos = Math.round(t / factor);
            }
            // Analysis: the windowed input frame centred on pos, zero outside the input.
            for (int i = 0; i < n; i++) {
                long idx = pos - half + i;
                frame[i] = idx >= 0 && idx < len ? in[(int) idx] * window[i] : 0.0;
            }
            fft.realForward(frame);
            polar(frame, mag, phase, n);
            boolean reset = first || (keep > 0 && t <= keep);
            if (reset) {
                System.arraycopy(phase, 0, synth, 0, bins);
            } else {
                advance(mag, phase, prevPhase, prevSynth, synth, peaks, pos - prevPos, n);
            }
            // Synthesis: back to time, windowed again, overlap-added at t.
            frame[0] = mag[0] * Math.cos(synth[0]);
            frame[1] = mag[half] * Math.cos(synth[half]);
            for (int k = 1; k < half; k++) {
                frame[2 * k] = mag[k] * Math.cos(synth[k]);
                frame[2 * k + 1] = mag[k] * Math.sin(synth[k]);
            }
            fft.realInverse(frame, true);
            for (int i = 0; i < n; i++) {
                long o = t - half + i;
                if (o >= 0 && o < outLen) {
                    out[(int) o] += frame[i] * window[i];
                    weight[(int) o] += window[i] * window[i];
                }
            }
            System.arraycopy(phase, 0, prevPhase, 0, bins);
            System.arraycopy(synth, 0, prevSynth, 0, bins);
            prevPos = pos;
            first = false;
        }
        float[] result = new float[outLen];
        for (int i = 0; i < outLen; i++) {
            result[i] = weight[i] > 1e-9 ? (float) (out[i] / weight[i]) : 0f;
        }
        return result;
    }

    /** Magnitudes and phases of JTransforms' packed real spectrum. */
    private static void polar(double[] f, double[] mag, double[] phase, int n) {
        int half = n / 2;
        mag[0] = Math.abs(f[0]);
        phase[0] = f[0] < 0 ? Math.PI : 0.0;
        mag[half] = Math.abs(f[1]);
        phase[half] = f[1] < 0 ? Math.PI : 0.0;
        for (int k = 1; k < half; k++) {
            double re = f[2 * k];
            double im = f[2 * k + 1];
            mag[k] = Math.hypot(re, im);
            phase[k] = Math.atan2(im, re);
        }
    }

    /**
     * Identity phase locking: each peak's phase advances by its instantaneous frequency over the
     * synthesis hop; every other bin keeps its analysis phase offset to the peak of its region.
     */
    private void advance(double[] mag, double[] phase, double[] prevPhase, double[] prevSynth, double[] synth,
            int[] peaks, long analysisHop, int n) {
        final int bins = mag.length;
        int count = 0;
        for (int k = 0; k < bins; k++) {
            double m = mag[k];
            if ((k < 1 || m > mag[k - 1]) && (k < 2 || m > mag[k - 2])
                    && (k + 1 >= bins || m >= mag[k + 1]) && (k + 2 >= bins || m >= mag[k + 2])) {
                peaks[count++] = k;
            }
        }
        if (count == 0) {
            System.arraycopy(phase, 0, synth, 0, bins);
            return;
        }
        final double ha = Math.max(1, analysisHop);
        for (int i = 0; i < count; i++) {
            int p = peaks[i];
            double omega = 2 * Math.PI * p / n;
            double dev = princarg(phase[p] - prevPhase[p] - omega * ha);
            synth[p] = princarg(prevSynth[p] + (omega + dev / ha) * hopFrames);
        }
        // Regions: from the lowest magnitude between two neighbouring peaks.
        int start = 0;
        for (int i = 0; i < count; i++) {
            int p = peaks[i];
            int end = bins;
            if (i + 1 < count) {
                int q = peaks[i + 1];
                end = p + 1;
                for (int k = p + 1; k < q; k++) {
                    if (mag[k] < mag[end]) {
                        end = k;
                    }
                }
            }
            for (int k = start; k < end; k++) {
                if (k != p) {
                    synth[k] = synth[p] + phase[k] - phase[p];
                }
            }
            start = end;
        }
    }

    private static double princarg(double a) {
        return a - 2 * Math.PI * Math.floor((a + Math.PI) / (2 * Math.PI));
    }

    private static void checkFactor(double factor) {
        if (!(factor >= MIN_FACTOR && factor <= MAX_FACTOR)) {
            throw new IllegalArgumentException("stretch factor must be " + MIN_FACTOR + ".." + MAX_FACTOR + ", got " + factor);
        }
    }

    public int sampleRateHz() {
        return sampleRateHz;
    }
}
