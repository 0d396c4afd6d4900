package io.latentkit.midi;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The knob mapping table kept in a preset: a version and a list of {@link MidiBinding} rows. A
 * plain value (a record of a list of records) so that Jackson writes and reads it as
 *
 * <pre>{"version":1,"bindings":[{...},{...}]}</pre>
 *
 * <p>Where two rows listen to the same control, both apply (one knob may drive several
 * parameters); {@link #with} replaces the rows of the same source and target.
 *
 * <p>Immutable; any thread.
 *
 * @param version schema version of this table (1)
 * @param bindings the rows, in order
 */
public record MidiMap(int version, List<MidiBinding> bindings) {
    /** The schema version this code writes. */
    public static final int VERSION = 1;
    /** No bindings. */
    public static final MidiMap EMPTY = new MidiMap(VERSION, List.of());

    public MidiMap {
        if (version < 1 || version > VERSION) {
            throw new IllegalArgumentException("MIDI map version " + version + " is not supported (this build reads 1.."
                    + VERSION + ")");
        }
        bindings = List.copyOf(Objects.requireNonNull(bindings, "bindings"));
    }

    /**
     * This table with {@code b} added; a row with the same source (device, channel, control) and
     * the same target is replaced, and so is any row of the same source when {@code exclusive}.
     */
    public MidiMap with(MidiBinding b, boolean exclusive) {
        List<MidiBinding> next = new ArrayList<>(bindings.size() + 1);
        for (MidiBinding old : bindings) {
            boolean replaced = old.sameSource(b) && (exclusive || old.target().equals(b.target()));
            if (!replaced) {
                next.add(old);
            }
        }
        next.add(b);
        return new MidiMap(VERSION, next);
    }

    /** This table without rows driving {@code target} (an address in any form {@link KnobTarget#canonical} accepts). */
    public MidiMap without(String target) {
        String t = KnobTarget.canonical(target);
        List<MidiBinding> next = new ArrayList<>(bindings.size());
        for (MidiBinding old : bindings) {
            if (!old.target().equals(t)) {
                next.add(old);
            }
        }
        return new MidiMap(VERSION, next);
    }
}
