package io.latentkit.models.latent;

import io.latentkit.models.ModelException;

/**
 * What the latent pads need from a generative model, and nothing more: encode a hit to a point,
 * decode a point to a hit, deterministically (the same point gives the same bytes every time, in
 * every process on the same machine), so that a preset reloads a latent pad's sound bit for bit.
 * Kept this thin so that a retrained model (another latent size, another prior) plugs in unchanged.
 *
 * <p>Not thread-safe: one owner thread (the inference worker).
 */
public interface LatentSpace {
    /** Dimensions of a latent point. */
    int size();

    /** The rate of decoded sounds (and of what {@link #encode} expects), Hz. */
    int rateHz();

    /** Samples of one decoded sound. */
    int clipSamples();

    /** The model's identity (version and training-data digest), saved with latent vectors. */
    String modelId();

    /** The point (the encoder's mean) of a mono hit at {@link #rateHz()}. */
    float[] encode(float[] mono) throws ModelException;

    /** Decodes {@code z} into {@code out} ({@link #clipSamples()} long), peak-normalised. */
    void decode(float[] z, float[] out) throws ModelException;
}
