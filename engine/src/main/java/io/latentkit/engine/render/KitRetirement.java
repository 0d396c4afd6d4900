package io.latentkit.engine.render;

import io.latentkit.core.kit.Kit;
import io.latentkit.engine.voice.VoicePool;
import java.util.Queue;

/**
 * Kits the render thread no longer plays: each waits here until no voice sounds from it any more,
 * then goes back through the engine's return ring to be freed off the render thread.
 *
 * <p>Threading: render thread only; allocation-free (the return ring is pre-allocated).
 */
final class KitRetirement {
    private final Kit[] retiring = new Kit[64];
    private final Queue<Kit> returns;
    private int count;

    KitRetirement(Queue<Kit> returns) {
        this.returns = returns;
    }

    /** Takes a kit that stopped being the active one (its voices may still be fading). */
    void retire(Kit old) {
        if (old == null) {
            return;
        }
        if (count < retiring.length) {
            retiring[count++] = old;
        } else {
            // With 64 kits already fading, hand this one back at once; if even the return ring is
            // full, dropping the reference still leaves the freeing to the garbage collector.
            returns.offer(old);
        }
    }

    /** Hands back every retiring kit that no voice plays any more. */
    void handBackSilent(VoicePool pool) {
        int i = 0;
        while (i < count) {
            Kit k = retiring[i];
            if (!pool.plays(k) && returns.offer(k)) {
                retiring[i] = retiring[--count];
                retiring[count] = null;
            } else {
                i++;
            }
        }
    }
}
