package io.latentkit.engine.render;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Sample;
import io.latentkit.engine.control.Stage;
import io.latentkit.engine.voice.VoicePool;
import java.util.Queue;

/**
 * Live samples a pad no longer plays (a latent pad's previous sound): each waits here until no
 * voice sounds from it any more, then goes back through the engine's sample return ring to be
 * freed, or reused, off the render thread. The sample-sized twin of {@link KitRetirement}. Also
 * where a stage's pad samples are set and a kit swap carries them over.
 *
 * <p>Threading: render thread only; allocation-free (the return ring is pre-allocated).
 */
final class SampleRetirement {
    private final Sample[] retiring = new Sample[256];
    private final Queue<Sample> returns;
    private int count;

    /** @param returns where silent samples go, or {@code null} to leave them to the garbage collector */
    SampleRetirement(Queue<Sample> returns) {
        this.returns = returns;
    }

    /** Takes a sample that stopped being a pad's live sample (its voices may still sound). */
    void retire(Sample old) {
        if (old == null || returns == null) {
            // Without a return ring the render thread only drops its reference: the voices that
            // still play it hold their own, and the collector frees it after them.
            return;
        }
        if (count < retiring.length) {
            retiring[count++] = old;
        } else {
            // 256 swaps within one sound's length: hand this one back at once (if the ring is full
            // too, dropping the reference leaves the freeing to the collector).
            returns.offer(old);
        }
    }

    /** A retiring sample that became a pad's live sample again (a cached sound) stays out of the ring. */
    void revive(Sample s) {
        for (int i = 0; i < count; i++) {
            if (retiring[i] == s) {
                retiring[i] = retiring[--count];
                retiring[count] = null;
                return;
            }
        }
    }

    /** Hands back every retiring sample that no voice plays any more. */
    void handBackSilent(VoicePool pool) {
        int i = 0;
        while (i < count) {
            Sample s = retiring[i];
            if (!pool.plays(s) && returns.offer(s)) {
                retiring[i] = retiring[--count];
                retiring[count] = null;
            } else {
                i++;
            }
        }
    }

    /** Samples waiting for their voices to end. */
    int waiting() {
        return count;
    }

    /**
     * A pad's live sample (a latent pad) belongs to the pad, not to the kit: it stays when another
     * kit is swapped in, unless the new kit brings one of its own for that pad (a preset). A stage
     * that should end it says so with {@code Stage.padSample(p, null)}.
     */
    static void carryLiveSamples(Kit old, Kit next) {
        for (int p = 0; p < DrumClass.COUNT; p++) {
            Sample live = old.pad(p).liveSample();
            if (live != null) {
                if (next.pad(p).liveSample() == null) {
                    next.pad(p).swapLiveSample(live);
                }
                // The retiring kit does not keep it alive; its fading voices hold their own reference.
                old.pad(p).swapLiveSample(null);
            }
        }
    }

    /** The stage's pad samples, on {@code kit} (the active one); each replaced one retires once silent. */
    void applyPadSamples(Stage stage, Kit kit) {
        int mask = stage.padSampleMask();
        for (int p = 0; p < DrumClass.COUNT; p++) {
            if ((mask & (1 << p)) != 0) {
                Sample next = stage.padSample(p);
                Sample old = kit.pad(p).swapLiveSample(next);
                if (old != next) {
                    if (next != null) {
                        revive(next);
                    }
                    retire(old);
                }
            }
        }
    }

    /** Whether every pad sample of the stage is at the engine's rate. */
    static boolean padSamplesFit(Stage stage, int sampleRateHz) {
        int mask = stage.padSampleMask();
        for (int p = 0; p < DrumClass.COUNT; p++) {
            if ((mask & (1 << p)) != 0) {
                Sample s = stage.padSample(p);
                if (s != null && s.sampleRateHz() != sampleRateHz) {
                    return false;
                }
            }
        }
        return true;
    }
}
