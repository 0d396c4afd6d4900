package io.latentkit.midi;

import io.latentkit.core.kit.PadTarget;
import java.util.Objects;

/**
 * Something a knob can drive: a value with an address, a range and a setter that takes effect at
 * an engine frame. Today's targets are pad parameters ({@link PadKnobTarget}); the control
 * namespace will supply one per value node through the resolver given to
 * {@link MidiInput#targetResolver}.
 *
 * <p>Threading: {@link #set} is called on a device's delivery thread, under the knob lock, for
 * every knob move: it must not block and should not allocate. The other methods may be called
 * from any thread and must return the same answer every time.
 */
public interface KnobTarget {
    /** The canonical address, e.g. {@code /pad/1/decay}: what a {@link MidiBinding} stores. */
    String address();

    /** The smallest value the target takes. */
    float min();

    /** The largest value the target takes (at least {@link #min()}). */
    float max();

    /**
     * Sets the value (already clamped by {@link #clamp}) at engine frame {@code atFrame}.
     *
     * @return {@code false} when the engine could not take it (its control ring was full)
     */
    boolean set(float value, long atFrame);

    /**
     * The value pick-up assumes the target holds before any value is reported to
     * {@link MidiInput#onValue} or {@link MidiInput#parameterValue(PadTarget, float)}; NaN when it
     * is not known, in which case a pick-up knob takes hold with its first move.
     */
    default float initialValue() {
        return Float.NaN;
    }

    /** {@code v} within {@link #min()}..{@link #max()}; NaN becomes the minimum. Allocation-free. */
    default float clamp(float v) {
        float lo = min();
        if (!(v >= lo)) {
            return lo;
        }
        float hi = max();
        return v > hi ? hi : v;
    }

    /**
     * The canonical form of a target address as bindings store it: a pad parameter in any form
     * {@link PadTarget#parse} accepts becomes {@code /pad/<n>/<param>}; any other address must be
     * a literal OSC address (a leading {@code /}, printable ASCII without spaces or the pattern
     * characters {@code #*,?[]{}}, no empty part) and is kept as it is. Whether an address names
     * a target is for the resolver to say, not for this syntax check.
     *
     * @throws IllegalArgumentException with the reason, for text that is neither
     */
    static String canonical(String text) {
        Objects.requireNonNull(text, "target");
        try {
            return PadTarget.parse(text).address();
        } catch (IllegalArgumentException notAPad) {
            String s = text.trim();
            if (!s.startsWith("/")) {
                throw notAPad; // the short pad forms (snare/decay) have no slash: say what is wrong with it
            }
            if (!isLiteralAddress(s)) {
                throw new IllegalArgumentException("target must be an OSC address such as /pad/1/decay, got '"
                        + text + "'");
            }
            return s;
        }
    }

    private static boolean isLiteralAddress(String s) {
        if (s.length() < 2 || s.endsWith("/")) {
            return false;
        }
        char previous = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c > '~' || "#*,?[]{}".indexOf(c) >= 0 || (c == '/' && previous == '/')) {
                return false;
            }
            previous = c;
        }
        return true;
    }
}
