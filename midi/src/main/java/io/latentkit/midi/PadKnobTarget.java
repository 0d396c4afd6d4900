package io.latentkit.midi;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Pad;
import io.latentkit.core.kit.PadTarget;
import io.latentkit.engine.control.EngineProxy;
import java.util.Objects;
import java.util.function.Function;

/**
 * A pad parameter as a knob target: sets it through {@link EngineProxy#setPadParam}, over the
 * parameter's own range, starting (for pick-up) from the value a fresh pad holds.
 *
 * <p>Immutable; any thread. {@link #set} allocates nothing and never blocks.
 */
public final class PadKnobTarget implements KnobTarget {
    private final PadTarget target;
    private final EngineProxy proxy;
    private final String address;
    private final float initial;

    public PadKnobTarget(PadTarget target, EngineProxy proxy) {
        this.target = Objects.requireNonNull(target, "target");
        this.proxy = Objects.requireNonNull(proxy, "proxy");
        this.address = target.address();
        // A fresh pad holds the defaults every kit starts from; presets and OSC report changes.
        this.initial = new Pad(DrumClass.ofPad(target.pad())).get(target.param());
    }

    /**
     * The resolver MIDI uses until another is plugged in: an address in any form
     * {@link PadTarget#parse} accepts names that pad parameter; anything else is refused with
     * {@link PadTarget#parse}'s reason.
     */
    public static Function<String, KnobTarget> resolver(EngineProxy proxy) {
        Objects.requireNonNull(proxy, "proxy");
        return address -> new PadKnobTarget(PadTarget.parse(address), proxy);
    }

    /** The pad parameter driven. */
    public PadTarget padTarget() {
        return target;
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public float min() {
        return target.param().min();
    }

    @Override
    public float max() {
        return target.param().max();
    }

    @Override
    public float initialValue() {
        return initial;
    }

    @Override
    public float clamp(float v) {
        return target.param().clamp(v);
    }

    @Override
    public boolean set(float value, long atFrame) {
        return proxy.setPadParam(target.pad(), target.param(), value, atFrame);
    }

    @Override
    public String toString() {
        return address;
    }
}
