package io.latentkit.core.permute;

import io.latentkit.core.DrumClass;
import io.latentkit.core.dsp.SampleEdits;
import io.latentkit.core.dsp.TimeStretch;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Pad;
import io.latentkit.core.kit.PadParam;
import io.latentkit.core.kit.Sample;
import io.latentkit.core.kit.Strike;
import io.latentkit.core.kit.VelocityLayer;
import java.util.Arrays;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Builds a kit whose pads play permuted sounds ({@link PadPermutation}) from a base kit, and
 * remembers, for every kit it built, the base kit and the permutations, so that the next
 * permutation starts again from the original sounds (a stretch of 2 then 1 gives the original back)
 * and a preset saves what was done.
 *
 * <p>The built kit is new throughout (new pads carrying the given parameters, new samples for the
 * permuted pads; unpermuted pads share the base kit's immutable layers), so it can be handed to the
 * engine as any loaded kit is; the base kit itself is only read (its samples are immutable).
 *
 * <p>Threading: {@link #build} on a loader thread; the registry is synchronized (any thread).
 * Kits are kept weakly: a retired kit drops out.
 */
public final class PermutedKits {
    /** What a built kit came from. */
    public record Origin(Kit base, PadPermutation[] permutations) {
        public Origin {
            permutations = permutations.clone();
        }

        /** The permutation of pad {@code pad}. */
        public PadPermutation pad(int pad) {
            return permutations[pad];
        }

        @Override
        public PadPermutation[] permutations() {
            return permutations.clone();
        }
    }

    /** A pad parameter of the kit being replaced (the render thread's values, from a snapshot). */
    @FunctionalInterface
    public interface PadValues {
        float get(int pad, PadParam param);
    }

    private static final Map<Kit, Origin> ORIGINS = new WeakHashMap<>();

    private PermutedKits() {
    }

    /** Every pad as the kit has it. */
    public static PadPermutation[] none() {
        PadPermutation[] p = new PadPermutation[DrumClass.COUNT];
        Arrays.fill(p, PadPermutation.NONE);
        return p;
    }

    /** What {@code kit} was built from, or {@code null} for a kit this class did not build. */
    public static Origin originOf(Kit kit) {
        synchronized (ORIGINS) {
            return ORIGINS.get(kit);
        }
    }

    /** The unpermuted kit behind {@code kit} ({@code kit} itself if it was not built here). */
    public static Kit baseOf(Kit kit) {
        Origin o = originOf(kit);
        return o == null ? kit : o.base();
    }

    /** The permutations {@code kit} plays (all {@link PadPermutation#NONE} if it was not built here). */
    public static PadPermutation[] permutationsOf(Kit kit) {
        Origin o = originOf(kit);
        return o == null ? none() : o.permutations();
    }

    /**
     * A new kit: {@code base}'s sounds permuted as {@code perms} says (one per pad), its pads set to
     * {@code values}, named as {@code base}. Loader thread.
     *
     * @throws IllegalArgumentException with the reason (a permuted pad without sound, a splice with
     *     a pad without sound)
     */
    public static Kit build(Kit base, PadPermutation[] perms, PadValues values) {
        return build(base, perms, values, null);
    }

    /**
     * As {@link #build(Kit, PadPermutation[], PadValues)}, reusing the permuted (immutable) layers of
     * {@code previous} for every pad whose permutation is unchanged, when {@code previous} was built
     * from the same base: a change to one pad runs the DSP for that pad only. {@code previous} may be
     * {@code null} or any kit.
     */
    public static Kit build(Kit base, PadPermutation[] perms, PadValues values, Kit previous) {
        Origin before = previous == null ? null : originOf(previous);
        if (before != null && before.base() != base) {
            before = null;
        }
        if (perms.length != DrumClass.COUNT) {
            throw new IllegalArgumentException("one permutation per pad needed, got " + perms.length);
        }
        if (originOf(base) != null) {
            throw new IllegalArgumentException("base kit is itself permuted; use its base");
        }
        int rate = base.sampleRateHz();
        TimeStretch stretch = new TimeStretch(rate);
        Pad[] pads = new Pad[DrumClass.COUNT];
        for (int i = 0; i < DrumClass.COUNT; i++) {
            Pad from = base.pad(i);
            PadPermutation p = perms[i];
            VelocityLayer[] layers = new VelocityLayer[from.layerCount()];
            boolean reuse = before != null && before.pad(i).equals(p);
            for (int l = 0; l < layers.length; l++) {
                layers[l] = p.isNone() ? from.layer(l)
                        : reuse ? previous.pad(i).layer(l) : permuteLayer(base, i, l, p, stretch, rate);
            }
            if (!p.isNone() && layers.length == 0) {
                throw new IllegalArgumentException("pad " + i + " (" + from.drumClass().oscName() + ") has no sound to permute");
            }
            Pad pad = new Pad(from.drumClass(), layers);
            for (PadParam param : PadParam.values()) {
                pad.set(param, values.get(i, param));
            }
            if (!from.chokesItself()) {
                pad.offBy(from.offByGroup());
            }
            pads[i] = pad;
        }
        Kit kit = new Kit(base.name(), rate, pads);
        synchronized (ORIGINS) {
            ORIGINS.put(kit, new Origin(base, perms));
        }
        return kit;
    }

    private static VelocityLayer permuteLayer(Kit base, int padIndex, int layerIndex, PadPermutation p,
            TimeStretch stretch, int rate) {
        VelocityLayer layer = base.pad(padIndex).layer(layerIndex);
        Strike[] strikes = new Strike[layer.roundRobinCount()];
        float[] chances = new float[strikes.length];
        for (int r = 0; r < strikes.length; r++) {
            Strike s = layer.strike(r);
            Sample[] samples = new Sample[s.count()];
            float[] pans = new float[s.count()];
            for (int k = 0; k < samples.length; k++) {
                Sample tail = p.spliceTailPad() < 0 ? null : tailSample(base, p.spliceTailPad(), layer, r, k);
                samples[k] = permute(s.sample(k), tail, p, stretch, rate);
                pans[k] = s.pan(k);
            }
            strikes[r] = new Strike(samples, pans);
            chances[r] = layer.chance(r);
        }
        return layer.isRandom()
                ? VelocityLayer.random(layer.minVelocity(), layer.maxVelocity(), chances, strikes)
                : VelocityLayer.cycling(layer.minVelocity(), layer.maxVelocity(), strikes);
    }

    /** The sample of pad {@code other} a splice uses: its layer for the same velocities, same alternative. */
    private static Sample tailSample(Kit base, int other, VelocityLayer like, int alternative, int part) {
        Pad b = base.pad(other);
        if (b.isEmpty()) {
            throw new IllegalArgumentException("pad " + other + " (" + b.drumClass().oscName() + ") has no sound to splice");
        }
        float mid = (like.minVelocity() + like.maxVelocity()) / 2f;
        VelocityLayer best = b.layer(0);
        float bestDistance = Float.MAX_VALUE;
        for (int l = 0; l < b.layerCount(); l++) {
            VelocityLayer c = b.layer(l);
            float d = c.minVelocity() <= mid && mid <= c.maxVelocity() ? 0f
                    : Math.min(Math.abs(c.minVelocity() - mid), Math.abs(c.maxVelocity() - mid));
            if (d < bestDistance) {
                bestDistance = d;
                best = c;
            }
        }
        Strike s = best.strike(alternative % best.roundRobinCount());
        return s.sample(Math.min(part, s.count() - 1));
    }

    /** One sample through splice, stretch and reverse. */
    static Sample permute(Sample a, Sample tail, PadPermutation p, TimeStretch stretch, int rate) {
        boolean stereo = a.isStereo() || (tail != null && tail.isStereo());
        float[][] ch = stereo ? new float[][] {a.left(), a.right()} : new float[][] {a.left()};
        if (tail != null) {
            float[][] b = stereo ? new float[][] {tail.left(), tail.right()} : new float[][] {tail.left()};
            ch = SampleEdits.splice(rate, ch, b);
        }
        if (p.stretchFactor() != 1f) {
            ch = stretch.stretchKeepingAttack(p.stretchFactor(), ch);
        }
        if (p.reversed()) {
            for (int c = 0; c < ch.length; c++) {
                ch[c] = SampleEdits.reverse(ch[c]);
            }
        }
        String name = a.name() + describe(p);
        return stereo ? Sample.stereo(name, ch[0], ch[1], rate) : Sample.mono(name, ch[0], rate);
    }

    private static String describe(PadPermutation p) {
        StringBuilder b = new StringBuilder();
        if (p.spliceTailPad() >= 0) {
            b.append(" +tail of pad ").append(p.spliceTailPad());
        }
        if (p.stretchFactor() != 1f) {
            b.append(" x").append(p.stretchFactor());
        }
        if (p.reversed()) {
            b.append(" reversed");
        }
        return b.toString();
    }
}
