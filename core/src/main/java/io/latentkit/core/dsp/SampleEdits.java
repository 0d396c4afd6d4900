package io.latentkit.core.dsp;

/**
 * Reverse and splice, the two sound permutations that cut rather than stretch.
 *
 * <p>Splice joins the attack of one sound with the tail of another: sound A up to its peak plus
 * {@value #SPLICE_HOLD_MS} ms, then an equal-power crossfade of {@value #SPLICE_FADE_MS} ms into
 * sound B, which is aligned so that its onset falls where A's onset is (B's tail continues at the
 * time after the hit it had in B). B keeps its own level.
 *
 * <p>Threading: stateless; any thread but the render thread (it allocates its output).
 */
public final class SampleEdits {
    /** How far past A's peak its attack is kept before the crossfade. */
    public static final double SPLICE_HOLD_MS = 10.0;
    /** The crossfade from A into B. */
    public static final double SPLICE_FADE_MS = 3.0;

    private SampleEdits() {
    }

    /** A new array holding {@code in} back to front. */
    public static float[] reverse(float[] in) {
        float[] out = new float[in.length];
        for (int i = 0, j = in.length - 1; i < in.length; i++, j--) {
            out[i] = in[j];
        }
        return out;
    }

    /** Where a splice of {@code a} (all its channels) cuts: the first crossfade frame. */
    public static int spliceCutFrame(int sampleRateHz, float[]... a) {
        int cut = Transients.peakFrame(a) + (int) Math.round(SPLICE_HOLD_MS * sampleRateHz / 1000.0);
        return Math.min(cut, a[0].length);
    }

    /** The crossfade's length in frames. */
    public static int spliceFadeFrames(int sampleRateHz) {
        return Math.max(1, (int) Math.round(SPLICE_FADE_MS * sampleRateHz / 1000.0));
    }

    /**
     * How far B is shifted: output frame {@code i} past the crossfade is B's frame
     * {@code i + offset}, where offset is B's onset minus A's.
     */
    public static int spliceOffsetFrames(float[][] a, float[][] b) {
        return Transients.onsetFrame(b) - Transients.onsetFrame(a);
    }

    /**
     * The attack of {@code a} and the tail of {@code b}, channel by channel ({@code a} and {@code b}
     * have the same channel count; cut, fade and alignment are computed over all channels so every
     * channel is cut at the same frame).
     */
    public static float[][] splice(int sampleRateHz, float[][] a, float[][] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("splice needs equal channel counts: " + a.length + " vs " + b.length);
        }
        int cut = spliceCutFrame(sampleRateHz, a);
        int fade = spliceFadeFrames(sampleRateHz);
        int offset = spliceOffsetFrames(a, b);
        int bLen = b[0].length;
        // B's frames from the cut on, shifted by offset; at least the crossfade so A fades out.
        int outLen = Math.max(cut + fade, Math.min(Integer.MAX_VALUE - 1, bLen - offset));
        float[][] out = new float[a.length][outLen];
        for (int c = 0; c < a.length; c++) {
            float[] x = a[c];
            float[] y = b[c];
            float[] o = out[c];
            for (int i = 0; i < outLen; i++) {
                float av = i < x.length ? x[i] : 0f;
                int j = i + offset;
                float bv = j >= 0 && j < y.length ? y[j] : 0f;
                if (i < cut) {
                    o[i] = av;
                } else if (i < cut + fade) {
                    double g = (i - cut + 0.5) / fade * (Math.PI / 2);
                    o[i] = (float) (av * Math.cos(g) + bv * Math.sin(g));
                } else {
                    o[i] = bv;
                }
            }
        }
        return out;
    }
}
