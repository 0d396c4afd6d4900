package io.latentkit.models;

/**
 * A classifier's answer for one hit: a probability per {@link HitClass} (indexed by
 * {@link HitClass#ordinal()}) and the most probable class. A tom's pad needs its size within a
 * kit as well ({@link io.latentkit.core.dsp.TomRanker}).
 *
 * <p>Immutable (the array is a private copy; {@link #probabilities()} returns a copy); any thread.
 */
public final class Classification {
    private final float[] probabilities;
    private final HitClass top;

    public Classification(float[] probabilities) {
        if (probabilities.length != HitClass.COUNT) {
            throw new IllegalArgumentException("need " + HitClass.COUNT + " probabilities, got " + probabilities.length);
        }
        this.probabilities = probabilities.clone();
        int best = 0;
        for (int i = 1; i < probabilities.length; i++) {
            if (probabilities[i] > probabilities[best]) {
                best = i;
            }
        }
        this.top = HitClass.ofIndex(best);
    }

    public HitClass top() {
        return top;
    }

    public float probability(HitClass c) {
        return probabilities[c.ordinal()];
    }

    public float[] probabilities() {
        return probabilities.clone();
    }
}
