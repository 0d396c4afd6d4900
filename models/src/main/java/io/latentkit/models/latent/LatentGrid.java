package io.latentkit.models.latent;

/**
 * A pad's pre-decoded grid ({@code --latent-grid N}): the exact decodes at {@code N x N} evenly
 * spaced positions of its morph square, built one decode at a time when the inference worker has
 * nothing more urgent to do, for one generation of the pad's anchors. Once complete, any position is
 * served at once from the four grid sounds around it, blended with bilinear weights
 * ({@link SoundBlend}).
 *
 * <p>Not thread-safe: the inference worker only.
 */
final class LatentGrid {
    private final int n;
    private final int steps;
    private final int generation;
    private final float[][] sounds;
    private final int[] onsets;
    private int built;
    private final long startedNanos = System.nanoTime();
    private long builtNanos = -1;
    private long decodeNanos;
    private final float[][] four = new float[4][];
    private final int[] fourOnsets = new int[4];
    private final double[] fourWeights = new double[4];

    /** @param steps the position quantisation, so that grid points are positions the cache knows */
    LatentGrid(int n, int steps, int generation) {
        if (n < 2) {
            throw new IllegalArgumentException("a grid has at least 2 x 2 points, not " + n);
        }
        this.n = n;
        this.steps = steps;
        this.generation = generation;
        this.sounds = new float[n * n][];
        this.onsets = new int[n * n];
    }

    int generation() {
        return generation;
    }

    boolean complete() {
        return built == sounds.length;
    }

    /** The index of the next point to decode; only while not {@link #complete()}. */
    int next() {
        return built;
    }

    /** Grid x of point {@code i}, on the position quantisation. */
    float x(int i) {
        return LatentMath.quantise((i % n) / (float) (n - 1), steps);
    }

    float y(int i) {
        return LatentMath.quantise((i / n) / (float) (n - 1), steps);
    }

    /** Stores the decode of point {@link #next()}, which took {@code tookNanos} to make. */
    void add(float[] decode, long tookNanos) {
        decodeNanos += tookNanos;
        sounds[built] = decode;
        onsets[built] = SoundBlend.onset(decode);
        built++;
        if (complete()) {
            builtNanos = System.nanoTime() - startedNanos;
        }
    }

    /** Nanoseconds from creation to the last point, or -1 while building. */
    long buildNanos() {
        return builtNanos;
    }

    /** Nanoseconds spent decoding the points (the build's cost without the moves served between). */
    long decodeNanos() {
        return decodeNanos;
    }

    /** Bytes of audio the grid holds when complete. */
    long bytes(int clipSamples) {
        return 4L * clipSamples * sounds.length;
    }

    /** Blends the four grid sounds around {@code (x, y)} into {@code out}; only when complete. */
    void blend(float x, float y, float[] out) {
        double gx = Math.max(0, Math.min(1, x)) * (n - 1);
        double gy = Math.max(0, Math.min(1, y)) * (n - 1);
        int i0 = Math.min(n - 2, (int) Math.floor(gx));
        int j0 = Math.min(n - 2, (int) Math.floor(gy));
        double fx = gx - i0;
        double fy = gy - j0;
        int[] idx = {j0 * n + i0, j0 * n + i0 + 1, (j0 + 1) * n + i0, (j0 + 1) * n + i0 + 1};
        double[] w = {(1 - fx) * (1 - fy), fx * (1 - fy), (1 - fx) * fy, fx * fy};
        for (int k = 0; k < 4; k++) {
            four[k] = sounds[idx[k]];
            fourOnsets[k] = onsets[idx[k]];
            // Rounding leaves a weight of 1e-17 where a point sits on a grid line: treat it as 0.
            fourWeights[k] = w[k] < 1e-9 ? 0 : w[k];
        }
        SoundBlend.blend(four, fourOnsets, fourWeights, 4, out);
    }
}
