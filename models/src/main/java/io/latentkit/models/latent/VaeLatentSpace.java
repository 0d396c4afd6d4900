package io.latentkit.models.latent;

import io.latentkit.models.DrumVae;
import io.latentkit.models.ModelException;

/**
 * {@link LatentSpace} over the drum VAE: the encoder's mean, and the live decode (decoder plus
 * {@link DrumVae#DEFAULT_ITERATIONS} fast Griffin-Lim iterations from the phase-vocoder start,
 * which is deterministic: no random phase, and FFTW plans chosen by heuristics, not by timing).
 *
 * <p>Not thread-safe; the VAE's owner thread only.
 */
public final class VaeLatentSpace implements LatentSpace {
    private final DrumVae vae;
    private final String id;

    public VaeLatentSpace(DrumVae vae) {
        this.vae = vae;
        var meta = vae.decoderModel().metadata();
        this.id = meta.getOrDefault("version", "?") + "/" + meta.getOrDefault("training_data_digest", "?");
    }

    @Override
    public int size() {
        return vae.latentSize();
    }

    @Override
    public int rateHz() {
        return vae.spec().sampleRateHz();
    }

    @Override
    public int clipSamples() {
        return vae.spec().clipSamples();
    }

    @Override
    public String modelId() {
        return id;
    }

    @Override
    public float[] encode(float[] mono) throws ModelException {
        return vae.encode(mono).mean();
    }

    @Override
    public void decode(float[] z, float[] out) throws ModelException {
        vae.decodeInto(z, DrumVae.DEFAULT_ITERATIONS, out);
    }
}
