package io.latentkit.midi;

import java.util.Locale;

/**
 * How a knob takes over a parameter whose value it does not match.
 *
 * <p>Immutable; any thread.
 */
public enum Takeover {
    /** Every move sets the parameter at once, so the value jumps to the knob's position. */
    JUMP,
    /**
     * Moves are ignored until the knob reaches or crosses the parameter's current value; from then
     * on it follows the knob. No jump, at the cost of a dead stretch of travel.
     */
    PICKUP;

    /** The lower-case name used in JSON and on the command line. */
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** By name, case-insensitive ({@code jump}, {@code pickup} or {@code pick-up}). */
    public static Takeover parse(String s) {
        String n = s.trim().toLowerCase(Locale.ROOT).replace("-", "");
        switch (n) {
            case "jump":
                return JUMP;
            case "pickup":
                return PICKUP;
            default:
                throw new IllegalArgumentException("takeover must be jump or pickup, got '" + s + "'");
        }
    }
}
