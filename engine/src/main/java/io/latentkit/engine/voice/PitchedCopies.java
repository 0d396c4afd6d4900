package io.latentkit.engine.voice;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Sample;
import org.agrona.concurrent.Agent;

/**
 * Pre-pitched copies of the samples of tuned pads, so that a pad whose pitch is not 0 plays at the
 * cost of an untuned one. A pitched voice interpolates every frame it plays (four taps per channel,
 * {@link InterpolationTable}); but a pad's pitch changes rarely, and every hit of it reads the same
 * positions {@code k * increment} of the same sample. So the copy holds, for each output frame
 * {@code k}, exactly what the pitched loop would compute there (the same float operations in the
 * same order), and a voice started from it runs the plain copy loop. The output is bit-identical
 * with or without the copy ({@code PitchedCopiesTest} renders both), so it changes no render, live
 * or offline, whenever it lands: the first hits after a pitch change play through the interpolator
 * while the copy is built, the next ones from the copy.
 *
 * <p>Each pad has {@value #SLOTS_PER_PAD} slots, one per sample of its strikes (velocity layers),
 * reused round robin. The render thread, at a note-on with a pitch other than unity, finds the
 * sample's slot, asks for the increment it needs (two volatile writes) and uses the slot's copy if
 * it is ready for that sample and increment; it allocates nothing and never waits. The copier
 * ({@link #doWork}, an Agrona agent on a thread of its own) builds what is asked for and publishes
 * it as one immutable {@link Copy} in a volatile field; a copy whose slot was meanwhile asked for
 * another sample or pitch is never used, because the render thread compares both.
 *
 * <p>A kit swap forgets every pad's slots and a new pad sound (a latent pad's decode) its pad's,
 * so the copier lets go of copies of samples no longer played ({@link #forgetPads}); before, they
 * stayed until their slot was reused: up to 96 copies of an old kit.
 *
 * <p>Threading: {@link #copyFor} and {@link #forgetPads} on the render thread only; {@link #doWork}
 * on one copier thread; {@link #copiesBuilt}, {@link #copiesUsed} and {@link #copiesHeld} from any
 * thread.
 */
public final class PitchedCopies implements Agent {
    /** Samples per pad that keep a copy (a pad's velocity layers and round robins). */
    static final int SLOTS_PER_PAD = 8;
    /**
     * Longest sample copied, in frames (20 s at 48 kHz, a 7.7 MB stereo copy); longer ones (a
     * loop, not a drum) keep interpolating.
     */
    static final int MAX_FRAMES = 20 * 48_000;

    /** A finished copy: {@code copy} holds {@code source} read at {@code increment}. */
    record Copy(Sample source, long increment, Sample copy) {
    }

    /** One sample's request and its latest copy. */
    private static final class Slot {
        /** Written by the render thread, read by the copier. */
        volatile Sample wantSource;
        volatile long wantIncrement;
        /** Written by the copier, read by the render thread. */
        volatile Copy ready;
    }

    private final Slot[] slots = new Slot[DrumClass.COUNT * SLOTS_PER_PAD];
    /** Render thread: the next slot each pad reuses. */
    private final int[] nextSlot = new int[DrumClass.COUNT];
    private volatile long built;
    /** Render thread only (read elsewhere as a statistic). */
    private volatile long used;

    /** A cache with no copies yet; any thread. */
    public PitchedCopies() {
        for (int i = 0; i < slots.length; i++) {
            slots[i] = new Slot();
        }
    }

    /**
     * Render thread: the copy of {@code sample} pitched by {@code increment} (32.32 fixed point)
     * for a hit of {@code pad}, or {@code null} when it is not ready yet (it is then asked for).
     * Allocation-free.
     */
    Sample copyFor(int pad, Sample sample, long increment) {
        if (pad < 0 || pad >= DrumClass.COUNT || sample.frames() > MAX_FRAMES) {
            return null;
        }
        int base = pad * SLOTS_PER_PAD;
        Slot slot = null;
        for (int i = 0; i < SLOTS_PER_PAD; i++) {
            Slot s = slots[base + i];
            if (s.wantSource == sample) {
                slot = s;
                break;
            }
        }
        if (slot == null) {
            int n = nextSlot[pad];
            nextSlot[pad] = (n + 1) % SLOTS_PER_PAD;
            slot = slots[base + n];
            slot.wantIncrement = increment;
            slot.wantSource = sample;
            return null;
        }
        if (slot.wantIncrement != increment) {
            slot.wantIncrement = increment;
            return null;
        }
        Copy c = slot.ready;
        if (c != null && c.source == sample && c.increment == increment) {
            used++;
            return c.copy;
        }
        return null;
    }

    /**
     * Render thread: forgets the slots of the pads in {@code padMask} (bit {@code p} for pad
     * {@code p}), whose kit or sound was replaced, so that the copier lets their copies go rather
     * than keep the old samples' copies until each slot is reused. Sounding voices keep the copy
     * they play. Allocation-free; a later hit asks again (and plays through the interpolator, with
     * the same output, until its copy is rebuilt).
     */
    public void forgetPads(int padMask) {
        for (int p = 0; p < DrumClass.COUNT; p++) {
            if ((padMask & (1 << p)) != 0) {
                for (int i = 0; i < SLOTS_PER_PAD; i++) {
                    Slot s = slots[p * SLOTS_PER_PAD + i];
                    if (s.wantSource != null) {
                        s.wantSource = null;
                    }
                }
            }
        }
    }

    /** Copies held now (for tests and reports); any thread. */
    public int copiesHeld() {
        int n = 0;
        for (Slot s : slots) {
            if (s.ready != null) {
                n++;
            }
        }
        return n;
    }

    /** Copier thread: builds at most one asked-for copy. Returns 1 if it built one. */
    @Override
    public int doWork() {
        for (Slot s : slots) {
            Sample source = s.wantSource;
            long increment = s.wantIncrement;
            if (source == null) {
                // Forgotten (its pad's kit or sound was replaced): let the copy go. A copy published
                // after the render thread forgot the slot is let go at the next pass.
                s.ready = null;
                continue;
            }
            Copy c = s.ready;
            if (c != null && c.source == source && c.increment == increment) {
                continue;
            }
            s.ready = new Copy(source, increment, build(source, increment));
            built++;
            return 1;
        }
        return 0;
    }

    @Override
    public String roleName() {
        return "latentkit-pitched-copies";
    }

    /** Copies built so far. */
    public long copiesBuilt() {
        return built;
    }

    /** Voices started from a copy so far. */
    public long copiesUsed() {
        return used;
    }

    /**
     * {@code source} read at {@code increment}: frame {@code k} is what {@link Voice}'s pitched loop
     * computes at read position {@code k * increment}, the same operations in the same order, for
     * as many frames as a pitched voice plays before its position passes the end.
     */
    static Sample build(Sample source, long increment) {
        long length = ((long) source.frames() << Voice.FRACTION_BITS);
        int n = (int) ((length + increment - 1) / increment);
        float[] w = InterpolationTable.WEIGHTS;
        int firstTap = Sample.GUARD_FRAMES + InterpolationTable.FIRST_OFFSET;
        float[] dl = source.guardedLeft();
        float[] l = new float[n];
        if (!source.isStereo()) {
            long ph = 0;
            for (int i = 0; i < n; i++) {
                int x = (int) (ph >>> Voice.FRACTION_BITS) + firstTap;
                int k = InterpolationTable.row(ph);
                l[i] = InterpolationTable.apply(w[k], w[k + 1], w[k + 2], w[k + 3], dl, x);
                ph += increment;
            }
            return Sample.mono(source.name(), l, source.sampleRateHz());
        }
        float[] dr = source.guardedRight();
        float[] r = new float[n];
        long ph = 0;
        for (int i = 0; i < n; i++) {
            int x = (int) (ph >>> Voice.FRACTION_BITS) + firstTap;
            int k = InterpolationTable.row(ph);
            float w0 = w[k];
            float w1 = w[k + 1];
            float w2 = w[k + 2];
            float w3 = w[k + 3];
            l[i] = InterpolationTable.apply(w0, w1, w2, w3, dl, x);
            r[i] = InterpolationTable.apply(w0, w1, w2, w3, dr, x);
            ph += increment;
        }
        return Sample.stereo(source.name(), l, r, source.sampleRateHz());
    }
}
