package io.latentkit.listen;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Kit;
import io.latentkit.listen.decide.KitToms;
import io.latentkit.listen.decide.HitDecider;
import io.latentkit.listen.onset.StreamingOnsetDetector;
import io.latentkit.models.ModelException;
import io.latentkit.models.ModelLoadException;
import io.latentkit.models.Models;
import java.util.ArrayList;
import java.util.List;

/**
 * Listen mode over a whole recording, on the caller's thread: the same streaming detector, the
 * same window after each onset and the same decider as the live agents, so what
 * {@code latentkit listen FILE} prints is what serving would have played (less the timing, which
 * offline has none of). A tom is sized against the toms of the kit given to {@link #kit} (the
 * mid tom without one).
 *
 * <p>Not thread-safe: the caller's thread owns the models it was given for its lifetime.
 */
public final class OfflineListen {
    private final ListenConfig config;
    private final HitDecider decider;
    private final ClassMap mapping = new ClassMap();
    private final KitToms toms;

    /** One hit found. */
    public record Hit(long onsetFrame, double timeSeconds, String className, float confidence, int pad,
                      boolean example) {
    }

    /**
     * @param models loaded models (the caller keeps and closes them)
     * @throws ModelLoadException if they are unavailable
     */
    public OfflineListen(ListenConfig config, Models models) throws ModelLoadException {
        this.config = config;
        this.decider = ListenMode.decider(models, config);
        this.toms = new KitToms(ListenConfig.INPUT_RATE_HZ, ListenAgent.PREROLL, config.windowFrames(), config.onset());
    }

    /** The kit whose toms a tom is sized against (as the live agent sizes it against the playing kit). */
    public void kit(Kit kit) {
        toms.kit(kit);
    }

    /** The decider, to learn or restore classes between runs. */
    public HitDecider decider() {
        return decider;
    }

    /** The class-to-pad map applied to the hits' {@code pad}. */
    public ClassMap mapping() {
        return mapping;
    }

    /** The onsets alone, as the live detector finds them in {@code mono} (at the input rate). */
    public long[] onsets(float[] mono, float threshold) {
        return StreamingOnsetDetector.detectAll(mono, ListenConfig.INPUT_RATE_HZ, config.onset(), threshold);
    }

    /**
     * Every hit in {@code mono} (at {@link ListenConfig#INPUT_RATE_HZ}). A hit whose window the
     * models refuse (silent after all, or a model failure) is skipped.
     */
    public List<Hit> run(float[] mono, float threshold) {
        long[] onsets = onsets(mono, threshold);
        int window = config.windowFrames();
        float[] clip = new float[ListenAgent.PREROLL + window];
        HitDecider.Decision d = new HitDecider.Decision();
        List<Hit> hits = new ArrayList<>();
        for (long onset : onsets) {
            for (int i = 0; i < clip.length; i++) {
                long p = onset - ListenAgent.PREROLL + i;
                clip[i] = p >= 0 && p < mono.length ? mono[(int) p] : 0f;
            }
            try {
                decider.decide(clip, 0, clip.length, d);
            } catch (ModelException e) {
                continue;
            }
            String name = d.className();
            int pad = mapping.padFor(name);
            if (d.classified() && pad == DrumClass.TOM_MID.pad() && name.equals(DrumClass.TOM_MID.oscName())) {
                pad = toms.pad(clip, 0, clip.length);
                name = DrumClass.ofPad(pad).oscName();
            }
            hits.add(new Hit(onset, onset / (double) ListenConfig.INPUT_RATE_HZ, name, d.confidence(), pad, d.example()));
        }
        return hits;
    }
}
