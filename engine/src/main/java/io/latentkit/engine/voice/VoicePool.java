package io.latentkit.engine.voice;

import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Sample;

/**
 * Every voice the engine can play, allocated up front. At most {@code limit} voices sound at once
 * before the oldest is stolen; a stolen voice fades out over a short fade instead of being cut, so
 * the pool keeps a reserve of extra voices for fades in progress. Only when the reserve too is
 * exhausted is a fading voice cut (the one released earliest, which with equal fades is the one
 * nearest to silence), and counted.
 *
 * <p>Starting a voice is O(1) whatever the pool size, stealing included: sounding voices sit in an
 * intrusive list in start order (the head is the oldest) and fading voices in a second list in
 * release order, so a flood of hits into a full pool costs the same per hit as into an empty one.
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
    private long stolen;
    private long hardCuts;
    /** Sounding voices, oldest first. */
    private Voice soundingHead;
    private Voice soundingTail;
    /** Fading voices, earliest released first. */
    private Voice fadingHead;
    private Voice fadingTail;

    /** Pre-pitched copies of tuned pads' samples, or {@code null} to interpolate every pitched voice. */
    private final PitchedCopies copies;

    public VoicePool(int limit) {
        this(limit, null);
    }

    /** A pool whose pitched voices play from {@code copies} where a copy is ready ({@code null}: never). */
    public VoicePool(int limit, PitchedCopies copies) {
        this.limit = limit;
        this.copies = copies;
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
     *
     * @param chokeGroup the group whose hits turn this voice off (0: none)
     */
    public Voice start(Kit kit, int pad, int chokeGroup, int source, Sample sample, double pitchRatio, float gain,
            float pan, float decayPerSample, long frame, int fadeFrames) {
        if (sounding >= limit && soundingHead != null) {
            release(soundingHead, fadeFrames);
            stolen++;
        }
        if (freeCount == 0) {
            // Every spare voice is fading: cut the one released earliest.
            Voice victim = fadingHead;
            unlinkFading(victim);
            victim.kill();
            removeAt(victim.slot);
            free[freeCount++] = victim;
            hardCuts++;
        }
        Voice v = free[--freeCount];
        Sample pitched = null;
        if (copies != null && pitchRatio != 1.0) {
            long inc = Voice.increment(pitchRatio);
            if (inc != 1L << Voice.FRACTION_BITS) {
                pitched = copies.copyFor(pad, sample, inc);
            }
        }
        v.start(sample, pitched, pitchRatio, gain, pan, decayPerSample);
        v.kit = kit;
        v.pad = pad;
        v.chokeGroup = chokeGroup;
        v.source = source;
        v.startFrame = frame;
        v.slot = activeCount;
        active[activeCount++] = v;
        appendSounding(v);
        sounding++;
        return v;
    }

    /** Fades out every voice that choke group {@code group} (> 0) turns off. */
    public void choke(int group, int fadeFrames) {
        choke(group, -1, fadeFrames);
    }

    /**
     * Fades out every voice that choke group {@code group} (> 0) turns off, except the voices of
     * pad {@code exceptPad} (-1: none excepted).
     */
    public void choke(int group, int exceptPad, int fadeFrames) {
        for (int i = 0; i < activeCount; i++) {
            Voice v = active[i];
            if (v.chokeGroup == group && v.pad != exceptPad) {
                release(v, fadeFrames);
            }
        }
    }

    /** Fades out every voice that input {@code source} started. */
    public void releaseSource(int source, int fadeFrames) {
        for (int i = 0; i < activeCount; i++) {
            Voice v = active[i];
            if (v.source == source) {
                release(v, fadeFrames);
            }
        }
    }

    /** Fades out every voice that plays {@code kit}. */
    public void releaseKit(Kit kit, int fadeFrames) {
        for (int i = 0; i < activeCount; i++) {
            Voice v = active[i];
            if (v.kit == kit) {
                release(v, fadeFrames);
            }
        }
    }

    /** Fades out every voice. */
    public void releaseAll(int fadeFrames) {
        for (int i = 0; i < activeCount; i++) {
            release(active[i], fadeFrames);
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

    /** Whether any voice still plays {@code sample}. */
    public boolean plays(Sample sample) {
        for (int i = 0; i < activeCount; i++) {
            if (active[i].sample == sample) {
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
                if (releasingBefore) {
                    unlinkFading(v);
                } else {
                    unlinkSounding(v);
                    sounding--;
                }
                v.kill();
                removeAt(i);
                free[freeCount++] = v;
            }
        }
    }

    /**
     * Starts {@code v}'s fade: a sounding voice moves to the fading list; a fading one only fades
     * faster if {@code fadeFrames} is shorter than what it has left.
     */
    private void release(Voice v, int fadeFrames) {
        if (v.isReleasing()) {
            v.release(fadeFrames);
            return;
        }
        unlinkSounding(v);
        sounding--;
        v.release(fadeFrames);
        appendFading(v);
    }

    private void removeAt(int i) {
        // Order of the active list does not matter for the mix beyond float rounding, and the
        // swap-remove keeps the sequence deterministic from run to run.
        Voice moved = active[--activeCount];
        active[i] = moved;
        moved.slot = i;
        active[activeCount] = null;
    }

    private void appendSounding(Voice v) {
        v.next = null;
        v.prev = soundingTail;
        if (soundingTail == null) {
            soundingHead = v;
        } else {
            soundingTail.next = v;
        }
        soundingTail = v;
    }

    private void unlinkSounding(Voice v) {
        if (v.prev == null) {
            soundingHead = v.next;
        } else {
            v.prev.next = v.next;
        }
        if (v.next == null) {
            soundingTail = v.prev;
        } else {
            v.next.prev = v.prev;
        }
        v.prev = null;
        v.next = null;
    }

    private void appendFading(Voice v) {
        v.next = null;
        v.prev = fadingTail;
        if (fadingTail == null) {
            fadingHead = v;
        } else {
            fadingTail.next = v;
        }
        fadingTail = v;
    }

    private void unlinkFading(Voice v) {
        if (v.prev == null) {
            fadingHead = v.next;
        } else {
            v.prev.next = v.next;
        }
        if (v.next == null) {
            fadingTail = v.prev;
        } else {
            v.next.prev = v.prev;
        }
        v.prev = null;
        v.next = null;
    }

    /** Voices producing sound, fading ones included. */
    public int activeCount() {
        return activeCount;
    }

    /** Voices sounding and not fading: the ones that count against {@link #limit()}. */
    public int soundingCount() {
        return sounding;
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
