package io.latentkit.listen;

import io.latentkit.core.DrumClass;
import io.latentkit.listen.decide.Enrolment;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which pad each class plays: a drum class plays its own pad until mapped otherwise; a learned
 * class with another name plays nothing (-1) until mapped.
 *
 * <p>Threading: any thread (a concurrent map; reads on the listen thread take no lock).
 */
public final class ClassMap {
    private final Map<String, Integer> map = new ConcurrentHashMap<>();

    /**
     * Maps a class to a pad 0..11, or to -1 (reported, plays nothing).
     *
     * @throws IllegalArgumentException for a bad name or pad
     */
    public void map(String className, int pad) {
        String name = checkClassName(className);
        if (pad < -1 || pad >= DrumClass.COUNT) {
            throw new IllegalArgumentException("/listen/map pad must be -1..11, got " + pad);
        }
        map.put(name, pad);
    }

    /** The pad a class plays: its mapping, its own pad for a drum class, else -1. */
    public int padFor(String className) {
        Integer p = map.get(className);
        if (p != null) {
            return p;
        }
        DrumClass c = DrumClass.fromName(className);
        return c == null ? -1 : c.pad();
    }

    /** The explicit mappings, by class name. */
    public Map<String, Integer> mapping() {
        return new TreeMap<>(map);
    }

    /** Replaces every explicit mapping (a preset load); nothing changes if any entry is bad. */
    public void mapping(Map<String, Integer> mappings) {
        Map<String, Integer> checked = new TreeMap<>();
        for (Map.Entry<String, Integer> e : mappings.entrySet()) {
            String name = checkClassName(e.getKey());
            if (e.getValue() == null || e.getValue() < -1 || e.getValue() >= DrumClass.COUNT) {
                throw new IllegalArgumentException("listen map of '" + e.getKey() + "' must be a pad -1..11");
            }
            checked.put(name, e.getValue());
        }
        map.clear();
        map.putAll(checked);
    }

    static String checkClassName(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        if (!Enrolment.NAME.matcher(n).matches()) {
            throw new IllegalArgumentException("a listen class is 1..32 of a-z 0-9 _ . -, got '" + name + "'");
        }
        return n;
    }
}
