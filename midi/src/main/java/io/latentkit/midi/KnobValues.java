package io.latentkit.midi;

import java.util.HashMap;
import java.util.Map;

/**
 * What pick-up knows of the current value of each knob target, by canonical address: the value
 * and a generation that changes whenever the value was set by anything but the knob that holds it,
 * so that the knob knows it lost its hold.
 *
 * <p>Values come from three places: the knobs themselves ({@link #own}), callers that set a value
 * elsewhere and say so ({@link #set}, always a change), and reports of what the engine holds
 * ({@link #report}, e.g. its telemetry). A report of a value one of the knobs sent itself a moment
 * ago is an echo, not a change: the engine applies knob moves a few milliseconds later and reports
 * them after that, and taking the echo for a change would make every knob lose its hold after
 * every move. The last {@link #ECHOES} values the knobs set on a target are remembered for that.
 *
 * <p>Threading: not thread-safe; {@link KnobMapping} guards every call with its lock.
 */
final class KnobValues {
    /** Own values remembered per target to recognise echoes. */
    static final int ECHOES = 16;

    /** One target's value. */
    static final class Slot {
        final String address;
        /** The target as last resolved (its range clamps reported values). */
        private KnobTarget target;
        float value;
        long generation;
        private final float[] own = new float[ECHOES];
        private int ownCount;
        private int ownNext;

        Slot(KnobTarget target) {
            this.address = target.address();
            this.target = target;
            this.value = target.initialValue();
        }

        KnobTarget target() {
            return target;
        }

        private boolean isOwn(float v) {
            for (int i = 0; i < ownCount; i++) {
                if (Float.compare(own[i], v) == 0) {
                    return true;
                }
            }
            return false;
        }
    }

    private final Map<String, Slot> slots = new HashMap<>();

    /**
     * The slot of {@code target}, made with its {@link KnobTarget#initialValue} if it has none yet;
     * an existing slot keeps its value and takes {@code target} as its latest resolution.
     */
    Slot slot(KnobTarget target) {
        Slot s = slots.get(target.address());
        if (s == null) {
            s = new Slot(target);
            slots.put(s.address, s);
        } else {
            s.target = target;
        }
        return s;
    }

    /** The slot at exactly this canonical address, or {@code null}. Allocation-free. */
    Slot find(String address) {
        return slots.get(address);
    }

    /** Something else set the value: every knob on it loses its hold, even if the value is the same. */
    void set(Slot s, float v) {
        s.value = v;
        s.generation++;
    }

    /**
     * The engine reports that the target holds {@code v}. No change when it is the value known
     * already or an echo of a knob's own move; otherwise the value changed under the knobs and
     * they lose their hold. Returns whether it was a change. Allocation-free.
     */
    boolean report(Slot s, float v) {
        if (Float.compare(s.value, v) == 0 || s.isOwn(v)) {
            return false;
        }
        s.value = v;
        s.generation++;
        return true;
    }

    /** A knob set {@code v}; returns the new generation, which that knob's row holds. Allocation-free. */
    long own(Slot s, float v) {
        s.value = v;
        s.own[s.ownNext] = v;
        s.ownNext = (s.ownNext + 1) % ECHOES;
        s.ownCount = Math.min(s.ownCount + 1, ECHOES);
        return ++s.generation;
    }
}
