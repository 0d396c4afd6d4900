package io.latentkit.core.kit;

import java.util.Locale;

/**
 * A pad parameter that control can set (OSC {@code /pad/<n>/<param>}, MIDI learn, presets).
 * Each parameter clamps its value into its documented range; changes take effect from the next
 * hit of the pad, at the exact frame the control event asks for.
 *
 * <p>Immutable; any thread.
 */
public enum PadParam {
    /** Linear gain, 0..4 (1 = unity). */
    GAIN("gain", 0f, 4f),
    /** Pitch in semitones, -24..24. */
    PITCH("pitch", -24f, 24f),
    /** Decay time to -60 dB in seconds, 0..30; 0 plays the sample to its end. */
    DECAY("decay", 0f, 30f),
    /** Pan, -1 (left) .. 1 (right), constant-power. */
    PAN("pan", -1f, 1f),
    /** Choke group 0..16 (0 = none); a hit in a group fades every sounding voice of that group. */
    CHOKE("choke", 0f, 16f),
    /** Velocity-to-gain exponent, 0..4 (0 = every hit full gain, 1 = linear, 2 = square law). */
    CURVE("curve", 0f, 4f),
    /** Mute, 0 or 1. */
    MUTE("mute", 0f, 1f);

    private static final PadParam[] VALUES = values();

    private final String oscName;
    private final float min;
    private final float max;

    PadParam(String oscName, float min, float max) {
        this.oscName = oscName;
        this.min = min;
        this.max = max;
    }

    public String oscName() {
        return oscName;
    }

    public float min() {
        return min;
    }

    public float max() {
        return max;
    }

    /** Clamps into range; NaN becomes the minimum. Allocation-free. */
    public float clamp(float v) {
        if (!(v >= min)) {
            return min;
        }
        return v > max ? max : v;
    }

    public static PadParam ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }

    /** By OSC name (case-insensitive), or {@code null}. */
    public static PadParam fromName(String name) {
        if (name == null) {
            return null;
        }
        String n = name.toLowerCase(Locale.ROOT);
        for (PadParam p : VALUES) {
            if (p.oscName.equals(n)) {
                return p;
            }
        }
        return null;
    }
}
