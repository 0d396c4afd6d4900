package io.latentkit.core.dsp;

import java.util.Arrays;

/**
 * Finds drum hits in a recording: half-wave-rectified spectral flux of the log-compressed magnitude
 * spectrum, an adaptive threshold (a moving median plus a margin), peak picking with a minimum gap,
 * and each onset moved back to the quietest point of the preceding hop so that the attack is kept.
 *
 * <p>A flux peak is an onset only where the sound gets louder (when a rise is asked for: the
 * default constructor does, extraction does not): the frame level (the mean of the compressed
 * spectrum) over the next {@value #RISE_FRAMES} frames must rise at least {@code rise} above its
 * lowest over the {@value #RISE_FRAMES} frames before. A long decaying tone whose pitch glides (a
 * TR-808 kick) moves energy between bins, which is flux, but never gets louder, so it stays one hit.
 *
 * <p>Not thread-safe (owns an {@link Stft}); one instance per thread. Allocates per call in
 * proportion to the recording length: use it on a loader or worker thread, never the render thread.
 */
public final class OnsetDetector {
    /** FFT size of the detector's spectrogram. */
    public static final int N_FFT = 1024;
    /** Hop of the detector's spectrogram, in samples. */
    public static final int HOP = 256;
    /** Frames before and after a flux peak that its energy rise is measured over. */
    public static final int RISE_FRAMES = 3;

    private final int sampleRateHz;
    private final Stft stft;
    private final int minGapFrames;
    private final float thresholdMargin;
    private final float rise;

    /**
     * @param sampleRateHz     the rate of the recordings
     * @param minGapMs         closest two onsets may be
     * @param thresholdMargin  flux above the local median needed for an onset, in units of the
     *                         recording's mean flux (1.0 is a reasonable start)
     */
    public OnsetDetector(int sampleRateHz, double minGapMs, float thresholdMargin) {
        this(sampleRateHz, minGapMs, thresholdMargin, 0f);
    }

    /**
     * @param rise rise of the frame level (the mean over bins of {@code ln(1 + 1000 |X| / peak)})
     *             an onset needs across it; 0 turns the rise test off (the detector before 2.0)
     */
    public OnsetDetector(int sampleRateHz, double minGapMs, float thresholdMargin, float rise) {
        this.sampleRateHz = sampleRateHz;
        this.stft = new Stft(N_FFT, HOP);
        this.minGapFrames = Math.max(1, (int) Math.round(minGapMs * sampleRateHz / 1000.0 / HOP));
        this.thresholdMargin = thresholdMargin;
        this.rise = rise;
    }

    /** Defaults for drums at the given rate: 50 ms minimum gap, margin 0.5, rise 0.2 (chosen on synthetic 808 kicks, see the test). */
    public OnsetDetector(int sampleRateHz) {
        this(sampleRateHz, 50.0, 0.5f, DEFAULT_RISE);
    }

    /** The default level rise an onset needs (see the four-argument constructor). */
    public static final float DEFAULT_RISE = 0.2f;

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
        // Loudness for the rise test: the mean of the compressed spectrum over bins, so that a hat
        // over a kick's tail (new energy high up, little in total) rises as much as it sounds.
        float[] level = new float[frames];
        float[] flux = new float[frames];
        double level0 = 0;
        for (int k = 0; k < bins; k++) {
            previous[k] = FastMath.ln(1f + scale * mag[k]);
            level0 += previous[k];
        }
        level[0] = (float) (level0 / bins);
        // Frame 0 against the silence before the recording, so that a hit at its very start counts.
        // (It is left out of the mean: a recording that starts loud would raise every threshold.)
        flux[0] = (float) level0;
        double mean = 0;
        for (int t = 1; t < frames; t++) {
            double f = 0;
            double sum = 0;
            int a = t * bins;
            // Two passes: the logarithms alone (no dependency between bins), then the sums in the
            // same order as ever, with the rectification as a select rather than a branch that
            // noise mispredicts half the time (f + 0 is f: the same bits).
            for (int k = 0; k < bins; k++) {
                current[k] = FastMath.ln(1f + scale * mag[a + k]);
            }
            for (int k = 0; k < bins; k++) {
                float c = current[k];
                sum += c;
                float d = c - previous[k];
                f += d > 0 ? d : 0f;
            }
            level[t] = (float) (sum / bins);
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
        for (int t = 0; t < frames; t++) {
            int lo = Math.max(0, t - half);
            int hi = Math.min(frames - 1, t + half);
            int n = hi - lo + 1;
            System.arraycopy(flux, lo, window, 0, n);
            Arrays.sort(window, 0, n);
            float threshold = (float) (window[n / 2] + thresholdMargin * mean);
            boolean isPeak = flux[t] > threshold
                    && (t == 0 || flux[t] >= flux[t - 1])
                    && (t + 1 >= frames || flux[t] > flux[t + 1]);
            if (isPeak && t - last >= minGapFrames && (t > 0 || startsWithHit(signal, peak)) && rises(level, t)) {
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
     * Whether the recording starts with a hit rather than with its noise floor: its first
     * {@value #START_SAMPLES} samples reach {@value #START_FRACTION} of its peak. Frame 0's flux is
     * taken against silence, which any noise floor would pass.
     */
    private static boolean startsWithHit(float[] signal, float peak) {
        float first = 0f;
        for (int i = 0, n = Math.min(signal.length, START_SAMPLES); i < n; i++) {
            first = Math.max(first, Math.abs(signal[i]));
        }
        return first >= START_FRACTION * peak;
    }

    /** Samples at the start that a hit at frame 0 must show in. */
    private static final int START_SAMPLES = 1024;
    /** Fraction of the recording's peak a hit at frame 0 reaches (-20 dB). */
    private static final float START_FRACTION = 0.1f;

    /** Whether the level after frame {@code t} rises {@code rise} above the lowest before it. */
    private boolean rises(float[] level, int t) {
        if (rise <= 0f) {
            return true;
        }
        if (t <= RISE_FRAMES) {
            // Before the recording there is silence: a hit in its first frames always rises.
            return true;
        }
        float before = Float.POSITIVE_INFINITY;
        for (int i = t - RISE_FRAMES; i < t; i++) {
            before = Math.min(before, level[i]);
        }
        float after = Float.NEGATIVE_INFINITY;
        for (int i = t; i < Math.min(level.length, t + RISE_FRAMES); i++) {
            after = Math.max(after, level[i]);
        }
        return after - before >= rise;
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
