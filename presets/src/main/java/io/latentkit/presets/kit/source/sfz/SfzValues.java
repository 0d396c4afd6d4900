package io.latentkit.presets.kit.source.sfz;

import java.util.Locale;

/**
 * Opcode values as sfizz and ARIA read them: a number is its longest numeric prefix
 * ({@code key=57Edge} is 57, as Sforzando reads it too); a note is a MIDI number or a name such as
 * {@code c4} (60), {@code f#3}, {@code eb2}. A value that is neither is {@code null} (the caller
 * warns and keeps the default).
 *
 * <p>Stateless; any thread.
 */
final class SfzValues {
    private static final String LETTERS = "cdefgab";
    private static final int[] SEMITONES = {0, 2, 4, 5, 7, 9, 11};

    private SfzValues() {
    }

    /** The longest numeric prefix of {@code v} as a finite double, or {@code null}. */
    static Double number(String v) {
        String t = v.trim();
        int i = 0;
        int n = t.length();
        if (i < n && (t.charAt(i) == '-' || t.charAt(i) == '+')) {
            i++;
        }
        int digits = 0;
        while (i < n && Character.isDigit(t.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && t.charAt(i) == '.') {
            i++;
            while (i < n && Character.isDigit(t.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return null;
        }
        // An exponent only where one follows in full ("1e3"), never eating a letter of junk.
        if (i + 1 < n && (t.charAt(i) == 'e' || t.charAt(i) == 'E')) {
            int j = i + 1;
            if (j < n && (t.charAt(j) == '-' || t.charAt(j) == '+')) {
                j++;
            }
            int k = j;
            while (k < n && Character.isDigit(t.charAt(k))) {
                k++;
            }
            if (k > j) {
                i = k;
            }
        }
        try {
            double d = Double.parseDouble(t.substring(0, i));
            return Double.isFinite(d) ? d : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * A MIDI note: a number (its integer prefix; -1 is kept, it means "no key" in SFZ) or a note
     * name with octave, {@code c4} = 60; {@code null} if neither or outside -1..127.
     */
    static Integer note(String v) {
        String t = v.trim().toLowerCase(Locale.ROOT);
        if (t.isEmpty()) {
            return null;
        }
        int letter = LETTERS.indexOf(t.charAt(0));
        if (letter < 0) {
            Double d = number(t);
            if (d == null) {
                return null;
            }
            long k = (long) Math.floor(d);
            return k >= -1 && k <= 127 ? (int) k : null;
        }
        int semis = SEMITONES[letter];
        int i = 1;
        if (i < t.length() && (t.charAt(i) == '#' || t.charAt(i) == '\u266f')) {
            semis++;
            i++;
        } else if (i < t.length() && (t.charAt(i) == 'b' || t.charAt(i) == '\u266d')) {
            semis--;
            i++;
        }
        int j = i;
        if (j < t.length() && t.charAt(j) == '-') {
            j++;
        }
        int k = j;
        while (k < t.length() && Character.isDigit(t.charAt(k))) {
            k++;
        }
        if (k == j || k - j > 2) {
            return null;
        }
        int octave = Integer.parseInt(t.substring(i, k));
        int note = (octave + 1) * 12 + semis;
        return note >= 0 && note <= 127 ? note : null;
    }
}
