package io.latentkit.midi;

import java.util.Locale;

/**
 * Maps MIDI note velocity (1..127) onto the engine's velocity (0..1]: {@code (v/127)^exponent}, or
 * always 1 for {@code fixed}. The table is computed once, so translating a note costs one array
 * read.
 *
 * <p>Names: {@code linear} (exponent 1), {@code soft} (0.5: light playing sounds louder),
 * {@code hard} (2: needs a firm hit), {@code fixed} (every hit at full velocity), or
 * {@code gamma:X} for an exponent X in 0.1..10.
 *
 * <p>Immutable; any thread.
 */
public final class VelocityCurve {
    private final String name;
    private final float[] table = new float[128];

    private VelocityCurve(String name, double exponent, boolean fixed) {
        this.name = name;
        for (int v = 1; v < 128; v++) {
            table[v] = fixed ? 1f : (float) Math.pow(v / 127.0, exponent);
        }
    }

    public static final VelocityCurve LINEAR = new VelocityCurve("linear", 1.0, false);

    /** Parses a curve name (see the class comment). */
    public static VelocityCurve parse(String s) {
        String n = s.trim().toLowerCase(Locale.ROOT);
        switch (n) {
            case "linear":
                return LINEAR;
            case "soft":
                return new VelocityCurve(n, 0.5, false);
            case "hard":
                return new VelocityCurve(n, 2.0, false);
            case "fixed":
                return new VelocityCurve(n, 1.0, true);
            default:
                break;
        }
        if (n.startsWith("gamma:")) {
            double g;
            try {
                g = Double.parseDouble(n.substring(6));
            } catch (NumberFormatException e) {
                g = Double.NaN;
            }
            if (g >= 0.1 && g <= 10) {
                return new VelocityCurve("gamma:" + g, g, false);
            }
        }
        throw new IllegalArgumentException(
                "velocity curve must be linear, soft, hard, fixed or gamma:X (0.1..10), got '" + s + "'");
    }

    /** Engine velocity for MIDI velocity {@code v} (0 gives 0). Allocation-free. */
    public float apply(int v) {
        return table[v & 0x7f];
    }

    /** The name this curve parses from. */
    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return name;
    }
}
