package io.latentkit.core.kit;

import java.util.Objects;

/**
 * The samples a pad plays for a velocity range: one or more round-robin alternatives, cycled hit
 * by hit. Velocities are normalised to 0..1; the range is inclusive at both ends.
 *
 * <p>Immutable; any thread.
 */
public final class VelocityLayer {
    private final float minVelocity;
    private final float maxVelocity;
    private final Sample[] roundRobin;

    public VelocityLayer(float minVelocity, float maxVelocity, Sample... roundRobin) {
        if (!(minVelocity >= 0f && maxVelocity <= 1f && minVelocity <= maxVelocity)) {
            throw new IllegalArgumentException("velocity range must satisfy 0 <= min <= max <= 1: "
                    + minVelocity + ".." + maxVelocity);
        }
        Objects.requireNonNull(roundRobin, "roundRobin");
        if (roundRobin.length == 0) {
            throw new IllegalArgumentException("a velocity layer needs at least one sample");
        }
        for (Sample s : roundRobin) {
            Objects.requireNonNull(s, "sample");
        }
        this.minVelocity = minVelocity;
        this.maxVelocity = maxVelocity;
        this.roundRobin = roundRobin.clone();
    }

    /** A single layer covering every velocity. */
    public static VelocityLayer of(Sample sample) {
        return new VelocityLayer(0f, 1f, sample);
    }

    public float minVelocity() {
        return minVelocity;
    }

    public float maxVelocity() {
        return maxVelocity;
    }

    public int roundRobinCount() {
        return roundRobin.length;
    }

    /** The i-th round-robin sample; allocation-free. */
    public Sample sample(int i) {
        return roundRobin[i];
    }

    boolean covers(float velocity) {
        return velocity >= minVelocity && velocity <= maxVelocity;
    }
}
