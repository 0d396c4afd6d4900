package io.latentkit.listen.decide;

import io.latentkit.models.DrumVae;
import io.latentkit.models.Latent;
import io.latentkit.models.ModelException;

/**
 * Enrolment's embedding: the drum VAE encoder's mean for the window after the onset. The shipped
 * classifier exposes only its probabilities (no penultimate layer in the ONNX graph), so the VAE
 * encoder is the richest learned space available; its 64 coordinates describe the spectral shape
 * of the attack, which is what tells a "b" from a "ts" or a "k".
 *
 * <p>Not thread-safe; the listen agent's thread. Does not own the VAE.
 */
public final class VaeHitEmbedder implements HitEmbedder {
    private final DrumVae vae;
    private final String id;

    /**
     * @param version the models' version, part of the space's id
     * @param windowFrames the window length, part of the space's id
     */
    public VaeHitEmbedder(DrumVae vae, String version, int windowFrames) {
        this.vae = vae;
        this.id = "vae_encoder/" + version + "/mean/window=" + windowFrames;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public int dimensions() {
        return vae.latentSize();
    }

    @Override
    public void embed(float[] samples, int from, int to, float[] out) throws ModelException {
        Latent l = vae.encode(samples, from, to);
        System.arraycopy(l.mean(), 0, out, 0, out.length);
    }
}
