package io.latentkit.core.namespace;

import java.util.List;
import java.util.Objects;

/**
 * The allowed values of one argument of a namespace node: a numeric interval, a list of allowed
 * values, or anything. Rendered as one element of OSCQuery's {@code RANGE} array.
 *
 * <p>Immutable; any thread.
 *
 * @param min smallest allowed number, or {@code null}
 * @param max largest allowed number, or {@code null}
 * @param values the allowed values (strings or numbers), empty for none
 * @param clamps whether a number outside {@code [min, max]} is clamped into it ({@code true}) or
 *     refused ({@code false})
 */
public record Range(Double min, Double max, List<Object> values, boolean clamps) {
    /** No constraint. */
    public static final Range ANY = new Range(null, null, List.of(), false);

    public Range {
        values = List.copyOf(Objects.requireNonNull(values, "values"));
        if (min != null && max != null && min > max) {
            throw new IllegalArgumentException("range min " + min + " > max " + max);
        }
    }

    /** Numbers from {@code min} to {@code max}; out-of-range values are clamped. */
    public static Range clamped(double min, double max) {
        return new Range(min, max, List.of(), true);
    }

    /** Numbers from {@code min} to {@code max}; out-of-range values are refused. */
    public static Range strict(double min, double max) {
        return new Range(min, max, List.of(), false);
    }

    /** One of the given values. */
    public static Range of(Object... allowed) {
        return new Range(null, null, List.of(allowed), false);
    }

    /** Whether the range says nothing. */
    public boolean isAny() {
        return min == null && max == null && values.isEmpty();
    }

    /** Whether {@code v} is allowed as given (NaN never is). Allocation-free. */
    public boolean admits(double v) {
        if (v != v) {
            return false;
        }
        return (min == null || v >= min) && (max == null || v <= max);
    }

    /** {@code v} clamped into the interval; NaN stays NaN. Allocation-free. */
    public double clamp(double v) {
        double r = v;
        if (min != null && r < min) {
            r = min;
        }
        if (max != null && r > max) {
            r = max;
        }
        return r;
    }
}
