package io.latentkit.core;

/**
 * A tom's size within its kit, from its pitch rank among the kit's toms (see {@link io.latentkit.core.dsp.TomRanker}).
 *
 * <p>Immutable; any thread.
 */
public enum TomSize {
    LOW(DrumClass.TOM_LOW),
    MID(DrumClass.TOM_MID),
    HIGH(DrumClass.TOM_HIGH);

    private final DrumClass pad;

    TomSize(DrumClass pad) {
        this.pad = pad;
    }

    /** The kit pad of a tom of this size. */
    public DrumClass pad() {
        return pad;
    }

    /** The size of a tom pad, or {@code null} for a pad that is not a tom. */
    public static TomSize of(DrumClass pad) {
        for (TomSize s : values()) {
            if (s.pad == pad) {
                return s;
            }
        }
        return null;
    }
}
