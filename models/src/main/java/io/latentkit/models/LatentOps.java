package io.latentkit.models;

import java.util.Random;

/**
 * Operations on latent vectors, as SampleVAE offered them: random points, re-generation with
 * variance, weighted combination (negative weights subtract) and interpolation.
 *
 * <p>Stateless and pure; any thread. Each call returns a new array.
 */
public final class LatentOps {
    private LatentOps() {
    }

    /** A point drawn from the prior, a standard normal in every dimension. */
    public static float[] random(int size, Random rng) {
        float[] z = new float[size];
        for (int i = 0; i < size; i++) {
            z[i] = (float) rng.nextGaussian();
        }
        return z;
    }

    /**
     * Re-generation of an encoded sound: {@code mean + variance * N(0, 1)} per dimension, in units
     * of the prior's standard deviation. 0 gives the sound's own reconstruction; 0.1 to 0.5 gives
     * variations of it; 1 is as far as a random sound.
     */
    public static float[] vary(float[] mean, float variance, Random rng) {
        if (!(variance >= 0f) || !Float.isFinite(variance)) {
            throw new IllegalArgumentException("variance must be a finite number >= 0: " + variance);
        }
        float[] z = new float[mean.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = mean[i] + variance * (float) rng.nextGaussian();
        }
        return z;
    }

    /**
     * Weighted combination {@code sum(w_i z_i)}. With {@code normalize}, the weights are first
     * divided by their sum, so that (1, 1) is the midpoint and (1, -0.5) means "twice the first minus
     * the second"; a sum near zero cannot be normalised and is refused. Without it the weights are
     * used as given, so (1, 1, -1) is "a plus b minus c", the latent-arithmetic form.
     */
    public static float[] combine(float[][] zs, float[] weights, boolean normalize) {
        if (zs.length == 0 || zs.length != weights.length) {
            throw new IllegalArgumentException("need one weight per sound: " + zs.length + " sounds, "
                    + weights.length + " weights");
        }
        double sum = 0;
        for (float w : weights) {
            if (!Float.isFinite(w)) {
                throw new IllegalArgumentException("weights must be finite numbers");
            }
            sum += w;
        }
        if (normalize && Math.abs(sum) < 1e-6) {
            throw new IllegalArgumentException("the weights sum to zero and cannot be normalised; pass --no-normalize");
        }
        double scale = normalize ? 1.0 / sum : 1.0;
        float[] z = new float[zs[0].length];
        for (int j = 0; j < zs.length; j++) {
            if (zs[j].length != z.length) {
                throw new IllegalArgumentException("latent sizes differ");
            }
            float w = (float) (weights[j] * scale);
            for (int i = 0; i < z.length; i++) {
                z[i] += w * zs[j][i];
            }
        }
        return z;
    }

    /** Linear interpolation: {@code t = 0} is {@code a}, {@code t = 1} is {@code b}. */
    public static float[] interpolate(float[] a, float[] b, float t) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("latent sizes differ");
        }
        float[] z = new float[a.length];
        for (int i = 0; i < z.length; i++) {
            z[i] = a[i] + t * (b[i] - a[i]);
        }
        return z;
    }
}
