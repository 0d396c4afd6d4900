package io.latentkit.midi;

import io.latentkit.core.kit.PadTarget;
import java.util.Objects;

/**
 * One row of the knob mapping table: a control change from a device and channel drives a target
 * across a range, with a takeover mode. Made of strings and numbers only, so that it is stored in
 * presets as plain JSON:
 *
 * <pre>{"device":"nanoKONTROL2","channel":1,"control":16,"target":"/pad/1/decay",
 *  "min":0.0,"max":2.0,"takeover":"PICKUP"}</pre>
 *
 * <p>The target is stored by address only; what it names is found when the table is put in force,
 * by the resolver {@link MidiInput} was given (pad parameters by default), so that the same JSON
 * serves any supplier of targets.
 *
 * <p>Immutable; any thread.
 *
 * @param device device name as {@code latentkit midi list} prints it, or {@code "*"} for any device
 * @param channel MIDI channel 1..16, or 0 for any channel
 * @param control controller number 0..119 (120..127 are channel-mode messages, never mapped)
 * @param target target address, stored in canonical form (see {@link KnobTarget#canonical}: pad
 *     parameters in any form {@link PadTarget#parse} accepts become {@code /pad/<n>/<param>})
 * @param min parameter value at controller value 0
 * @param max parameter value at controller value 127 (may be below {@code min} to invert)
 * @param takeover {@link Takeover#JUMP} or {@link Takeover#PICKUP}
 */
public record MidiBinding(String device, int channel, int control, String target, float min, float max,
        Takeover takeover) {
    /** Matches every device. */
    public static final String ANY_DEVICE = "*";

    public MidiBinding {
        Objects.requireNonNull(device, "device");
        if (device.isBlank()) {
            throw new IllegalArgumentException("device name is blank (use \"*\" for any device)");
        }
        if (channel < 0 || channel > 16) {
            throw new IllegalArgumentException("channel must be 1..16 or 0 (any), got " + channel);
        }
        if (control < 0 || control > 119) {
            throw new IllegalArgumentException("control must be 0..119, got " + control);
        }
        target = KnobTarget.canonical(target);
        if (!Float.isFinite(min) || !Float.isFinite(max)) {
            throw new IllegalArgumentException("range must be finite, got " + min + ".." + max);
        }
        Objects.requireNonNull(takeover, "takeover");
    }

    /** A binding over the pad parameter's whole range. */
    public static MidiBinding fullRange(String device, int channel, int control, PadTarget target,
            Takeover takeover) {
        return new MidiBinding(device, channel, control, target.address(), target.param().min(),
                target.param().max(), takeover);
    }

    /** A binding over the target's whole range. */
    public static MidiBinding fullRange(String device, int channel, int control, KnobTarget target,
            Takeover takeover) {
        return new MidiBinding(device, channel, control, target.address(), target.min(), target.max(), takeover);
    }

    /**
     * The target as a pad parameter.
     *
     * @throws IllegalArgumentException if the target is not a pad parameter
     */
    public PadTarget parsedTarget() {
        return PadTarget.parse(target);
    }

    /** Whether this row listens to {@code control} on {@code channel} (1..16) of {@code deviceName}. */
    public boolean matches(String deviceName, int channel, int control) {
        return this.control == control
                && (this.channel == 0 || this.channel == channel)
                && (ANY_DEVICE.equals(device) || device.equals(deviceName));
    }

    /** Whether this row and {@code other} listen to the same control (so one replaces the other). */
    public boolean sameSource(MidiBinding other) {
        return device.equals(other.device) && channel == other.channel && control == other.control;
    }

    /** The parameter value for controller value {@code cc} (0..127). */
    public float valueFor(int cc) {
        return min + (max - min) * (cc / 127f);
    }
}
