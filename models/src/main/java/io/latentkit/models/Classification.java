package io.latentkit.models;

import io.latentkit.core.DrumClass;

/**
 * A classifier's answer for one hit: a probability per drum class, indexed by pad (the order of
 * {@link DrumClass}), and the most probable class.
 *
 * <p>Immutable (the array is a private copy; {@link #probabilities()} returns a copy); any thread.
 */
public final class Classification {
    private final float[] probabilities;
    private final DrumClass top;

    public Classification(float[] probabilities) {
        if (probabilities.length != DrumClass.COUNT) {
            throw new IllegalArgumentException("need " + DrumClass.COUNT + " probabilities, got " + probabilities.length);
        }
        this.probabilities = probabilities.clone();
        int best = 0;
        for (int i = 1; i < probabilities.length; i++) {
            if (probabilities[i] > probabilities[best]) {
                best = i;
            }
        }
        this.top = DrumClass.ofPad(best);
    }

    public DrumClass top() {
        return top;
    }

    public float probability(DrumClass c) {
        return probabilities[c.pad()];
    }

    public float[] probabilities() {
        return probabilities.clone();
    }
}
