package io.latentkit.core;

import java.util.Arrays;
import java.util.Locale;

/**
 * The twelve drum classes: one table used by the classifier, the kit's pads, the General MIDI map
 * and the OSC names. A kit has one pad per class and the pad index is {@link #ordinal()}.
 *
 * <p>Immutable; any thread.
 */
public enum DrumClass {
    KICK("kick", 36),
    SNARE("snare", 38),
    RIM("rim", 37),
    CLAP("clap", 39),
    HIHAT_CLOSED("hihat_closed", 42),
    HIHAT_OPEN("hihat_open", 46),
    TOM_LOW("tom_low", 43),
    TOM_MID("tom_mid", 47),
    TOM_HIGH("tom_high", 50),
    CRASH("crash", 49),
    RIDE("ride", 51),
    PERC("perc", 56);

    /** Number of classes, and so of pads in a kit. */
    public static final int COUNT = 12;

    private static final DrumClass[] VALUES = values();

    /**
     * General MIDI percussion key map (notes 35..81) onto the twelve classes; -1 where GM has no
     * drum. The one GM table in the code base: MIDI input and kit import both read it.
     */
    private static final byte[] GM_NOTE_TO_CLASS = new byte[128];

    static {
        Arrays.fill(GM_NOTE_TO_CLASS, (byte) -1);
        map(KICK, 35, 36);
        map(RIM, 37);
        map(SNARE, 38, 40);
        map(CLAP, 39);
        map(HIHAT_CLOSED, 42, 44);
        map(HIHAT_OPEN, 46);
        map(TOM_LOW, 41, 43);
        map(TOM_MID, 45, 47);
        map(TOM_HIGH, 48, 50);
        map(CRASH, 49, 52, 55, 57);
        map(RIDE, 51, 53, 59);
        map(PERC, 54, 56, 58, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77,
                78, 79, 80, 81);
    }

    private static void map(DrumClass c, int... notes) {
        for (int n : notes) {
            GM_NOTE_TO_CLASS[n] = (byte) c.ordinal();
        }
    }

    private final String oscName;
    private final int gmNote;

    DrumClass(String oscName, int gmNote) {
        this.oscName = oscName;
        this.gmNote = gmNote;
    }

    /** Lower-case name used in OSC addresses, file names and model labels, e.g. {@code hihat_closed}. */
    public String oscName() {
        return oscName;
    }

    /** The General MIDI note this class sends by default. */
    public int gmNote() {
        return gmNote;
    }

    /** The pad index of this class in a kit. */
    public int pad() {
        return ordinal();
    }

    /** Class by pad index; allocation-free, safe on the render thread. */
    public static DrumClass ofPad(int pad) {
        return VALUES[pad];
    }

    /** Pad index for a GM percussion note, or -1 where the note has no drum. Allocation-free. */
    public static int padForGmNote(int note) {
        return note < 0 || note > 127 ? -1 : GM_NOTE_TO_CLASS[note];
    }

    /** Class by its OSC name (case-insensitive), or {@code null} if there is none of that name. */
    public static DrumClass fromName(String name) {
        if (name == null) {
            return null;
        }
        String n = name.toLowerCase(Locale.ROOT);
        for (DrumClass c : VALUES) {
            if (c.oscName.equals(n)) {
                return c;
            }
        }
        return null;
    }
}
