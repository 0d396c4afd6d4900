package io.latentkit.engine.voice;

import java.util.Arrays;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.kit.Sample;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The pool's O(1) steal and cut choose exactly what the O(voices) definitions choose, and lazy
 * mixing (the render agent's) sounds and steals as span-by-span mixing does.
 */
class VoicePoolTest {
    private static final int RATE = 48_000;
    private static final int FADE = 144;
    private final float[] l = new float[64];
    private final float[] r = new float[64];

    private static Sample sample(int frames) {
        float[] data = new float[frames];
        Arrays.fill(data, 0.1f);
        return Sample.mono("s" + frames, data, RATE);
    }

    private Voice start(VoicePool pool, Sample s, int source) {
        return pool.start(null, 0, 0, source, s, 1.0, 0.5f, 0f, 1f, 0L, FADE);
    }

    @Test
    void stealsTheOldestSoundingVoiceAfterOthersEnded() {
        VoicePool pool = new VoicePool(4);
        Sample longOne = sample(48_000);
        Voice a = start(pool, longOne, 0);
        Voice shortOne = start(pool, sample(32), 0);
        Voice c = start(pool, longOne, 0);
        Voice d = start(pool, longOne, 0);
        pool.render(l, r, 0, 64); // the short voice ends and is swap-removed from the active array
        assertFalse(shortOne.isActive());
        Voice e = start(pool, longOne, 0);
        assertEquals(0, pool.stolen());
        Voice f = start(pool, longOne, 0); // five started, limit four: the oldest (a) fades
        assertTrue(a.isReleasing());
        assertFalse(c.isReleasing() || d.isReleasing() || e.isReleasing() || f.isReleasing());
        assertEquals(1, pool.stolen());
        start(pool, longOne, 0);
        assertTrue(c.isReleasing(), "next oldest");
        assertEquals(4, pool.soundingCount());
    }

    @Test
    void cutsTheEarliestReleasedFadeWhenTheReserveIsSpent() {
        VoicePool pool = new VoicePool(16); // reserve of 16: 32 voices in all
        Sample longOne = sample(48_000);
        List<Voice> started = new ArrayList<>();
        for (int i = 0; i < 32; i++) {
            started.add(start(pool, longOne, 0)); // 16 sound, 16 fade (stolen in start order)
        }
        assertEquals(16, pool.stolen());
        assertEquals(32, pool.activeCount());
        assertEquals(0, pool.hardCuts());
        Voice reused = start(pool, longOne, 0); // pool exhausted: the first stolen voice is cut
        assertEquals(1, pool.hardCuts());
        assertSame(started.get(0), reused, "the cut voice is the one reused");
        assertFalse(reused.isReleasing());
        assertTrue(started.get(1).isActive() && started.get(1).isReleasing());
        assertEquals(32, pool.activeCount());
        assertEquals(16, pool.soundingCount());
    }

    /**
     * Random starts, renders, chokes and source releases against the definition: a steal takes
     * the non-fading voice with the smallest start order; a cut takes the fading voice with the
     * fewest fade frames left when all fades are equal; the counts always agree with a scan.
     */
    @Test
    void randomSequencesMatchTheLinearScanDefinition() {
        SplittableRandom rnd = new SplittableRandom(42);
        VoicePool pool = new VoicePool(24);
        Sample[] samples = {sample(40), sample(700), sample(5_000), sample(48_000)};
        // Voices are reused objects: a cut voice comes straight back from start(), so track identities.
        Set<Voice> live = Collections.newSetFromMap(new IdentityHashMap<>());
        // Start order as the test sees it: the definition of "oldest".
        IdentityHashMap<Voice, Long> startedAt = new IdentityHashMap<>();
        for (int step = 0; step < 20_000; step++) {
            int op = rnd.nextInt(10);
            if (op < 6) {
                Voice expectedSteal = null;
                int soundingNow = 0;
                for (Voice v : live) {
                    if (v.isActive() && !v.isReleasing()) {
                        soundingNow++;
                        if (expectedSteal == null || startedAt.get(v) < startedAt.get(expectedSteal)) {
                            expectedSteal = v;
                        }
                    }
                }
                long stolenBefore = pool.stolen();
                Voice v = start(pool, samples[rnd.nextInt(samples.length)], rnd.nextInt(3));
                if (soundingNow >= 24) {
                    assertNotNull(expectedSteal);
                    assertEquals(stolenBefore + 1, pool.stolen());
                    assertTrue(!expectedSteal.isActive() || expectedSteal.isReleasing(), "oldest stolen");
                } else {
                    assertEquals(stolenBefore, pool.stolen());
                }
                live.add(v);
                startedAt.put(v, (long) step); // a reused voice object restarts with a new order
            } else if (op < 9) {
                int from = rnd.nextInt(64);
                pool.render(l, r, from, from + rnd.nextInt(64 - from) + 1);
            } else if (rnd.nextBoolean()) {
                pool.releaseSource(rnd.nextInt(3), FADE);
            } else {
                pool.releaseAll(FADE / 2);
            }
            live.removeIf(v -> !v.isActive());
            int sounding = 0;
            for (Voice v : live) {
                if (!v.isReleasing()) {
                    sounding++;
                }
            }
            assertEquals(live.size(), pool.activeCount(), "step " + step);
            assertEquals(sounding, pool.soundingCount(), "step " + step);
            assertTrue(sounding <= 24);
        }
        assertTrue(pool.stolen() > 100, "the sequence exercised stealing: " + pool.stolen());
        assertTrue(pool.hardCuts() > 0, "the sequence exercised cuts: " + pool.hardCuts());
    }

    @Test
    void aChokedVoiceIsNotStolenAgain() {
        VoicePool pool = new VoicePool(2);
        Sample longOne = sample(48_000);
        Voice a = pool.start(null, 0, 1, 0, longOne, 1.0, 0.5f, 0f, 1f, 0L, FADE);
        Voice b = start(pool, longOne, 0);
        pool.choke(1, FADE);
        assertTrue(a.isReleasing());
        assertEquals(1, pool.soundingCount());
        Voice c = start(pool, longOne, 0);
        assertEquals(0, pool.stolen(), "a fading voice does not count against the limit");
        start(pool, longOne, 0);
        assertSame(true, b.isReleasing());
        assertFalse(c.isReleasing());
    }
    /**
     * The same random blocks of starts (pitched or not, decaying or not, a small pool so that it
     * steals and cuts), chokes, releases and stops, mixed span by span into one pool and lazily
     * into another: every block's output agrees to float rounding (the voices are summed in
     * another order) and the counts agree exactly.
     */
    @Test
    void lazyMixingSoundsAndStealsAsSpanBySpanMixingDoes() {
        SplittableRandom rnd = new SplittableRandom(9);
        Sample[] samples = new Sample[5];
        for (int i = 0; i < samples.length; i++) {
            float[] x = new float[new int[] {30, 300, 2_000, 9_000, 48_000}[i]];
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) (rnd.nextDouble() - 0.5);
            }
            samples[i] = i % 2 == 0 ? Sample.mono("m" + i, x, RATE) : Sample.stereo("s" + i, x, x.clone(), RATE);
        }
        VoicePool eager = new VoicePool(12);
        VoicePool lazy = new VoicePool(12);
        float[] el = new float[64];
        float[] er = new float[64];
        float[] ll = new float[64];
        float[] lr = new float[64];
        double[] ratios = {1.0, 0.79, 1.26, 2.0};
        for (int block = 0; block < 3_000; block++) {
            Arrays.fill(el, 0f);
            Arrays.fill(er, 0f);
            Arrays.fill(ll, 0f);
            Arrays.fill(lr, 0f);
            lazy.beginBlock(ll, lr);
            int cursor = 0;
            int events = rnd.nextInt(block % 50 < 5 ? 40 : 6); // now and then a burst that fills the reserve
            for (int e = 0; e < events; e++) {
                int at = cursor + rnd.nextInt(64 - cursor);
                if (at > cursor) {
                    eager.render(el, er, cursor, at);
                    lazy.advanceTo(at);
                    cursor = at;
                }
                int op = rnd.nextInt(40);
                if (op < 34) {
                    Sample s = samples[rnd.nextInt(samples.length)];
                    double ratio = ratios[rnd.nextInt(ratios.length)];
                    float decay = rnd.nextBoolean() ? 1f : 0.999f;
                    int group = rnd.nextInt(3);
                    int source = rnd.nextInt(3);
                    for (VoicePool pool : new VoicePool[] {eager, lazy}) {
                        pool.start(null, 0, group, source, s, ratio, 0.5f, 0.3f, decay, 0L, FADE);
                    }
                } else if (op < 37) {
                    int group = 1 + rnd.nextInt(2);
                    eager.choke(group, FADE);
                    lazy.choke(group, FADE);
                } else if (op < 39) {
                    int source = rnd.nextInt(3);
                    eager.releaseSource(source, FADE / 3);
                    lazy.releaseSource(source, FADE / 3);
                } else {
                    eager.releaseAll(FADE / 2);
                    lazy.releaseAll(FADE / 2);
                }
            }
            eager.render(el, er, cursor, 64);
            lazy.finishBlock(64);
            for (int i = 0; i < 64; i++) {
                assertEquals(el[i], ll[i], 1e-5f, "block " + block + " frame " + i + " left");
                assertEquals(er[i], lr[i], 1e-5f, "block " + block + " frame " + i + " right");
            }
            assertEquals(eager.activeCount(), lazy.activeCount(), "block " + block);
            assertEquals(eager.soundingCount(), lazy.soundingCount(), "block " + block);
            assertEquals(eager.stolen(), lazy.stolen(), "block " + block);
            assertEquals(eager.hardCuts(), lazy.hardCuts(), "block " + block);
        }
        assertTrue(lazy.stolen() > 100 && lazy.hardCuts() > 0, "stole " + lazy.stolen() + ", cut " + lazy.hardCuts());
    }
}
