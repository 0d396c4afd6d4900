package io.latentkit.engine.voice;

import io.latentkit.engine.kit.Kit;
import io.latentkit.engine.kit.Sample;

/**
 * Every voice the engine can play, allocated up front. At most {@code limit} voices sound at once
 * before the oldest is stolen; a stolen voice fades out over a short fade instead of being cut, so
 * the pool keeps a reserve of extra voices for fades in progress. Only when the reserve too is
 * exhausted is the voice closest to the end of its fade cut (and counted).
 *
 * <p>Threading: render thread only; allocation-free after construction.
 */
public final class VoicePool {
    private final Voice[] all;
    private final Voice[] free;
    private int freeCount;
    private final Voice[] active;
    private int activeCount;
    /** Voices in {@link #active} that are not releasing: the ones that count against the limit. */
    private int sounding;
    private final int limit;
    private long nextOrder;
    private long stolen;
    private long hardCuts;

    public VoicePool(int limit) {
        this.limit = limit;
        // A reserve of an eighth (at least 16) covers the fades of a full pool's worth of steals in
        // a burst; beyond that, fades are cut short rather than growing the pool.
        int total = limit + Math.max(16, limit / 8);
        all = new Voice[total];
        free = new Voice[total];
        active = new Voice[total];
        for (int i = 0; i < total; i++) {
            all[i] = new Voice();
        }
        for (int i = 0; i < total; i++) {
            free[i] = all[total - 1 - i];
        }
        freeCount = total;
    }

    /**
     * Starts a voice, stealing the oldest sounding one (with a fade of {@code fadeFrames}) when
     * {@code limit} voices already sound.
     */
    public Voice start(Kit kit, int pad, int chokeGroup, int source, Sample sample, double pitchRatio, float gain,
            float pan, float decayPerSample, long frame, int fadeFrames) {
        if (sounding >= limit) {
            Voice oldest = null;
            for (int i = 0; i < activeCount; i++) {
                Voice v = active[i];
                if (!v.isReleasing() && (oldest == null || v.order < oldest.order)) {
                    oldest = v;
                }
            }
            if (oldest != null) {
                oldest.release(fadeFrames);
                sounding--;
                stolen++;
            }
        }
        if (freeCount == 0) {
            // Every spare voice is fading: cut the one nearest to silence.
            int victim = 0;
            int best = Integer.MAX_VALUE;
            for (int i = 0; i < activeCount; i++) {
                int left = active[i].releaseFramesLeft();
                if (left < best) {
                    best = left;
                    victim = i;
                }
            }
            Voice v = active[victim];
            if (!v.isReleasing()) {
                sounding--;
            }
            v.kill();
            removeAt(victim);
            free[freeCount++] = v;
            hardCuts++;
        }
        Voice v = free[--freeCount];
        v.start(sample, pitchRatio, gain, pan, decayPerSample);
        v.kit = kit;
        v.pad = pad;
        v.chokeGroup = chokeGroup;
        v.source = source;
        v.startFrame = frame;
        v.order = nextOrder++;
        active[activeCount++] = v;
        sounding++;
        return v;
    }

    /** Fades out every voice of choke group {@code group} (> 0). */
    public void choke(int group, int fadeFrames) {
        for (int i = 0; i < activeCount; i++) {
            Voice v = active[i];
            if (v.chokeGroup == group && !v.isReleasing()) {
                v.release(fadeFrames);
                sounding--;
            }
        }
    }

    /** Fades out every voice that input {@code source} started. */
    public void releaseSource(int source, int fadeFrames) {
        for (int i = 0; i < activeCount; i++) {
            Voice v = active[i];
            if (v.source == source && !v.isReleasing()) {
                v.release(fadeFrames);
                sounding--;
            }
        }
    }

    /** Fades out every voice that plays {@code kit}. */
    public void releaseKit(Kit kit, int fadeFrames) {
        for (int i = 0; i < activeCount; i++) {
            Voice v = active[i];
            if (v.kit == kit && !v.isReleasing()) {
                v.release(fadeFrames);
                sounding--;
            }
        }
    }

    /** Fades out every voice. */
    public void releaseAll(int fadeFrames) {
        for (int i = 0; i < activeCount; i++) {
            Voice v = active[i];
            if (!v.isReleasing()) {
                v.release(fadeFrames);
                sounding--;
            }
        }
    }

    /** Whether any voice still plays {@code kit}. */
    public boolean plays(Kit kit) {
        for (int i = 0; i < activeCount; i++) {
            if (active[i].kit == kit) {
                return true;
            }
        }
        return false;
    }

    /** Mixes every active voice into frames {@code from..to}; finished voices return to the pool. */
    public void render(float[] outL, float[] outR, int from, int to) {
        int i = 0;
        while (i < activeCount) {
            Voice v = active[i];
            boolean releasingBefore = v.isReleasing();
            if (v.render(outL, outR, from, to)) {
                i++;
            } else {
                if (!releasingBefore) {
                    sounding--;
                }
                v.kill();
                removeAt(i);
                free[freeCount++] = v;
            }
        }
    }

    private void removeAt(int i) {
        // Order of the active list does not matter for the mix beyond float rounding, and the
        // swap-remove keeps the sequence deterministic from run to run.
        active[i] = active[--activeCount];
        active[activeCount] = null;
    }

    /** Voices producing sound, fading ones included. */
    public int activeCount() {
        return activeCount;
    }

    public int limit() {
        return limit;
    }

    /** Voices stolen (faded) because the pool was full. */
    public long stolen() {
        return stolen;
    }

    /** Fading voices cut short because the reserve too was exhausted. */
    public long hardCuts() {
        return hardCuts;
    }
}
