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
    GAIN("gain", 0f, 4f, 1f, "linear", "gain, 1 = unity"),
    /** Pitch in semitones, -24..24. */
    PITCH("pitch", -24f, 24f, 0f, "semitones", "pitch"),
    /** Decay time to -60 dB in seconds, 0..30; 0 plays the sample to its end. */
    DECAY("decay", 0f, 30f, 0f, "s", "time to fall 60 dB; 0 plays the sample to its end"),
    /** Pan, -1 (left) .. 1 (right), constant-power. */
    PAN("pan", -1f, 1f, 0f, "", "pan, -1 left to 1 right, constant power"),
    /** Choke group 0..16 (0 = none); a hit in a group fades every sounding voice of that group. */
    CHOKE("choke", 0f, 16f, 0f, "", "choke group, 0 = none; a hit fades every voice of its group"),
    /** Velocity-to-gain exponent, 0..4 (0 = every hit full gain, 1 = linear, 2 = square law). */
    CURVE("curve", 0f, 4f, 2f, "", "velocity-to-gain exponent: 0 every hit full, 1 linear, 2 square law"),
    /** Mute, 0 or 1. */
    MUTE("mute", 0f, 1f, 0f, "", "mute, 0 or 1");

    private static final PadParam[] VALUES = values();

    private final String oscName;
    private final float min;
    private final float max;
    private final float defaultValue;
    private final String unit;
    private final String description;

    PadParam(String oscName, float min, float max, float defaultValue, String unit, String description) {
        this.oscName = oscName;
        this.min = min;
        this.max = max;
        this.defaultValue = defaultValue;
        this.unit = unit;
        this.description = description;
    }

    /** A fresh pad's value. */
    public float defaultValue() {
        return defaultValue;
    }

    /** The unit of the value (empty where it has none), as the control namespace shows it. */
    public String unit() {
        return unit;
    }

    /** What the parameter does, in a phrase, as the control namespace shows it. */
    public String description() {
        return description;
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
