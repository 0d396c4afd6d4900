package io.latentkit.engine.render;

import static io.latentkit.engine.OfflineRender.render;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Pad;
import io.latentkit.core.kit.PadParam;
import io.latentkit.core.kit.Sample;
import io.latentkit.core.kit.Strike;
import io.latentkit.core.kit.VelocityLayer;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.control.EngineClock;
import io.latentkit.testsupport.TestKits;
import java.util.Arrays;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * Pads whose hits start several voices (layered strikes), draw their alternative at random, or are
 * choked in one direction only (SFZ {@code group}/{@code off_by}), rendered offline through the
 * real engine and compared sample for sample with renders of plain one-sample pads.
 */
class LayeredPadTest {
    private static final int SR = 48_000;
    private static final EngineConfig CONFIG = EngineConfig.defaults();

    private static Engine engine(Kit kit) {
        return Engine.create(CONFIG, kit, EngineClock.fixed(0, SR));
    }

    /** A kit of empty pads but {@code pads}, each at full gain for any velocity. */
    private static Kit kit(Pad... pads) {
        Pad[] all = new Pad[DrumClass.COUNT];
        for (int i = 0; i < all.length; i++) {
            all[i] = new Pad(DrumClass.ofPad(i));
        }
        for (Pad p : pads) {
            p.set(PadParam.CURVE, 0f);
            all[p.drumClass().ordinal()] = p;
        }
        return new Kit("layered", SR, all);
    }

    private static Sample mono(String name, int frames, double hz, float amplitude) {
        return Sample.mono(name, TestKits.sine(frames, hz, amplitude, SR), SR);
    }

    /** Renders {@code frames} after {@code hits} has scheduled its triggers. */
    private static float[][] play(Kit kit, int frames, Consumer<Engine> hits) {
        Engine e = engine(kit);
        hits.accept(e);
        return render(e, frames);
    }

    private static float[] sum(float[] a, float[] b) {
        float[] s = new float[a.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = a[i] + b[i];
        }
        return s;
    }

    @Test
    void aLayeredStrikeSoundsAllItsSamplesTogetherEachAtItsOwnPan() {
        Sample close = mono("close", 4_000, 200, 0.2f);
        Sample room = mono("room", 6_000, 330, 0.1f);
        Pad layered = new Pad(DrumClass.SNARE, VelocityLayer.cycling(0f, 1f,
                new Strike(new Sample[] {close, room}, new float[] {-0.5f, 0.75f})));
        layered.set(PadParam.PAN, 0.5f);
        float[][] out = play(kit(layered), 8_000, e -> e.proxy().trigger(DrumClass.SNARE.pad(), 1f, 100));

        // The same two samples on plain pads at the summed pans (0.5 - 0.5 and 0.5 + 0.75, clamped).
        Pad a = new Pad(DrumClass.SNARE, VelocityLayer.of(close));
        a.set(PadParam.PAN, 0f);
        Pad b = new Pad(DrumClass.SNARE, VelocityLayer.of(room));
        b.set(PadParam.PAN, 1f);
        float[][] ra = play(kit(a), 8_000, e -> e.proxy().trigger(DrumClass.SNARE.pad(), 1f, 100));
        float[][] rb = play(kit(b), 8_000, e -> e.proxy().trigger(DrumClass.SNARE.pad(), 1f, 100));
        assertArrayEquals(sum(ra[0], rb[0]), out[0], "left: both layers, sample-exact");
        assertArrayEquals(sum(ra[1], rb[1]), out[1], "right: both layers, sample-exact");
        assertTrue(Math.abs(rb[0][200]) < 1e-12f, "the room layer panned hard right is silent on the left");
    }

    @Test
    void roundRobinOfLayeredStrikesAlternatesWholeStrikesPerVelocityLayer() {
        Sample a1 = mono("a1", 500, 100, 0.1f);
        Sample b1 = mono("b1", 500, 150, 0.1f);
        Sample a2 = mono("a2", 500, 220, 0.1f);
        Sample b2 = mono("b2", 500, 270, 0.1f);
        Sample soft = mono("soft", 500, 400, 0.1f);
        Pad pad = new Pad(DrumClass.TOM_MID, new VelocityLayer(0f, 0.4f, soft),
                VelocityLayer.cycling(0.5f, 1f, new Strike(new Sample[] {a1, b1}, new float[2]),
                        new Strike(new Sample[] {a2, b2}, new float[2])));
        Kit kit = kit(pad);
        // Loud, soft, loud: the soft hit does not move the loud layer's cycle on.
        float[][] out = play(kit, 3_000, e -> {
            e.proxy().trigger(DrumClass.TOM_MID.pad(), 1f, 0);
            e.proxy().trigger(DrumClass.TOM_MID.pad(), 0.2f, 1_000);
            e.proxy().trigger(DrumClass.TOM_MID.pad(), 1f, 2_000);
        });
        float[] first = Arrays.copyOfRange(out[0], 0, 500);
        float[] third = Arrays.copyOfRange(out[0], 2_000, 2_500);
        float[] one = hitOnce(new Strike(new Sample[] {a1, b1}, new float[2]), 500);
        float[] two = hitOnce(new Strike(new Sample[] {a2, b2}, new float[2]), 500);
        assertArrayEquals(Arrays.copyOf(one, 500), first, "first loud hit: a1 + b1");
        assertArrayEquals(Arrays.copyOf(two, 500), third, "second loud hit: a2 + b2, after a soft hit");
    }

    /** The left channel of one hit of a tom pad playing only {@code strike}. */
    private static float[] hitOnce(Strike strike, int frames) {
        Pad p = new Pad(DrumClass.TOM_MID, VelocityLayer.cycling(0f, 1f, strike));
        return play(kit(p), frames, e -> e.proxy().trigger(DrumClass.TOM_MID.pad(), 1f, 0))[0];
    }

    @Test
    void aRandomLayerDrawsItsAlternativesByTheirChancesAndRepeatsOffline() {
        int n = 400;
        Sample x = Sample.mono("x", TestKits.dc(8, 0.1f), SR);
        Sample y = Sample.mono("y", TestKits.dc(8, 0.3f), SR);
        Consumer<Engine> hits = e -> {
            for (int i = 0; i < n; i++) {
                e.proxy().trigger(DrumClass.PERC.pad(), 1f, i * 64L);
            }
        };
        float[][] out = play(kit(new Pad(DrumClass.PERC, VelocityLayer.random(0f, 1f, new float[] {1f, 3f},
                Strike.of(x), Strike.of(y)))), n * 64, hits);
        int ys = 0;
        int changes = 0;
        boolean previousY = false;
        for (int i = 0; i < n; i++) {
            float v = out[0][i * 64];
            assertTrue(v == out[0][64 * i + 7] && (v == x.left()[0] * leftGain() || v == y.left()[0] * leftGain()),
                    "hit " + i + " plays x or y whole: " + v);
            boolean isY = v == y.left()[0] * leftGain();
            ys += isY ? 1 : 0;
            changes += i > 0 && isY != previousY ? 1 : 0;
            previousY = isY;
        }
        // y has chance 3/4: 300 of 400 expected; the binomial standard deviation is 8.7.
        assertTrue(ys > 250 && ys < 350, "y played " + ys + " of " + n);
        // A cycle would change every hit; independent draws change about 2 * 3/4 * 1/4 * n = 150 times.
        assertTrue(changes > 100 && changes < 200, "changes between hits: " + changes);
        float[][] again = play(kit(new Pad(DrumClass.PERC, VelocityLayer.random(0f, 1f, new float[] {1f, 3f},
                Strike.of(x), Strike.of(y)))), n * 64, hits);
        assertArrayEquals(out[0], again[0], "a fresh kit draws the same sequence: offline renders repeat");
    }

    /** The left gain of a centred voice at unity gain, as the engine computes it. */
    private static float leftGain() {
        return (float) (Math.cos(Math.PI / 4.0) * Math.sqrt(2.0));
    }

    @Test
    void anOffByPadIsTurnedOffByItsGroupOnlyAndNeverByItsOwnHits() {
        int fade = CONFIG.framesForMs(CONFIG.fadeMs());
        Pad open = new Pad(DrumClass.HIHAT_OPEN, VelocityLayer.of(mono("open", SR, 300, 0.3f)));
        open.set(PadParam.CHOKE, 2);
        open.offBy(1);
        Pad closed = new Pad(DrumClass.HIHAT_CLOSED, VelocityLayer.of(mono("closed", SR, 500, 0.2f)));
        closed.set(PadParam.CHOKE, 1);
        closed.offBy(0);
        // Two open hats ring together; the closed hat (group 1) turns both off; an open hat hit
        // (group 2) does not turn the closed hat off.
        float[][] out = play(kit(open, closed), 20_000, e -> {
            e.proxy().trigger(DrumClass.HIHAT_OPEN.pad(), 1f, 0);
            e.proxy().trigger(DrumClass.HIHAT_OPEN.pad(), 1f, 2_000);
            e.proxy().trigger(DrumClass.HIHAT_CLOSED.pad(), 1f, 4_000);
            e.proxy().trigger(DrumClass.HIHAT_OPEN.pad(), 1f, 6_000);
        });
        float[][] before = play(kit(plain(open)), 4_000, e -> {
            e.proxy().trigger(DrumClass.HIHAT_OPEN.pad(), 1f, 0);
            e.proxy().trigger(DrumClass.HIHAT_OPEN.pad(), 1f, 2_000);
        });
        assertArrayEquals(Arrays.copyOf(before[0], 4_000), Arrays.copyOf(out[0], 4_000), "the second open hat does not choke the first");
        float[][] after = play(kit(plain(closed), plain(open)), 20_000, e -> {
            e.proxy().trigger(DrumClass.HIHAT_CLOSED.pad(), 1f, 4_000);
            e.proxy().trigger(DrumClass.HIHAT_OPEN.pad(), 1f, 6_000);
        });
        int from = 4_000 + fade;
        assertArrayEquals(Arrays.copyOfRange(after[0], from, 20_000), Arrays.copyOfRange(out[0], from, 20_000),
                "after the closed hat's fade: the closed hat, then the new open hat with it");
        assertNotEquals(0f, out[0][5_000]);
    }

    /** The same sounds on a pad without any choke. */
    private static Pad plain(Pad p) {
        return new Pad(p.drumClass(), VelocityLayer.of(p.layer(0).sample(0)));
    }
}
