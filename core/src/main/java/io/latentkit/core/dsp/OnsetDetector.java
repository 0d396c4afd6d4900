package io.latentkit.core.dsp;

import java.util.Arrays;

/**
 * Finds drum hits in a recording: half-wave-rectified spectral flux of the log-compressed magnitude
 * spectrum, an adaptive threshold (a moving median plus a margin), peak picking with a minimum gap,
 * and each onset moved back to the quietest point of the preceding hop so that the attack is kept.
 *
 * <p>Not thread-safe (owns an {@link Stft}); one instance per thread. Allocates per call in
 * proportion to the recording length: use it on a loader or worker thread, never the render thread.
 */
public final class OnsetDetector {
    /** FFT size of the detector's spectrogram. */
    public static final int N_FFT = 1024;
    /** Hop of the detector's spectrogram, in samples. */
    public static final int HOP = 256;

    private final int sampleRateHz;
    private final Stft stft;
    private final int minGapFrames;
    private final float thresholdMargin;

    /**
     * @param sampleRateHz     the rate of the recordings
     * @param minGapMs         closest two onsets may be
     * @param thresholdMargin  flux above the local median needed for an onset, in units of the
     *                         recording's mean flux (1.0 is a reasonable start)
     */
    public OnsetDetector(int sampleRateHz, double minGapMs, float thresholdMargin) {
        this.sampleRateHz = sampleRateHz;
        this.stft = new Stft(N_FFT, HOP);
        this.minGapFrames = Math.max(1, (int) Math.round(minGapMs * sampleRateHz / 1000.0 / HOP));
        this.thresholdMargin = thresholdMargin;
    }

    /** Defaults for drums at the given rate: 50 ms minimum gap, margin 1.0. */
    public OnsetDetector(int sampleRateHz) {
        this(sampleRateHz, 50.0, 1.0f);
    }

    /** Onset positions in samples, ascending. A silent recording has none. */
    public int[] detect(float[] signal) {
        return detect(signal, null);
    }

    /**
     * Onset positions in samples, ascending, as {@link #detect(float[])}; and, when
     * {@code magnitudeOut} is not {@code null}, the recording's magnitude spectrogram is left in it
     * (frame-major, {@code stft.framesFor(signal.length)} frames of {@code N_FFT / 2 + 1} bins in
     * {@link Stft}'s framing at {@link #HOP}), so that a caller can reuse the one STFT. It must hold
     * at least that many floats; it is filled unless the signal is shorter than two frames.
     */
    public int[] detect(float[] signal, float[] magnitudeOut) {
        final int hop = stft.hop();
        final int bins = stft.bins();
        final int frames = stft.framesFor(signal.length);
        if (frames < 2) {
            return new int[0];
        }
        if (magnitudeOut != null && magnitudeOut.length < frames * bins) {
            throw new IllegalArgumentException("magnitude buffer holds " + magnitudeOut.length + " floats, needs "
                    + (long) frames * bins);
        }
        float[] mag = magnitudeOut != null ? magnitudeOut : new float[frames * bins];
        stft.magnitude(signal, frames, mag);
        float peak = 0f;
        for (float v : signal) {
            peak = Math.max(peak, Math.abs(v));
        }
        if (peak < 1e-4f) {
            return new int[0];
        }
        // Log compression relative to the recording's peak makes the flux level-independent; it is
        // taken frame by frame (two rows) so that the magnitudes stay linear for the caller.
        float scale = 1000f / peak;
        float[] previous = new float[bins];
        float[] current = new float[bins];
        for (int k = 0; k < bins; k++) {
            previous[k] = FastMath.ln(1f + scale * mag[k]);
        }
        float[] flux = new float[frames];
        double mean = 0;
        for (int t = 1; t < frames; t++) {
            double f = 0;
            int a = t * bins;
            for (int k = 0; k < bins; k++) {
                current[k] = FastMath.ln(1f + scale * mag[a + k]);
                float d = current[k] - previous[k];
                if (d > 0) {
                    f += d;
                }
            }
            float[] swap = previous;
            previous = current;
            current = swap;
            flux[t] = (float) f;
            mean += f;
        }
        mean /= frames - 1;
        final int half = 8;
        float[] window = new float[2 * half + 1];
        int[] picked = new int[frames];
        int count = 0;
        int last = -minGapFrames - 1;
        for (int t = 1; t < frames; t++) {
            int lo = Math.max(1, t - half);
            int hi = Math.min(frames - 1, t + half);
            int n = hi - lo + 1;
            System.arraycopy(flux, lo, window, 0, n);
            Arrays.sort(window, 0, n);
            float threshold = (float) (window[n / 2] + thresholdMargin * mean);
            boolean isPeak = flux[t] > threshold
                    && flux[t] >= flux[t - 1]
                    && (t + 1 >= frames || flux[t] > flux[t + 1]);
            if (isPeak && t - last >= minGapFrames) {
                picked[count++] = t;
                last = t;
            }
        }
        int[] onsets = new int[count];
        for (int i = 0; i < count; i++) {
            onsets[i] = backtrack(signal, picked[i] * hop, hop);
        }
        return onsets;
    }

    /**
     * Moves an onset from the flux peak's frame centre to the attack. In the frame and the frames
     * before it, the level of the signal's first difference (peak of 32-sample blocks: a drum's
     * attack is broadband, the low tail of an earlier kick barely shows) is taken from its
     * quietest point before the loudest block: the attack is the first sample after that point to
     * rise a tenth of the way from the quiet level to the loudest, less 32 samples of pre-roll, so
     * that a clip cut at the onset starts just before the attack even when an earlier hit still
     * rings (a fixed tenth of the loudest sample would land in that hit's tail).
     */
    private static int backtrack(float[] signal, int centre, int hop) {
        final int block = 32;
        int from = Math.max(0, centre - 4 * hop);
        int to = Math.min(signal.length, centre + 2 * hop);
        int blocks = (to - from + block - 1) / block;
        if (blocks <= 0) {
            return from;
        }
        float[] level = new float[blocks];
        int loudest = 0;
        for (int b = 0; b < blocks; b++) {
            float m = 0f;
            for (int i = Math.max(1, from + b * block); i < Math.min(to, from + (b + 1) * block); i++) {
                m = Math.max(m, Math.abs(signal[i] - signal[i - 1]));
            }
            level[b] = m;
            if (m > level[loudest]) {
                loudest = b;
            }
        }
        int quiet = 0;
        for (int b = 1; b <= loudest; b++) {
            if (level[b] <= level[quiet]) {
                quiet = b;
            }
        }
        float threshold = level[quiet] + 0.1f * (level[loudest] - level[quiet]);
        int attack = Math.max(1, from + quiet * block);
        while (attack < to && Math.abs(signal[attack] - signal[attack - 1]) < threshold) {
            attack++;
        }
        return Math.max(from, attack - 32);
    }

    public int sampleRateHz() {
        return sampleRateHz;
    }
}
