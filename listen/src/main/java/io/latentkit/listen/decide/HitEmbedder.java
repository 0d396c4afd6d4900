package io.latentkit.listen.decide;

import io.latentkit.models.ModelException;

/**
 * Maps the window after an onset to a point in a space where sounds a listener would call the same
 * are close: the space enrolment's nearest-neighbour model decides in.
 *
 * <p>Not thread-safe; confined to the listen agent's thread.
 */
public interface HitEmbedder {
    /**
     * Names the space (model, version, window), so that examples embedded in another space are
     * recognised and embedded again from their clips rather than compared across spaces.
     */
    String id();

    /** Coordinates per point. */
    int dimensions();

    /**
     * Embeds {@code samples[from, to)} into {@code out[0, dimensions())}.
     *
     * @throws ModelException if the model fails or the window is unusable
     */
    void embed(float[] samples, int from, int to, float[] out) throws ModelException;
}
