package io.latentkit.models;

import io.latentkit.core.DrumClass;
import io.latentkit.core.TomSize;
import java.util.Locale;

/**
 * The ten classes the classifiers decide. They are the twelve {@link DrumClass} pads with the three
 * toms as one class: which tom a hit is depends on its kit, not on the sound, so a tom's size is
 * decided within a kit by {@link io.latentkit.core.dsp.TomRanker} and only then does a hit have a pad.
 *
 * <p>Immutable; any thread. {@link #ordinal()} is the index into a classifier's output.
 */
public enum HitClass {
    KICK("kick", DrumClass.KICK),
    SNARE("snare", DrumClass.SNARE),
    RIM("rim", DrumClass.RIM),
    CLAP("clap", DrumClass.CLAP),
    HIHAT_CLOSED("hihat_closed", DrumClass.HIHAT_CLOSED),
    HIHAT_OPEN("hihat_open", DrumClass.HIHAT_OPEN),
    TOM("tom", null),
    CRASH("crash", DrumClass.CRASH),
    RIDE("ride", DrumClass.RIDE),
    PERC("perc", DrumClass.PERC);

    /** Number of classes, and so of a classifier's outputs. */
    public static final int COUNT = 10;

    private static final HitClass[] VALUES = values();

    private final String label;
    private final DrumClass pad;

    HitClass(String label, DrumClass pad) {
        this.label = label;
        this.pad = pad;
    }

    /** The name in the models' {@code labels} metadata and in the CLI's output, e.g. {@code hihat_closed}. */
    public String label() {
        return label;
    }

    /** The pad of a non-tom class; a tom needs its size: {@link #pad(TomSize)}. */
    public DrumClass pad() {
        if (pad == null) {
            throw new IllegalStateException("a tom's pad depends on its size within the kit");
        }
        return pad;
    }

    /** The pad, with the size a tom has within its kit (ignored for the other classes). */
    public DrumClass pad(TomSize size) {
        return pad != null ? pad : size.pad();
    }

    /** Class by output index. */
    public static HitClass ofIndex(int i) {
        return VALUES[i];
    }

    /** The class a pad's sounds belong to (the three tom pads are {@link #TOM}). */
    public static HitClass of(DrumClass pad) {
        switch (pad) {
            case TOM_LOW:
            case TOM_MID:
            case TOM_HIGH:
                return TOM;
            default:
                for (HitClass c : VALUES) {
                    if (c.pad == pad) {
                        return c;
                    }
                }
                throw new IllegalArgumentException("no class for pad " + pad);
        }
    }

    /** Class by label (case-insensitive), or {@code null}. */
    public static HitClass fromLabel(String s) {
        if (s == null) {
            return null;
        }
        String l = s.toLowerCase(Locale.ROOT);
        for (HitClass c : VALUES) {
            if (c.label.equals(l)) {
                return c;
            }
        }
        return null;
    }

    /** The labels string a classifier's metadata must carry: every label in index order, comma-separated. */
    public static String labelsString() {
        StringBuilder sb = new StringBuilder();
        for (HitClass c : VALUES) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(c.label);
        }
        return sb.toString();
    }
}
