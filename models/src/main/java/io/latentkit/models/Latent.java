package io.latentkit.models;

/**
 * A sound's place in the VAE's latent space: the encoder's mean and log-variance.
 *
 * <p>Immutable by convention (do not write the arrays); any thread.
 */
public record Latent(float[] mean, float[] logVariance) {
}
