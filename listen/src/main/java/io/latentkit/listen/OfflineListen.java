package io.latentkit.listen;

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
 * offline has none of).
 *
 * <p>Not thread-safe: the caller's thread owns the models it was given for its lifetime.
 */
public final class OfflineListen {
    private final ListenConfig config;
    private final HitDecider decider;
    private final ClassMap mapping = new ClassMap();

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
            hits.add(new Hit(onset, onset / (double) ListenConfig.INPUT_RATE_HZ, d.className(), d.confidence(),
                    mapping.padFor(d.className()), d.example()));
        }
        return hits;
    }
}
