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
 * release order, so a flood of hits into a full pool costs the same per hit as into an empty one
 * (with lazy mixing, a full pool first mixes every voice up to the hit's frame, once per frame that
 * hits land on: the work span-by-span mixing does at every event frame anyway). Releases (chokes,
 * a source's or a kit's voices, all) walk the lists in that order, so which fade a cut takes never
 * depends on the active array's layout.
 *
 * <p>Two ways to mix. {@link #render} mixes every voice over a span of frames at once (tests, and
 * any caller that renders span by span). The render agent mixes lazily: between
 * {@link #beginBlock} and {@link #finishBlock} it only moves the pool's current frame forward
 * ({@link #advanceTo}) as it applies the block's events, and each voice is mixed up to that frame
 * only when an event touches it (a release, a choke, a steal, a full pool); {@link #finishBlock}
 * mixes every voice to the block's end. So a voice that nothing touches is mixed once per block,
 * in one run of its loop, however many events split the block, and the sound is the same as span
 * by span (up to the order in which voices are summed into a frame, which is deterministic).
 * Whenever the pool must know which voices still sound (it is full, or out of spare voices), it
 * first mixes every voice up to the current frame, so stealing decides exactly as span by span.
 *
 * <p>Threading: render thread only; allocation-free after construction.
 */
public final class VoicePool {
    /** What {@link #releaseWhere} matches. */
    private static final int CHOKE = 0;
    private static final int SOURCE = 1;
    private static final int KIT = 2;
    private static final int ALL = 3;

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

    /** The block being mixed lazily (between beginBlock and finishBlock), else null. */
    private float[] mixL;
    private float[] mixR;
    /** The frame of the block that the events have reached: voices are mixed up to it when touched. */
    private int cursor;
    /** The cursor at which every voice was last mixed up to it (-1: not in this block). */
    private int allMixedAt = -1;

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
        if (sounding >= limit || freeCount == 0) {
            // Decide on the voices that still sound at this frame, as span by span mixing would.
            mixAllToCursor();
        }
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
        v.mixedTo = cursor;
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
        releaseWhere(CHOKE, group, exceptPad, null, fadeFrames);
    }

    /** Fades out every voice that input {@code source} started. */
    public void releaseSource(int source, int fadeFrames) {
        releaseWhere(SOURCE, source, 0, null, fadeFrames);
    }

    /** Fades out every voice that plays {@code kit}. */
    public void releaseKit(Kit kit, int fadeFrames) {
        releaseWhere(KIT, 0, 0, kit, fadeFrames);
    }

    /** Fades out every voice. */
    public void releaseAll(int fadeFrames) {
        releaseWhere(ALL, 0, 0, null, fadeFrames);
    }

    /**
     * Releases the voices that match: fading ones first (their fades may only get shorter, and they
     * keep their place), then sounding ones in start order, so the fading list's order (the order
     * cuts follow) depends on what was started and released, never on the active array's layout.
     */
    private void releaseWhere(int what, int a, int b, Kit kit, int fadeFrames) {
        for (int pass = 0; pass < 2; pass++) {
            Voice v = pass == 0 ? fadingHead : soundingHead;
            while (v != null) {
                Voice next = v.next; // release moves or unlinks v, never another voice
                boolean match = switch (what) {
                    case CHOKE -> v.chokeGroup == a && v.pad != b;
                    case SOURCE -> v.source == a;
                    case KIT -> v.kit == kit;
                    default -> true;
                };
                if (match) {
                    release(v, fadeFrames);
                }
                v = next;
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
            if (v.isActive() && mix(v, outL, outR, from, to)) {
                i++;
            } else {
                removeAt(i);
                free[freeCount++] = v;
            }
        }
    }

    /** Starts mixing a block lazily into {@code outL/outR} (cleared by the caller), at frame 0. */
    public void beginBlock(float[] outL, float[] outR) {
        mixL = outL;
        mixR = outR;
        cursor = 0;
        allMixedAt = -1;
    }

    /**
     * The block's events have reached frame {@code frame}: voices started from now on start there,
     * and a voice an event touches is first mixed up to it.
     */
    public void advanceTo(int frame) {
        cursor = frame;
    }

    /** Mixes every voice to {@code blockFrames}, the block's end; finished voices return to the pool. */
    public void finishBlock(int blockFrames) {
        int i = 0;
        while (i < activeCount) {
            Voice v = active[i];
            if (v.isActive() && mix(v, mixL, mixR, v.mixedTo, blockFrames)) {
                v.mixedTo = 0;
                i++;
            } else {
                removeAt(i);
                free[freeCount++] = v;
            }
        }
        cursor = 0;
        allMixedAt = -1;
        mixL = null;
        mixR = null;
    }

    /**
     * Mixes {@code v} from {@code v.mixedTo} up to the cursor (lazy mixing only). Returns whether it
     * still sounds; one that ended is off its list and inactive, and leaves the active array at the
     * next full mix.
     */
    private boolean mixToCursor(Voice v) {
        if (!v.isActive()) {
            return false;
        }
        if (mixL == null || v.mixedTo >= cursor) {
            return true;
        }
        boolean sounds = mix(v, mixL, mixR, v.mixedTo, cursor);
        v.mixedTo = cursor;
        return sounds;
    }

    /** Mixes every voice up to the cursor and returns the ones that ended to the pool. */
    private void mixAllToCursor() {
        if (mixL == null || allMixedAt == cursor) {
            return;
        }
        int i = 0;
        while (i < activeCount) {
            Voice v = active[i];
            if (mixToCursor(v)) {
                i++;
            } else {
                removeAt(i);
                free[freeCount++] = v;
            }
        }
        allMixedAt = cursor;
    }

    /**
     * Mixes {@code v} into frames {@code from..to}; if it ends, takes it off its list (it stays in
     * the active array, inactive, for the caller to remove) and returns false.
     */
    private boolean mix(Voice v, float[] outL, float[] outR, int from, int to) {
        boolean releasingBefore = v.isReleasing();
        if (v.render(outL, outR, from, to)) {
            return true;
        }
        if (releasingBefore) {
            unlinkFading(v);
        } else {
            unlinkSounding(v);
            sounding--;
        }
        v.kill();
        return false;
    }

    /**
     * Starts {@code v}'s fade: a sounding voice moves to the fading list; a fading one only fades
     * faster if {@code fadeFrames} is shorter than what it has left.
     */
    private void release(Voice v, int fadeFrames) {
        if (!mixToCursor(v)) {
            return; // it ended before this frame: nothing to release
        }
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
