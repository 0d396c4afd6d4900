package io.latentkit.presets.kit;

import io.latentkit.core.DrumClass;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Guesses an instrument's drum class from its name (Hydrogen instrument names, SFZ sample names,
 * file and folder names) and its MIDI note, with a score so that several instruments of one class
 * can be ranked: the plain name of a class ("Kick", "Snare") beats a variant ("Snare Rimshot",
 * "Ride Bell"), and a GM note that agrees adds to the score.
 *
 * <p>Stateless; any thread.
 */
public final class ClassMatcher {
    /** A class and how sure the match is; {@code score <= 0} means a fallback guess. */
    public record Match(DrumClass drumClass, double score) {
    }

    private static final String[] VARIANT_WORDS = {"bell", "roll", "rimshot", "rim shot", "pedal", "semi", "choke",
        "brush", "flam", "ghost", "edge", "cup", "splash", "china", "dirty", "dist", "ring", "rev", "reverse", "fx",
        "half", "muted", "soft"};

    private ClassMatcher() {
    }

    /**
     * @param name instrument or file name (any case, any separators)
     * @param gmNote the instrument's MIDI note, or -1 if unknown or meaningless
     */
    public static Match match(String name, int gmNote) {
        String n = " " + normalise(name) + " ";
        DrumClass byName = byName(n);
        int notePad = DrumClass.padForGmNote(gmNote);
        DrumClass byNote = notePad < 0 ? null : DrumClass.ofPad(notePad);
        if (byName == null) {
            if (byNote != null) {
                return new Match(byNote, 1.0);
            }
            return new Match(DrumClass.PERC, 0.0);
        }
        double score = 3.0;
        for (String v : VARIANT_WORDS) {
            if (n.contains(" " + v + " ") || n.contains(" " + v)) {
                score -= 1.0;
            }
        }
        // Fewer extra words: closer to the plain name of the class.
        score -= 0.05 * Math.max(0, n.trim().split(" ").length - 1);
        // A trailing number ("Snare 2", "Kick Hard 2") marks an alternative take.
        if (n.matches(".* [0-9]+ $") && !n.matches(".* 1 $")) {
            score -= 0.2;
        }
        if (byNote == byName) {
            score += 1.0;
        }
        return new Match(byName, score);
    }

    /** Lower case, separators and camel case turned into single spaces, digits split from words. */
    static String normalise(String s) {
        if (s == null) {
            return "";
        }
        String t = s.replaceAll("\\.(wav|wave|aif|aiff|aifc|flac)$", "");
        t = t.replaceAll("([a-z])([A-Z])", "$1 $2");
        t = t.toLowerCase(Locale.ROOT);
        t = t.replaceAll("([a-z])([0-9])", "$1 $2").replaceAll("([0-9])([a-z])", "$1 $2");
        t = t.replaceAll("[^a-z0-9]+", " ").trim();
        StringBuilder b = new StringBuilder();
        for (String w : t.split(" ")) {
            b.append(b.length() == 0 ? "" : " ").append(segment(w));
        }
        return b.toString();
    }

    /** Words instrument names are made of, for splitting names written as one word. */
    private static final Set<String> WORDS = Set.of("kick", "kik", "bass", "drum", "bassdrum", "bombo", "clap",
            "claps", "hand", "handclap", "snap", "rim", "click", "side", "stick", "sidestick", "cross", "snare", "ride",
            "crash", "splash", "china", "cymbal", "cym", "tom", "floor", "high", "hi", "low", "lo", "mid", "hat", "hats",
            "hihat", "hh", "open", "opened", "closed", "close", "pedal", "foot", "semi", "half", "bell", "cowbell",
            "cow", "tamb", "tambourine", "shaker", "perc", "conga", "bongo", "edge", "bow", "cup", "roll", "rimshot",
            "shot", "ghost", "flam", "brush", "soft", "hard", "choke", "stack", "center", "centre");

    /**
     * A word not in {@link #WORDS} that is made of them ({@code closedhat}, {@code openhh},
     * {@code kickdrum}) split into them; any other word as it is.
     */
    static String segment(String w) {
        // Longer words are no instrument name; the bound also keeps the split cheap.
        if (w.length() < 5 || w.length() > 40 || WORDS.contains(w)) {
            return w;
        }
        String split = split(w, 0, new boolean[w.length()]);
        return split != null ? split : w;
    }

    /**
     * {@code w} from {@code from} as known words (longest first), or null; {@code failed} marks
     * positions already known not to split, so each is tried once.
     */
    private static String split(String w, int from, boolean[] failed) {
        if (from == w.length()) {
            return "";
        }
        if (failed[from]) {
            return null;
        }
        for (int end = w.length(); end > from + 1; end--) {
            String head = w.substring(from, end);
            if (WORDS.contains(head)) {
                String rest = split(w, end, failed);
                if (rest != null) {
                    return rest.isEmpty() ? head : head + " " + rest;
                }
            }
        }
        failed[from] = true;
        return null;
    }

    private static boolean has(String n, String... words) {
        for (String w : words) {
            if (n.contains(" " + w + " ")) {
                return true;
            }
        }
        return false;
    }

    private static boolean hasPrefix(String n, String... prefixes) {
        for (String w : prefixes) {
            if (n.contains(" " + w)) {
                return true;
            }
        }
        return false;
    }

    private static DrumClass byName(String n) {
        boolean hat = has(n, "hh", "hat", "hihat", "hats", "chh", "ohh", "phh") || n.contains("hihat")
                || n.contains(" hi hat") || n.contains("hi-hat");
        if (hat) {
            if (has(n, "open", "opened", "op", "ohh", "semi", "semiopen", "half") || hasPrefix(n, "open")) {
                return DrumClass.HIHAT_OPEN;
            }
            return DrumClass.HIHAT_CLOSED;
        }
        if (has(n, "kick", "kik", "kck", "bd", "bassdrum", "bombo") || n.contains(" bass drum") || hasPrefix(n, "kick")
                || n.contains("bassdrum")) {
            return DrumClass.KICK;
        }
        if (has(n, "clap", "claps", "handclap", "snap", "snaps") || hasPrefix(n, "clap")) {
            return DrumClass.CLAP;
        }
        if (has(n, "rimclick", "sidestick", "stick", "sticks", "xstick") || n.contains(" rim click")
                || n.contains(" side stick") || n.contains(" cross stick") || (has(n, "rim") && !has(n, "snare"))) {
            return DrumClass.RIM;
        }
        if (has(n, "snare", "sd", "snr", "sn") || hasPrefix(n, "snare")) {
            return DrumClass.SNARE;
        }
        if (has(n, "ride") || hasPrefix(n, "ride")) {
            return DrumClass.RIDE;
        }
        if (has(n, "crash", "splash", "china", "cymbal", "cym") || hasPrefix(n, "crash")) {
            return DrumClass.CRASH;
        }
        boolean tom = has(n, "tom", "toms", "tomhi", "tomlo", "tommid", "floortom") || hasPrefix(n, "tom");
        if (tom) {
            if (has(n, "floor", "low", "lo", "ft", "16", "18") || n.contains("tomlo") || n.contains("floortom")) {
                return DrumClass.TOM_LOW;
            }
            if (has(n, "hi", "high", "ht", "10", "12") || n.contains("tomhi")) {
                return DrumClass.TOM_HIGH;
            }
            return DrumClass.TOM_MID;
        }
        if (has(n, "cowbell", "tambourine", "tamb", "conga", "bongo", "shaker", "maraca", "maracas", "agogo", "clave",
                "claves", "cajon", "block", "triangle", "guiro", "cabasa", "timbale", "timbales", "whistle", "perc",
                "djembe", "tabla", "bell", "bells", "click", "zap", "blip", "fx", "noise", "vibraslap", "quijada")) {
            return DrumClass.PERC;
        }
        return null;
    }

    /** Names of all classes, for messages. */
    static List<String> classNames() {
        List<String> l = new ArrayList<>();
        for (DrumClass c : DrumClass.values()) {
            l.add(c.oscName());
        }
        return l;
    }
}
