package io.latentkit.core.permute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.DrumClass;
import io.latentkit.core.dsp.SampleEdits;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Pad;
import io.latentkit.core.kit.PadParam;
import io.latentkit.core.kit.Sample;
import io.latentkit.core.kit.Strike;
import io.latentkit.core.kit.VelocityLayer;
import org.junit.jupiter.api.Test;

class PermutedKitsTest {
    private static final int SR = 48_000;

    private static float[] ramp(int n, float scale) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = scale * (float) Math.sin(i * 0.05) * (1f - (float) i / n);
        }
        return x;
    }

    /** Pad 0: two velocity layers, the loud one with two round-robin stereo strikes; pad 1 empty. */
    private static Kit kit() {
        Pad[] pads = new Pad[DrumClass.COUNT];
        for (int i = 0; i < pads.length; i++) {
            DrumClass c = DrumClass.ofPad(i);
            if (i == 0) {
                VelocityLayer soft = new VelocityLayer(0f, 0.5f, Sample.mono("soft", ramp(3000, 0.3f), SR));
                VelocityLayer loud = VelocityLayer.cycling(0.5f, 1f,
                        Strike.of(Sample.stereo("l1", ramp(4000, 0.9f), ramp(4000, 0.8f), SR)),
                        Strike.of(Sample.stereo("l2", ramp(5000, 0.7f), ramp(5000, 0.6f), SR)));
                pads[i] = new Pad(c, soft, loud);
                pads[i].offBy(3);
            } else if (i == 1) {
                pads[i] = new Pad(c);
            } else {
                pads[i] = new Pad(c, VelocityLayer.of(Sample.mono("p" + i, ramp(2000 + i, 0.5f), SR)));
            }
        }
        return new Kit("k", SR, pads);
    }

    @Test
    void reverseTurnsEverySampleOfEveryLayerBackToFrontAndKeepsThePadsShape() {
        Kit base = kit();
        PadPermutation[] perms = PermutedKits.none();
        perms[0] = PadPermutation.NONE.withReversed(true);
        Kit k = PermutedKits.build(base, perms, (p, param) -> param == PadParam.GAIN ? 0.25f : base.pad(p).get(param));
        Pad from = base.pad(0);
        Pad to = k.pad(0);
        assertEquals(from.layerCount(), to.layerCount());
        for (int l = 0; l < from.layerCount(); l++) {
            assertEquals(from.layer(l).roundRobinCount(), to.layer(l).roundRobinCount());
            for (int r = 0; r < from.layer(l).roundRobinCount(); r++) {
                Sample a = from.layer(l).sample(r);
                Sample b = to.layer(l).sample(r);
                assertEquals(a.isStereo(), b.isStereo());
                assertArrayEquals(SampleEdits.reverse(a.left()), b.left());
                assertArrayEquals(SampleEdits.reverse(a.right()), b.right());
            }
        }
        assertEquals(0.25f, to.gain(), "the given parameters");
        assertEquals(3, to.offByGroup(), "the off-by group carries over");
        assertSame(base.pad(2).layer(0), k.pad(2).layer(0), "unpermuted pads share the base's layers");
        assertNotSame(base.pad(2), k.pad(2), "but are new pads");
        assertSame(base, PermutedKits.baseOf(k));
        assertNull(PermutedKits.originOf(base));
    }

    @Test
    void aPermutationOfAPermutedKitIsRefusedAndEmptyPadsGetAReason() {
        Kit base = kit();
        PadPermutation[] perms = PermutedKits.none();
        perms[0] = PadPermutation.NONE.withStretch(1.5f);
        Kit k = PermutedKits.build(base, perms, (p, param) -> base.pad(p).get(param));
        assertThrows(IllegalArgumentException.class, () -> PermutedKits.build(k, perms, (p, param) -> 0f));
        PadPermutation[] bad = PermutedKits.none();
        bad[0] = PadPermutation.NONE.withSplice(1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PermutedKits.build(base, bad, (p, param) -> base.pad(p).get(param)));
        assertEquals("pad 1 (snare) has no sound to splice", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new PadPermutation(0.4f, false, -1));
        assertTrue(e.getMessage().contains("0.5..2.0"), e.getMessage());
    }

    @Test
    void aSpliceUsesTheOtherPadsLayerForTheSameVelocities() {
        Kit base = kit();
        PadPermutation[] perms = PermutedKits.none();
        perms[2] = PadPermutation.NONE.withSplice(0);
        Kit k = PermutedKits.build(base, perms, (p, param) -> base.pad(p).get(param));
        // Pad 2's one layer covers 0..1 (middle 0.5): pad 0's layer covering 0.5 is the soft one (first match).
        float[] out = k.pad(2).layer(0).sample(0).left();
        float[][] expected = SampleEdits.splice(SR, new float[][] {base.pad(2).layer(0).sample(0).left()},
                new float[][] {base.pad(0).layer(0).sample(0).left()});
        assertArrayEquals(expected[0], out);
    }

    @Test
    void aChangeToOnePadReusesTheOtherPadsPermutedSamples() {
        Kit base = kit();
        PadPermutation[] perms = PermutedKits.none();
        perms[0] = PadPermutation.NONE.withStretch(2f);
        perms[2] = PadPermutation.NONE.withReversed(true);
        Kit first = PermutedKits.build(base, perms, (p, param) -> base.pad(p).get(param));
        perms[2] = PadPermutation.NONE.withStretch(0.5f);
        Kit second = PermutedKits.build(base, perms, (p, param) -> base.pad(p).get(param), first);
        assertSame(first.pad(0).layer(1), second.pad(0).layer(1), "unchanged pad: same permuted layer");
        assertNotSame(first.pad(2).layer(0), second.pad(2).layer(0), "changed pad: permuted again");
        assertEquals(Math.round(2002 * 0.5), second.pad(2).layer(0).sample(0).frames());
        Kit other = PermutedKits.build(kit(), perms, (p, param) -> 0f, first);
        assertNotSame(first.pad(0).layer(1), other.pad(0).layer(1), "another base: nothing reused");
    }
}
