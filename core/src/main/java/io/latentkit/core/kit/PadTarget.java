package io.latentkit.core.kit;

import io.latentkit.core.DrumClass;
import java.util.Objects;

/**
 * A pad parameter as a target (MIDI learn, presets): one {@link PadParam} of one pad. Its text form is the OSC
 * address of the same parameter, {@code /pad/<n>/<param>}; {@link #parse} also accepts the pad's
 * drum class for the number ({@code /pad/snare/decay}, {@code snare/decay}) and a missing leading
 * slash.
 *
 * <p>Immutable; any thread.
 *
 * @param pad pad index, 0..11
 * @param param the parameter
 */
public record PadTarget(int pad, PadParam param) {
    public PadTarget {
        if (pad < 0 || pad >= DrumClass.COUNT) {
            throw new IllegalArgumentException("pad must be 0.." + (DrumClass.COUNT - 1) + ", got " + pad);
        }
        Objects.requireNonNull(param, "param");
    }

    /** Parses a target (see the class comment); throws {@link IllegalArgumentException} with the reason. */
    public static PadTarget parse(String text) {
        Objects.requireNonNull(text, "target");
        String s = text.trim();
        if (s.startsWith("/")) {
            s = s.substring(1);
        }
        String[] parts = s.split("/", -1);
        if (parts.length == 3 && parts[0].equals("pad")) {
            parts = new String[] {parts[1], parts[2]};
        }
        if (parts.length != 2) {
            throw new IllegalArgumentException("parameter must look like /pad/<n>/<param>, got '" + text + "'");
        }
        int pad;
        DrumClass c = DrumClass.fromName(parts[0]);
        if (c != null) {
            pad = c.pad();
        } else {
            try {
                pad = Integer.parseInt(parts[0]);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("no pad '" + parts[0] + "' in '" + text + "'");
            }
            if (pad < 0 || pad >= DrumClass.COUNT) {
                throw new IllegalArgumentException("pad must be 0.." + (DrumClass.COUNT - 1) + " in '" + text + "'");
            }
        }
        PadParam p = PadParam.fromName(parts[1]);
        if (p == null) {
            throw new IllegalArgumentException("no pad parameter '" + parts[1] + "' in '" + text + "'");
        }
        return new PadTarget(pad, p);
    }

    /** The OSC address form, e.g. {@code /pad/1/decay}. */
    public String address() {
        return "/pad/" + pad + "/" + param.oscName();
    }

    @Override
    public String toString() {
        return address();
    }
}
