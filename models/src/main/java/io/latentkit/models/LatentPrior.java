package io.latentkit.models;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Where random generation samples the VAE's latent space: a Gaussian mixture fitted to the
 * training sounds' encodings (one full-covariance component per drum class, so that a random point
 * lies where drums lie), read from the decoder's {@value #KEY} metadata. A decoder without it
 * gets the standard normal the 1.x models sampled.
 *
 * <p>Immutable; any thread. {@link #sample} draws from the caller's {@link Random}, so the same
 * seed gives the same point.
 */
public final class LatentPrior {
    /** Decoder metadata key holding the mixture as JSON (written by models/training/export.py). */
    public static final String KEY = "latent_prior";

    /** One mixture component: weight, the class it was fitted to, mean and Cholesky factor rows. */
    public record Component(double weight, String label, float[] mean, float[][] cholesky) {
    }

    private final int dim;
    private final List<Component> components;
    private final double[] cumulative;

    private LatentPrior(int dim, List<Component> components) {
        this.dim = dim;
        this.components = Collections.unmodifiableList(components);
        this.cumulative = new double[components.size()];
        double total = 0;
        for (Component c : components) {
            total += c.weight();
        }
        double run = 0;
        for (int i = 0; i < cumulative.length; i++) {
            run += components.get(i).weight() / total;
            cumulative[i] = run;
        }
    }

    /** The standard normal in {@code dim} dimensions (one component, identity covariance). */
    public static LatentPrior standardNormal(int dim) {
        float[][] chol = new float[dim][];
        for (int i = 0; i < dim; i++) {
            chol[i] = new float[i + 1];
            chol[i][i] = 1f;
        }
        List<Component> one = new ArrayList<>();
        one.add(new Component(1.0, "any", new float[dim], chol));
        return new LatentPrior(dim, one);
    }

    /**
     * Parses the {@value #KEY} metadata: {@code {"kind":"gaussian_mixture","dim":D,"components":[
     * {"weight":w,"label":l,"mean":[D numbers],"chol":[[1 number],[2 numbers],...,[D numbers]]}]}}.
     *
     * @throws ModelLoadException with a one-line reason if it is malformed or of another dimension
     */
    public static LatentPrior parse(String json, int dim, String model) throws ModelLoadException {
        try {
            JsonNode root = new ObjectMapper().readTree(json);
            if (!"gaussian_mixture".equals(root.path("kind").asText()) || root.path("dim").asInt() != dim) {
                throw bad(model, "not a " + dim + "-d gaussian_mixture");
            }
            List<Component> comps = new ArrayList<>();
            for (JsonNode c : root.path("components")) {
                double w = c.path("weight").asDouble(-1);
                if (!(w > 0) || Double.isInfinite(w)) {
                    throw bad(model, "a component has no positive weight");
                }
                float[] mean = numbers(c.path("mean"), dim, model);
                JsonNode rows = c.path("chol");
                if (rows.size() != dim) {
                    throw bad(model, "a Cholesky factor has " + rows.size() + " rows, not " + dim);
                }
                float[][] chol = new float[dim][];
                for (int i = 0; i < dim; i++) {
                    chol[i] = numbers(rows.get(i), i + 1, model);
                }
                comps.add(new Component(w, c.path("label").asText(""), mean, chol));
            }
            if (comps.isEmpty()) {
                throw bad(model, "no components");
            }
            return new LatentPrior(dim, comps);
        } catch (IOException e) {
            throw bad(model, "not JSON (" + e.getMessage().split("\n", 2)[0] + ")");
        }
    }

    private static float[] numbers(JsonNode a, int n, String model) throws ModelLoadException {
        if (!a.isArray() || a.size() != n) {
            throw bad(model, "expected " + n + " numbers, found " + (a.isArray() ? a.size() : "none"));
        }
        float[] out = new float[n];
        for (int i = 0; i < n; i++) {
            JsonNode v = a.get(i);
            if (!v.isNumber() || !Float.isFinite((float) v.asDouble())) {
                throw bad(model, "a value is not a finite number");
            }
            out[i] = (float) v.asDouble();
        }
        return out;
    }

    private static ModelLoadException bad(String model, String why) {
        return new ModelLoadException(model + ": " + KEY + " metadata: " + why);
    }

    public int dim() {
        return dim;
    }

    public List<Component> components() {
        return components;
    }

    /**
     * The generator for a user's seed ({@code generate --seed N}). {@code new Random(n)} for
     * consecutive small seeds starts with nearly the same first draws (its seed scrambling is a
     * single XOR), so seeds 0 to 99 would all choose the same component; the seed is mixed first
     * with SplitMix64's finaliser, which spreads neighbouring seeds over the whole range.
     */
    public static Random randomFor(long seed) {
        long z = seed + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return new Random(z ^ (z >>> 31));
    }

    /**
     * A random point: a component chosen by weight with one uniform draw, then its mean plus its
     * Cholesky factor times {@code dim} standard normal draws, all from {@code rng}.
     */
    public float[] sample(Random rng) {
        double u = rng.nextDouble();
        int k = 0;
        while (k < cumulative.length - 1 && u >= cumulative[k]) {
            k++;
        }
        return sample(components.get(k), rng);
    }

    /** A random point of one component. */
    public static float[] sample(Component c, Random rng) {
        int d = c.mean().length;
        double[] eps = new double[d];
        for (int i = 0; i < d; i++) {
            eps[i] = rng.nextGaussian();
        }
        float[] z = new float[d];
        for (int i = 0; i < d; i++) {
            double v = c.mean()[i];
            float[] row = c.cholesky()[i];
            for (int j = 0; j <= i; j++) {
                v += row[j] * eps[j];
            }
            z[i] = (float) v;
        }
        return z;
    }
}
