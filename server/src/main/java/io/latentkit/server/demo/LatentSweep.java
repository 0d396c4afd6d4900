package io.latentkit.server.demo;

import io.latentkit.core.DrumClass;
import io.latentkit.core.dsp.Resampler;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Sample;
import io.latentkit.core.kit.VelocityLayer;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.control.Stage;
import io.latentkit.models.ModelException;
import io.latentkit.models.latent.LatentMath;
import io.latentkit.models.latent.LatentSpace;

/**
 * The demo's latent morph sweep: while the groove plays, one pad (the percussion pad) is hit on
 * every eighth note and its sound moves through the VAE's latent space, from the kit's kick (the
 * encoder's point of its sample) to its snare over the first two bars, and on to its closed hat
 * over the last two, along great circles. Before each hit the decode of the point there is staged
 * as the pad's live sample, exactly as {@code /latent/xy} does live; voices already sounding keep
 * theirs. The decode is deterministic (no random phase, heuristic FFT plans), so the sweep is the
 * same bytes on every run.
 *
 * <p>Threading: the scripting thread, before the offline render.
 */
public final class LatentSweep {
    /** The pad that morphs. */
    public static final int PAD = DrumClass.PERC.pad();
    /** Hits (and decodes) per bar: eighth notes. */
    public static final int HITS_PER_BAR = 8;
    /** Bars the sweep lasts: kick to snare in the first half, snare to hat in the second. */
    public static final int BARS = 4;

    private LatentSweep() {
    }

    /**
     * Publishes the sweep's stages and hits from {@code startFrame} for {@link #BARS} bars at
     * {@code bpm} (the groove for the same bars is published separately), and a last stage that
     * hands the pad back to its kit sample. Returns the frame just after the last bar.
     *
     * @param space the VAE, owned by the calling thread
     * @param kit   the kit whose kick, snare and closed hat are the sweep's three anchors
     */
    public static long publish(EngineProxy proxy, LatentSpace space, Kit kit, long startFrame, double bpm,
            int sampleRateHz, int blockFrames) throws ModelException {
        float[] kick = space.encode(modelMono(kit, DrumClass.KICK, space.rateHz()));
        float[] snare = space.encode(modelMono(kit, DrumClass.SNARE, space.rateHz()));
        float[] hat = space.encode(modelMono(kit, DrumClass.HIHAT_CLOSED, space.rateHz()));
        double framesPerHit = 60.0 * sampleRateHz / bpm * 4.0 / HITS_PER_BAR;
        int hits = BARS * HITS_PER_BAR;
        int half = hits / 2;
        float[] z = new float[space.size()];
        float[] pcm = new float[space.clipSamples()];
        for (int i = 0; i < hits; i++) {
            // t runs 0..1 over each half, reaching the anchor on the half's last hit.
            if (i < half) {
                LatentMath.slerp(kick, snare, (double) i / (half - 1), z);
            } else {
                LatentMath.slerp(snare, hat, (double) (i - half) / (hits - half - 1), z);
            }
            space.decode(z, pcm);
            float[] at = sampleRateHz == space.rateHz() ? pcm.clone() : Resampler.resample(pcm, space.rateHz(), sampleRateHz);
            long hit = startFrame + Math.round(i * framesPerHit);
            // Two blocks ahead: a stage lands at a block boundary, so the swap is in before the hit.
            long swap = Math.max(0, hit - 2L * blockFrames);
            publishOrFail(proxy.stage(new Stage(null).padSample(PAD, Sample.mono("sweep" + i, at, sampleRateHz)), swap));
            publishOrFail(proxy.trigger(PAD, i % 2 == 0 ? 0.9f : 0.7f, hit));
        }
        long end = startFrame + Math.round(hits * framesPerHit);
        publishOrFail(proxy.stage(new Stage(null).padSample(PAD, null), end));
        return end;
    }

    /** The loudest layer's first sample of the kit's pad for {@code c}, mono at the model's rate. */
    static float[] modelMono(Kit kit, DrumClass c, int rateHz) {
        var pad = kit.pad(c.pad());
        VelocityLayer layer = pad.layer(pad.layerCount() - 1);
        Sample s = layer.sample(0);
        float[] mono = new float[s.frames()];
        for (int i = 0; i < mono.length; i++) {
            mono[i] = s.isStereo() ? 0.5f * (s.left()[i] + s.right()[i]) : s.left()[i];
        }
        return s.sampleRateHz() == rateHz ? mono : Resampler.resample(mono, s.sampleRateHz(), rateHz);
    }

    private static void publishOrFail(boolean published) {
        if (!published) {
            throw new IllegalStateException("control ring full while scripting the demo");
        }
    }
}
