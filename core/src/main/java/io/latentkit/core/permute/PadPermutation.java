package io.latentkit.core.permute;

import io.latentkit.core.DrumClass;
import io.latentkit.core.dsp.TimeStretch;

/**
 * What one pad's sound is turned into: spliced with another pad's tail, time-stretched, reversed,
 * applied in that order to the pad's own (unpermuted) samples. {@link #NONE} leaves the sound as
 * the kit has it.
 *
 * <p>Threading: immutable; any thread.
 *
 * @param stretchFactor output length over input length, {@value TimeStretch#MIN_FACTOR}..{@value
 *     TimeStretch#MAX_FACTOR} (1: unchanged)
 * @param reversed whether the sound plays back to front
 * @param spliceTailPad the pad whose tail follows this pad's attack, or -1 for none
 */
public record PadPermutation(float stretchFactor, boolean reversed, int spliceTailPad) {
    /** The sound as the kit has it. */
    public static final PadPermutation NONE = new PadPermutation(1f, false, -1);

    public PadPermutation {
        if (!(stretchFactor >= TimeStretch.MIN_FACTOR && stretchFactor <= TimeStretch.MAX_FACTOR)) {
            throw new IllegalArgumentException("stretch must be " + TimeStretch.MIN_FACTOR + ".."
                    + TimeStretch.MAX_FACTOR + ", got " + stretchFactor);
        }
        if (spliceTailPad < -1 || spliceTailPad >= DrumClass.COUNT) {
            throw new IllegalArgumentException("splice pad must be 0.." + (DrumClass.COUNT - 1) + " or -1 for none, got "
                    + spliceTailPad);
        }
    }

    public PadPermutation withStretch(float factor) {
        return new PadPermutation(factor, reversed, spliceTailPad);
    }

    public PadPermutation withReversed(boolean r) {
        return new PadPermutation(stretchFactor, r, spliceTailPad);
    }

    public PadPermutation withSplice(int pad) {
        return new PadPermutation(stretchFactor, reversed, pad);
    }

    /** Whether it leaves the sound unchanged. */
    public boolean isNone() {
        return stretchFactor == 1f && !reversed && spliceTailPad < 0;
    }
}
