package io.latentkit.midi;

import io.latentkit.core.DrumClass;
import java.util.Arrays;
import java.util.Map;

/**
 * Which pad a note plays: the General MIDI drum map ({@link DrumClass#padForGmNote}) with a
 * preset's overrides for single notes on top.
 *
 * <p>Threading: {@link #padForNote} on any device thread, without a lock and without allocating;
 * {@link #overrides} from any thread. The override table is replaced whole and never mutated, so a
 * reader sees either the old table or the new one.
 */
final class NoteMap {
    private static final int NOTES = 128;

    /** Pad per note where an override applies, else -1. */
    private volatile byte[] overrides = none();

    /**
     * Replaces the overrides: note 0..127 to pad 0..11. Notes not listed follow the GM map again.
     *
     * @throws IllegalArgumentException for a note or pad out of range (nothing changes)
     */
    void overrides(Map<Integer, Integer> noteToPad) {
        byte[] next = none();
        for (Map.Entry<Integer, Integer> e : noteToPad.entrySet()) {
            int note = e.getKey();
            int pad = e.getValue();
            if (note < 0 || note >= NOTES) {
                throw new IllegalArgumentException("MIDI note must be 0..127, got " + note);
            }
            if (pad < 0 || pad >= DrumClass.COUNT) {
                throw new IllegalArgumentException("pad must be 0.." + (DrumClass.COUNT - 1) + ", got " + pad);
            }
            next[note] = (byte) pad;
        }
        overrides = next; // the volatile write publishes the filled array to the device threads
    }

    /** The pad {@code note} plays now (override, else GM map), or -1 for none (also for notes outside 0..127). */
    int padForNote(int note) {
        if (note < 0 || note >= NOTES) {
            return -1;
        }
        int pad = overrides[note];
        return pad >= 0 ? pad : DrumClass.padForGmNote(note);
    }

    private static byte[] none() {
        byte[] b = new byte[NOTES];
        Arrays.fill(b, (byte) -1);
        return b;
    }
}
