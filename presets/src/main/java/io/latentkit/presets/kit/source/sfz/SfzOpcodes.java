package io.latentkit.presets.kit.source.sfz;

import io.latentkit.presets.LibraryFolder;
import java.util.Locale;

/**
 * The region opcodes one header level ({@code <global>}, {@code <master>}, {@code <group>} or
 * {@code <region>}) sets, typed as they are read; unset ones are {@code null} and inherit from the
 * level above. {@code key} sets the lowest and highest key and the key centre at once, so a later
 * {@code lokey} on the same or a lower level narrows it, as in sfizz. Values that do not parse
 * keep the previous value with a warning; opcodes this importer does not read are gathered for one
 * warning.
 *
 * <p>One parse, one thread.
 */
final class SfzOpcodes {
    String sample;
    Integer lokey;
    Integer hikey;
    Integer pitchKeycenter;
    Double pitchKeytrack;
    Double tune;
    Double transpose;
    Double volume;
    Double amplitude;
    Double pan;
    Integer lovel;
    Integer hivel;
    Long group;
    Long offBy;
    Integer seqLength;
    Integer seqPosition;
    Double lorand;
    Double hirand;
    SfzRegion.Trigger trigger;

    /** Reads one opcode into this level. */
    void set(String rawName, String value, SfzWarnings w) {
        String name = rawName.toLowerCase(Locale.ROOT);
        switch (name) {
            case "sample" -> sample = value.replace('\\', '/');
            case "key" -> {
                Integer k = note(name, value, w);
                if (k != null) {
                    lokey = k;
                    hikey = k;
                    pitchKeycenter = k;
                }
            }
            case "lokey" -> lokey = orElse(note(name, value, w), lokey);
            case "hikey" -> hikey = orElse(note(name, value, w), hikey);
            case "pitch_keycenter" -> pitchKeycenter = keycenter(value, w);
            case "pitch_keytrack" -> pitchKeytrack = orElse(number(name, value, w), pitchKeytrack);
            case "tune", "pitch" -> tune = orElse(number(name, value, w), tune);
            case "transpose" -> transpose = orElse(number(name, value, w), transpose);
            case "volume", "gain" -> volume = orElse(number(name, value, w), volume);
            case "amplitude" -> amplitude = orElse(number(name, value, w), amplitude);
            case "pan" -> pan = orElse(number(name, value, w), pan);
            case "lovel" -> lovel = orElse(velocity(name, value, w), lovel);
            case "hivel" -> hivel = orElse(velocity(name, value, w), hivel);
            case "group", "polyphony_group" -> group = orElse(integer(name, value, w), group);
            case "off_by", "offby" -> offBy = orElse(integer(name, value, w), offBy);
            case "seq_length" -> seqLength = orElse(count(name, value, w), seqLength);
            case "seq_position" -> seqPosition = orElse(count(name, value, w), seqPosition);
            case "lorand" -> lorand = orElse(unit(name, value, w), lorand);
            case "hirand" -> hirand = orElse(unit(name, value, w), hirand);
            case "trigger" -> trigger = orElse(trigger(value, w), trigger);
            default -> w.unsupportedOpcode(name);
        }
    }

    /**
     * The region these levels describe, the nearest level winning: {@code levels} are ordered
     * from {@code <global>} to {@code <region>}.
     */
    static SfzRegion resolve(String defaultPath, int keyOffset, SfzOpcodes... levels) {
        SfzOpcodes m = new SfzOpcodes();
        for (SfzOpcodes l : levels) {
            m.sample = orElse(l.sample, m.sample);
            m.lokey = orElse(l.lokey, m.lokey);
            m.hikey = orElse(l.hikey, m.hikey);
            m.pitchKeycenter = orElse(l.pitchKeycenter, m.pitchKeycenter);
            m.pitchKeytrack = orElse(l.pitchKeytrack, m.pitchKeytrack);
            m.tune = orElse(l.tune, m.tune);
            m.transpose = orElse(l.transpose, m.transpose);
            m.volume = orElse(l.volume, m.volume);
            m.amplitude = orElse(l.amplitude, m.amplitude);
            m.pan = orElse(l.pan, m.pan);
            m.lovel = orElse(l.lovel, m.lovel);
            m.hivel = orElse(l.hivel, m.hivel);
            m.group = orElse(l.group, m.group);
            m.offBy = orElse(l.offBy, m.offBy);
            m.seqLength = orElse(l.seqLength, m.seqLength);
            m.seqPosition = orElse(l.seqPosition, m.seqPosition);
            m.lorand = orElse(l.lorand, m.lorand);
            m.hirand = orElse(l.hirand, m.hirand);
            m.trigger = orElse(l.trigger, m.trigger);
        }
        int lo = orElse(m.lokey, 0);
        int hi = orElse(m.hikey, 127);
        int center = orElse(m.pitchKeycenter, 60);
        if (keyOffset != 0) {
            // sfizz moves every key of the region, its key centre included.
            lo = lo < 0 ? lo : lo + keyOffset;
            hi = hi < 0 ? hi : hi + keyOffset;
            center += keyOffset;
        }
        return new SfzRegion(m.sample, defaultPath, lo, hi, center, orElse(m.pitchKeytrack, 100.0),
                orElse(m.tune, 0.0), orElse(m.transpose, 0.0), orElse(m.volume, 0.0), orElse(m.amplitude, 100.0),
                orElse(m.pan, 0.0), orElse(m.lovel, 0), orElse(m.hivel, 127), orElse(m.group, 0L), m.offBy,
                orElse(m.seqLength, 1), orElse(m.seqPosition, 1), orElse(m.lorand, 0.0), orElse(m.hirand, 1.0),
                orElse(m.trigger, SfzRegion.Trigger.ATTACK));
    }

    private static <T> T orElse(T value, T fallback) {
        return value != null ? value : fallback;
    }

    private static Double number(String name, String value, SfzWarnings w) {
        Double d = SfzValues.number(value);
        if (d == null) {
            w.add("SFZ: " + name + "='" + LibraryFolder.printable(clip(value)) + "' is not a number; ignored");
        }
        return d;
    }

    private static Long integer(String name, String value, SfzWarnings w) {
        Double d = number(name, value, w);
        return d == null || Math.abs(d) > 1e15 ? null : (long) Math.floor(d);
    }

    private static Integer count(String name, String value, SfzWarnings w) {
        Long n = integer(name, value, w);
        if (n != null && (n < 1 || n > 1000)) {
            w.add("SFZ: " + name + "=" + n + " is outside 1..1000; ignored");
            return null;
        }
        return n == null ? null : n.intValue();
    }

    private static Double unit(String name, String value, SfzWarnings w) {
        Double d = number(name, value, w);
        return d == null ? null : Math.max(0.0, Math.min(1.0, d));
    }

    private static Integer velocity(String name, String value, SfzWarnings w) {
        Long n = integer(name, value, w);
        return n == null ? null : (int) Math.max(0, Math.min(127, n));
    }

    private static Integer note(String name, String value, SfzWarnings w) {
        Integer k = SfzValues.note(value);
        if (k == null) {
            w.add("SFZ: " + name + "='" + LibraryFolder.printable(clip(value)) + "' is not a note; ignored");
        }
        return k;
    }

    private Integer keycenter(String value, SfzWarnings w) {
        if (value.trim().equalsIgnoreCase("sample")) {
            w.add("SFZ: pitch_keycenter=sample (the key stored in the file) is not supported; 60 is used");
            return 60;
        }
        return orElse(note("pitch_keycenter", value, w), pitchKeycenter);
    }

    private static SfzRegion.Trigger trigger(String value, SfzWarnings w) {
        switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "attack":
                return SfzRegion.Trigger.ATTACK;
            case "release":
                return SfzRegion.Trigger.RELEASE;
            case "first":
                return SfzRegion.Trigger.FIRST;
            case "legato":
                return SfzRegion.Trigger.LEGATO;
            case "release_key":
                return SfzRegion.Trigger.RELEASE_KEY;
            default:
                w.add("SFZ: trigger='" + LibraryFolder.printable(clip(value)) + "' is not a trigger; ignored");
                return null;
        }
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) : s;
    }
}
