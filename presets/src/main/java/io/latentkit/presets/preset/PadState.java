package io.latentkit.presets.preset;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Pad;
import io.latentkit.core.kit.PadParam;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The playing parameters of one pad, as a preset stores them: every {@link PadParam}, each
 * clamped into its range.
 *
 * <p>Immutable; any thread.
 */
public final class PadState {
    private final DrumClass drumClass;
    private final EnumMap<PadParam, Float> values;

    private PadState(DrumClass drumClass, EnumMap<PadParam, Float> values) {
        this.drumClass = drumClass;
        this.values = values;
    }

    /** A pad at its defaults (those of a fresh {@link Pad}). */
    public static PadState defaults(DrumClass c) {
        return of(new Pad(c));
    }

    /** The current parameters of a pad. Read pads only before handing the kit to the engine. */
    public static PadState of(Pad pad) {
        EnumMap<PadParam, Float> v = new EnumMap<>(PadParam.class);
        for (PadParam p : PadParam.values()) {
            v.put(p, pad.get(p));
        }
        return new PadState(pad.drumClass(), v);
    }

    /** From explicit values; missing ones take the defaults, all are clamped. */
    public static PadState of(DrumClass c, Map<PadParam, Float> values) {
        EnumMap<PadParam, Float> v = new EnumMap<>(PadParam.class);
        Pad defaults = new Pad(c);
        for (PadParam p : PadParam.values()) {
            Float x = values.get(p);
            v.put(p, p.clamp(x == null ? defaults.get(p) : x));
        }
        return new PadState(c, v);
    }

    public DrumClass drumClass() {
        return drumClass;
    }

    public float get(PadParam p) {
        return values.get(p);
    }

    /** Writes these parameters into a pad of the same class (before handoff to the engine). */
    public void applyTo(Pad pad) {
        if (pad.drumClass() != drumClass) {
            throw new IllegalArgumentException("pad is " + pad.drumClass().oscName() + ", state is " + drumClass.oscName());
        }
        for (Map.Entry<PadParam, Float> e : values.entrySet()) {
            pad.set(e.getKey(), e.getValue());
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PadState s && s.drumClass == drumClass && s.values.equals(values);
    }

    @Override
    public int hashCode() {
        return Objects.hash(drumClass, values);
    }

    @Override
    public String toString() {
        return drumClass.oscName() + values;
    }
}
