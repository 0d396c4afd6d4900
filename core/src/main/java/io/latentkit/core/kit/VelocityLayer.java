package io.latentkit.core.kit;

import java.util.Objects;

/**
 * What a pad plays for a velocity range: one or more alternative {@link Strike}s, either cycled
 * hit by hit (round robin) or drawn at random with given chances. Velocities are normalised to
 * 0..1; the range is inclusive at both ends.
 *
 * <p>Immutable; any thread. The position in the cycle and the random state belong to the
 * {@link Pad}, which advances them on the render thread.
 */
public final class VelocityLayer {
    private final float minVelocity;
    private final float maxVelocity;
    private final Strike[] strikes;
    /** Upper bounds of each strike's share of [0, 1) for random layers (last = 1); null to cycle. */
    private final float[] randomBounds;

    /** A layer whose round-robin alternatives are single samples at the pad's pan. */
    public VelocityLayer(float minVelocity, float maxVelocity, Sample... roundRobin) {
        this(minVelocity, maxVelocity, strikesOf(roundRobin), null);
    }

    private VelocityLayer(float minVelocity, float maxVelocity, Strike[] strikes, float[] randomBounds) {
        if (!(minVelocity >= 0f && maxVelocity <= 1f && minVelocity <= maxVelocity)) {
            throw new IllegalArgumentException("velocity range must satisfy 0 <= min <= max <= 1: "
                    + minVelocity + ".." + maxVelocity);
        }
        Objects.requireNonNull(strikes, "strikes");
        if (strikes.length == 0) {
            throw new IllegalArgumentException("a velocity layer needs at least one strike");
        }
        for (Strike s : strikes) {
            Objects.requireNonNull(s, "strike");
        }
        this.minVelocity = minVelocity;
        this.maxVelocity = maxVelocity;
        this.strikes = strikes.clone();
        this.randomBounds = randomBounds;
    }

    /** A single layer covering every velocity. */
    public static VelocityLayer of(Sample sample) {
        return new VelocityLayer(0f, 1f, sample);
    }

    /** A layer that cycles through {@code strikes}, one per hit. */
    public static VelocityLayer cycling(float minVelocity, float maxVelocity, Strike... strikes) {
        return new VelocityLayer(minVelocity, maxVelocity, strikes, null);
    }

    /**
     * A layer that draws one of {@code strikes} per hit, strike {@code i} with probability
     * {@code chances[i] / sum(chances)}.
     *
     * @param chances one positive, finite weight per strike
     */
    public static VelocityLayer random(float minVelocity, float maxVelocity, float[] chances, Strike... strikes) {
        Objects.requireNonNull(chances, "chances");
        Objects.requireNonNull(strikes, "strikes");
        if (chances.length != strikes.length) {
            throw new IllegalArgumentException(strikes.length + " strikes but " + chances.length + " chances");
        }
        double sum = 0;
        for (float c : chances) {
            if (!(c > 0f && c < Float.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("a chance must be positive and finite: " + c);
            }
            sum += c;
        }
        float[] bounds = new float[chances.length];
        double acc = 0;
        for (int i = 0; i < chances.length; i++) {
            acc += chances[i];
            bounds[i] = (float) (acc / sum);
        }
        // Rounding must not leave a sliver of [0, 1) that no strike covers.
        if (bounds.length > 0) {
            bounds[bounds.length - 1] = 1f;
        }
        return new VelocityLayer(minVelocity, maxVelocity, strikes, bounds);
    }

    private static Strike[] strikesOf(Sample[] samples) {
        Objects.requireNonNull(samples, "roundRobin");
        if (samples.length == 0) {
            throw new IllegalArgumentException("a velocity layer needs at least one sample");
        }
        Strike[] s = new Strike[samples.length];
        for (int i = 0; i < samples.length; i++) {
            s[i] = Strike.of(Objects.requireNonNull(samples[i], "sample"));
        }
        return s;
    }

    public float minVelocity() {
        return minVelocity;
    }

    public float maxVelocity() {
        return maxVelocity;
    }

    /** Whether a hit draws its strike at random instead of cycling. */
    public boolean isRandom() {
        return randomBounds != null;
    }

    /** Number of alternative strikes (round-robin or random). */
    public int roundRobinCount() {
        return strikes.length;
    }

    /** The i-th alternative; allocation-free. */
    public Strike strike(int i) {
        return strikes[i];
    }

    /** The first sample of the i-th alternative; allocation-free. */
    public Sample sample(int i) {
        return strikes[i].sample(0);
    }

    /**
     * The chance of strike {@code i} in a random layer (0..1), or {@code 1 / count} in a cycling
     * one.
     */
    public float chance(int i) {
        if (randomBounds == null) {
            return 1f / strikes.length;
        }
        return randomBounds[i] - (i == 0 ? 0f : randomBounds[i - 1]);
    }

    /** The strike a random draw {@code r} in [0, 1) selects; allocation-free. */
    Strike strikeAt(float r) {
        float[] b = randomBounds;
        for (int i = 0; i < b.length - 1; i++) {
            if (r < b[i]) {
                return strikes[i];
            }
        }
        return strikes[strikes.length - 1];
    }

    boolean covers(float velocity) {
        return velocity >= minVelocity && velocity <= maxVelocity;
    }
}
