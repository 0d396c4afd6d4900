package io.latentkit.models.latent;

import java.util.Arrays;

/**
 * An equal-power blend of decoded sounds, used to serve a move at once from the nearest
 * pre-decoded sounds while the exact decode is computed. Each sound is shifted so that its onset
 * (its first sample at 5% of its peak) lands on the onset of the heaviest-weighted one, so that the
 * attacks add up instead of flamming; gains are {@code sqrt(w_i / sum w)}, which keeps the power of
 * uncorrelated sounds; the result is peak-normalised to 0.9 like every decode.
 *
 * <p>Stateless; any thread. Does not allocate.
 */
public final class SoundBlend {
    /** A decode's peak level ({@code DrumVae.decode} normalises to it). */
    public static final float PEAK = 0.9f;
    /** The onset is the first sample at this fraction of the peak (as the model's clips are cut). */
    static final float ONSET_FRACTION = 0.05f;

    private SoundBlend() {
    }

    /** The first index at {@value #ONSET_FRACTION} of the peak, or 0 for silence. */
    public static int onset(float[] x) {
        float peak = 0f;
        for (float v : x) {
            peak = Math.max(peak, Math.abs(v));
        }
        float threshold = peak * ONSET_FRACTION;
        for (int i = 0; i < x.length; i++) {
            if (Math.abs(x[i]) >= threshold && peak > 0f) {
                return i;
            }
        }
        return 0;
    }

    /**
     * Blends the first {@code count} sounds with the given weights (>= 0, not all 0) into
     * {@code out}; {@code onsets[i]} is {@link #onset} of sound {@code i}.
     */
    public static void blend(float[][] sounds, int[] onsets, double[] weights, int count, float[] out) {
        double sum = 0;
        int heaviest = 0;
        for (int i = 0; i < count; i++) {
            if (!(weights[i] >= 0)) {
                throw new IllegalArgumentException("blend weights must be >= 0");
            }
            sum += weights[i];
            if (weights[i] > weights[heaviest]) {
                heaviest = i;
            }
        }
        if (!(sum > 0)) {
            throw new IllegalArgumentException("blend weights sum to 0");
        }
        Arrays.fill(out, 0f);
        if (weights[heaviest] == sum) {
            // On a grid point: the sound itself, bit for bit, not a renormalised copy.
            System.arraycopy(sounds[heaviest], 0, out, 0, Math.min(out.length, sounds[heaviest].length));
            return;
        }
        int reference = onsets[heaviest];
        for (int i = 0; i < count; i++) {
            if (weights[i] == 0) {
                continue;
            }
            float g = (float) Math.sqrt(weights[i] / sum);
            float[] x = sounds[i];
            int shift = reference - onsets[i];
            int from = Math.max(0, shift);
            int to = Math.min(out.length, x.length + shift);
            for (int j = from; j < to; j++) {
                out[j] += g * x[j - shift];
            }
        }
        float peak = 0f;
        for (float v : out) {
            peak = Math.max(peak, Math.abs(v));
        }
        if (peak > 0f) {
            float g = PEAK / peak;
            for (int j = 0; j < out.length; j++) {
                out[j] *= g;
            }
        }
    }
}
