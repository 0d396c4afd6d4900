package io.latentkit.presets.kit.source;

import io.latentkit.core.DrumClass;
import io.latentkit.presets.LibraryException;
import io.latentkit.presets.LibraryFolder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The SFZ subset drum kits use: headers {@code <control>} ({@code default_path}),
 * {@code <global>}, {@code <master>}, {@code <group>}, {@code <region>}; opcodes {@code sample},
 * {@code key}, {@code lokey}/{@code hikey}, {@code lovel}/{@code hivel}, {@code pitch_keycenter},
 * {@code pitch_keytrack}, {@code tune}, {@code transpose}, {@code volume}, {@code amplitude},
 * {@code pan}, {@code group}/{@code off_by} (become choke groups), {@code seq_length}/{@code
 * seq_position} (round robin), {@code trigger} (only attack regions are used); preprocessor
 * {@code #include} and {@code #define}. Every other opcode and header is listed once in a warning.
 *
 * <p>Regions sharing a key range form one instrument; regions of one instrument sharing a
 * velocity range are its round-robin alternatives, in {@code seq_position} order. Included files
 * and samples must lie inside the kit's root folder. Stateless; any thread.
 */
public final class SfzParser {
    /** Reads an included file (already resolved and checked to be inside the root). */
    @FunctionalInterface
    public interface IncludeReader {
        String read(Path file) throws IOException;
    }

    static final int MAX_TEXT_CHARS = 4 << 20;
    static final int MAX_INCLUDE_DEPTH = 8;
    static final int MAX_REGIONS = 20_000;

    private static final Set<String> SUPPORTED = Set.of("sample", "default_path", "key", "lokey", "hikey", "lovel",
            "hivel", "pitch_keycenter", "pitch_keytrack", "tune", "transpose", "volume", "amplitude", "pan", "group",
            "off_by", "seq_length", "seq_position", "trigger");

    private SfzParser() {
    }

    /** Parses an SFZ file; includes and samples must stay inside {@code root}. */
    public static ParsedKit parse(Path sfzFile, Path root) throws KitFormatException {
        String text;
        try {
            if (Files.size(sfzFile) > MAX_TEXT_CHARS) {
                throw new KitFormatException("SFZ file is larger than " + MAX_TEXT_CHARS + " bytes");
            }
            text = new String(Files.readAllBytes(sfzFile), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KitFormatException("cannot read SFZ file: " + e.getMessage(), e);
        }
        String title = sfzFile.getFileName().toString().replaceAll("(?i)\\.sfz$", "");
        return parse(text, title, sfzFile.getParent(), root,
                p -> new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
    }

    /**
     * Parses SFZ text whose own folder is {@code dir}; includes are read through {@code reader}.
     * Only {@link KitFormatException} escapes, for any text.
     */
    public static ParsedKit parse(String text, String title, Path dir, Path root, IncludeReader reader)
            throws KitFormatException {
        try {
            return new Run(dir, root, reader).run(text, title);
        } catch (StackOverflowError e) {
            throw new KitFormatException("SFZ file is nested too deeply");
        }
    }

    private static final class Run {
        final Path dir;
        final Path root;
        final IncludeReader reader;
        final List<String> warnings = new ArrayList<>();
        final Set<String> unsupported = new TreeSet<>();
        final Set<String> ignoredHeaders = new TreeSet<>();
        final Map<String, String> defines = new LinkedHashMap<>();
        int totalChars;

        Run(Path dir, Path root, IncludeReader reader) {
            this.dir = dir;
            this.root = root;
            this.reader = reader;
        }

        ParsedKit run(String text, String title) throws KitFormatException {
            String flat = preprocess(text, 0);
            List<Map<String, String>> regions = regions(flat);
            if (!unsupported.isEmpty()) {
                warnings.add(0, "SFZ: unsupported opcodes ignored: " + String.join(", ", unsupported));
            }
            if (!ignoredHeaders.isEmpty()) {
                warnings.add("SFZ: unsupported headers ignored: <" + String.join(">, <", ignoredHeaders) + ">");
            }
            List<ParsedKit.Instrument> instruments = instruments(regions);
            if (instruments.isEmpty()) {
                throw new KitFormatException("SFZ file has no region with a usable sample");
            }
            return new ParsedKit("sfz", title, instruments, warnings);
        }

        /** Comments removed, includes inlined, defines substituted. */
        String preprocess(String text, int depth) throws KitFormatException {
            if (depth > MAX_INCLUDE_DEPTH) {
                throw new KitFormatException("SFZ #include nested more than " + MAX_INCLUDE_DEPTH + " deep");
            }
            totalChars += text.length();
            if (totalChars > MAX_TEXT_CHARS) {
                throw new KitFormatException("SFZ text with includes exceeds " + MAX_TEXT_CHARS + " characters");
            }
            String noComments = stripComments(text);
            StringBuilder out = new StringBuilder();
            for (String line : noComments.split("\r\n|\r|\n", -1)) {
                String t = line.trim();
                if (t.startsWith("#include")) {
                    String name = quoted(t.substring(8).trim());
                    if (name == null) {
                        warnings.add("SFZ: malformed #include ignored");
                        continue;
                    }
                    Path inc;
                    try {
                        inc = LibraryFolder.resolveInside(root, root.relativize(dir.resolve(name.replace('\\', '/')).normalize()).toString());
                    } catch (LibraryException | IllegalArgumentException e) {
                        throw new KitFormatException("SFZ #include \"" + LibraryFolder.printable(name)
                                + "\" refused: outside the kit folder");
                    }
                    String included;
                    try {
                        included = reader.read(inc);
                    } catch (IOException e) {
                        throw new KitFormatException("SFZ #include \"" + LibraryFolder.printable(name)
                                + "\" cannot be read: " + e.getMessage());
                    }
                    out.append(preprocess(included, depth + 1)).append('\n');
                } else if (t.startsWith("#define")) {
                    String[] parts = t.substring(7).trim().split("\\s+", 2);
                    if (parts.length == 2 && parts[0].startsWith("$")) {
                        defines.put(parts[0], parts[1].trim());
                    } else {
                        warnings.add("SFZ: malformed #define ignored");
                    }
                } else if (t.startsWith("#")) {
                    unsupported.add(t.split("\\s+")[0]);
                } else {
                    out.append(substitute(line)).append('\n');
                }
            }
            return out.toString();
        }

        String substitute(String line) {
            if (defines.isEmpty() || line.indexOf('$') < 0) {
                return line;
            }
            String s = line;
            // Longest names first so $KEY2 is not replaced as $KEY followed by "2".
            List<String> names = new ArrayList<>(defines.keySet());
            names.sort((a, b) -> b.length() - a.length());
            for (String n : names) {
                s = s.replace(n, defines.get(n));
                if (s.length() > 100_000) {
                    break;
                }
            }
            return s;
        }

        List<Map<String, String>> regions(String text) throws KitFormatException {
            Map<String, String> control = new HashMap<>();
            Map<String, String> global = new HashMap<>();
            Map<String, String> master = new HashMap<>();
            Map<String, String> group = new HashMap<>();
            Map<String, String> region = null;
            Map<String, String> current = null;
            List<Map<String, String>> out = new ArrayList<>();
            int i = 0;
            int n = text.length();
            while (i < n) {
                char c = text.charAt(i);
                if (Character.isWhitespace(c)) {
                    i++;
                    continue;
                }
                if (c == '<') {
                    int end = text.indexOf('>', i);
                    if (end < 0) {
                        throw new KitFormatException("SFZ header '<' without '>'");
                    }
                    String h = text.substring(i + 1, end).trim().toLowerCase(Locale.ROOT);
                    i = end + 1;
                    if (region != null) {
                        out.add(merge(control, global, master, group, region));
                        region = null;
                    }
                    switch (h) {
                        case "control": current = control; break;
                        case "global": global.clear(); master.clear(); group.clear(); current = global; break;
                        case "master": master.clear(); group.clear(); current = master; break;
                        case "group": group.clear(); current = group; break;
                        case "region":
                            region = new HashMap<>();
                            current = region;
                            if (out.size() >= MAX_REGIONS) {
                                throw new KitFormatException("SFZ file has more than " + MAX_REGIONS + " regions");
                            }
                            break;
                        default:
                            ignoredHeaders.add(LibraryFolder.printable(h));
                            current = null;
                    }
                    continue;
                }
                // An opcode: name=value; the value runs to the end of the line, the next header, or
                // the next "name=" (sample paths may contain spaces).
                int eq = text.indexOf('=', i);
                int lineEnd = text.indexOf('\n', i);
                if (lineEnd < 0) {
                    lineEnd = n;
                }
                if (eq < 0 || eq > lineEnd) {
                    warnings.add("SFZ: text without an opcode ignored: '" + LibraryFolder.printable(
                            text.substring(i, Math.min(lineEnd, i + 40)).trim()) + "'");
                    i = lineEnd;
                    continue;
                }
                String name = text.substring(i, eq).trim().toLowerCase(Locale.ROOT);
                int valueEnd = valueEnd(text, eq + 1, lineEnd);
                String value = text.substring(eq + 1, valueEnd).trim();
                i = valueEnd;
                if (name.isEmpty() || name.chars().anyMatch(Character::isWhitespace)) {
                    warnings.add("SFZ: malformed opcode '" + LibraryFolder.printable(name) + "' ignored");
                    continue;
                }
                if (!SUPPORTED.contains(name)) {
                    unsupported.add(LibraryFolder.printable(name));
                    continue;
                }
                if (current != null) {
                    current.put(name, value);
                }
            }
            if (region != null) {
                out.add(merge(control, global, master, group, region));
            }
            return out;
        }

        static int valueEnd(String text, int from, int lineEnd) {
            int j = from;
            while (j < lineEnd) {
                char c = text.charAt(j);
                if (c == '<') {
                    return j;
                }
                if (Character.isWhitespace(c)) {
                    // Does "name=" start after this run of spaces?
                    int k = j;
                    while (k < lineEnd && Character.isWhitespace(text.charAt(k))) {
                        k++;
                    }
                    int m = k;
                    while (m < lineEnd && (Character.isLetterOrDigit(text.charAt(m)) || text.charAt(m) == '_')) {
                        m++;
                    }
                    if (m > k && m < lineEnd && text.charAt(m) == '=') {
                        return j;
                    }
                    if (k < lineEnd && text.charAt(k) == '<') {
                        return j;
                    }
                    j = k;
                    continue;
                }
                j++;
            }
            return lineEnd;
        }

        static Map<String, String> merge(Map<String, String> control, Map<String, String> global,
                Map<String, String> master, Map<String, String> group, Map<String, String> region) {
            Map<String, String> m = new HashMap<>();
            m.putAll(control);
            m.putAll(global);
            m.putAll(master);
            m.putAll(group);
            m.putAll(region);
            return m;
        }

        List<ParsedKit.Instrument> instruments(List<Map<String, String>> regions) {
            // Choke groups: union of each group with the groups it is turned off by.
            Map<Long, Long> parent = new HashMap<>();
            Set<Long> choking = new TreeSet<>();
            for (Map<String, String> r : regions) {
                long g = longValue(r, "group", 0);
                long off = longValue(r, "off_by", 0);
                if (g != 0 && off != 0) {
                    union(parent, g, off);
                    choking.add(g);
                    choking.add(off);
                }
            }
            Map<Long, Integer> chokeIds = new LinkedHashMap<>();
            Map<String, List<Map<String, String>>> byKeys = new LinkedHashMap<>();
            int skipped = 0;
            for (Map<String, String> r : regions) {
                String trigger = r.getOrDefault("trigger", "attack").toLowerCase(Locale.ROOT);
                if (!trigger.equals("attack") && !trigger.equals("first") && !trigger.equals("legato")) {
                    skipped++;
                    continue;
                }
                String sample = r.get("sample");
                if (sample == null || sample.isEmpty() || sample.startsWith("*")) {
                    skipped++;
                    continue;
                }
                int lo;
                int hi;
                if (r.containsKey("key")) {
                    lo = hi = note(r.get("key"), -1);
                } else {
                    lo = note(r.get("lokey"), 0);
                    hi = note(r.get("hikey"), 127);
                }
                if (lo < 0 || hi < 0 || lo > hi) {
                    skipped++;
                    continue;
                }
                byKeys.computeIfAbsent(lo + "-" + hi, k -> new ArrayList<>()).add(r);
            }
            if (skipped > 0) {
                warnings.add("SFZ: " + skipped + " region(s) without a usable sample, key or attack trigger skipped");
            }
            List<ParsedKit.Instrument> out = new ArrayList<>();
            for (List<Map<String, String>> rs : byKeys.values()) {
                Map<String, String> r0 = rs.get(0);
                int lo = r0.containsKey("key") ? note(r0.get("key"), 0) : note(r0.get("lokey"), 0);
                int hi = r0.containsKey("key") ? lo : note(r0.get("hikey"), 127);
                int played = lo;
                for (int k = lo; k <= hi; k++) {
                    if (DrumClass.padForGmNote(k) >= 0) {
                        played = k;
                        break;
                    }
                }
                Map<String, List<Map<String, String>>> byVel = new LinkedHashMap<>();
                for (Map<String, String> r : rs) {
                    byVel.computeIfAbsent(note(r.get("lovel"), 0) + "-" + note(r.get("hivel"), 127),
                            k -> new ArrayList<>()).add(r);
                }
                List<ParsedKit.Layer> layers = new ArrayList<>();
                for (List<Map<String, String>> vs : byVel.values()) {
                    vs.sort((a, b) -> Long.compare(longValue(a, "seq_position", 1), longValue(b, "seq_position", 1)));
                    List<Path> samples = new ArrayList<>();
                    for (Map<String, String> r : vs) {
                        Path p = samplePath(r);
                        if (p != null) {
                            samples.add(p);
                        }
                    }
                    if (samples.isEmpty()) {
                        continue;
                    }
                    Map<String, String> v0 = vs.get(0);
                    float min = clamp(note(v0.get("lovel"), 0) / 127f, 0f, 1f);
                    float max = clamp(note(v0.get("hivel"), 127) / 127f, 0f, 1f);
                    float gain = (float) (Math.pow(10, doubleValue(v0, "volume", 0) / 20)
                            * doubleValue(v0, "amplitude", 100) / 100);
                    int keycenter = v0.containsKey("pitch_keycenter") ? note(v0.get("pitch_keycenter"), 60)
                            : v0.containsKey("key") ? note(v0.get("key"), 60) : 60;
                    double keytrack = doubleValue(v0, "pitch_keytrack", 100);
                    double pitch = (played - keycenter) * keytrack / 100 + doubleValue(v0, "tune", 0) / 100
                            + doubleValue(v0, "transpose", 0);
                    layers.add(new ParsedKit.Layer(Math.min(min, max), Math.max(min, max), clamp(gain, 0f, 16f),
                            (float) clampD(pitch, -24, 24), List.copyOf(samples)));
                }
                if (layers.isEmpty()) {
                    continue;
                }
                long g = longValue(r0, "group", 0);
                int choke = 0;
                if (g != 0 && choking.contains(g)) {
                    long rootGroup = find(parent, g);
                    Integer id = chokeIds.get(rootGroup);
                    if (id == null && chokeIds.size() < 16) {
                        id = chokeIds.size() + 1;
                        chokeIds.put(rootGroup, id);
                    }
                    choke = id == null ? 0 : id;
                }
                float pan = (float) clampD(doubleValue(r0, "pan", 0) / 100, -1, 1);
                String name = baseName(r0.get("sample")) + (lo == hi ? " (key " + lo + ")" : " (keys " + lo + "-" + hi + ")");
                out.add(new ParsedKit.Instrument(name, played, 1f, pan, choke, 0f, false, layers));
            }
            return out;
        }

        Path samplePath(Map<String, String> r) {
            String s = r.getOrDefault("default_path", "") + r.get("sample");
            s = s.replace('\\', '/');
            try {
                Path abs = dir.resolve(s).normalize();
                return LibraryFolder.resolveInside(root, root.relativize(abs).toString());
            } catch (LibraryException | IllegalArgumentException e) {
                warnings.add("SFZ: sample '" + LibraryFolder.printable(s) + "' refused: outside the kit folder");
                return null;
            }
        }

        int note(String v, int dflt) {
            if (v == null || v.isEmpty()) {
                return dflt;
            }
            String t = v.trim().toLowerCase(Locale.ROOT);
            try {
                int n = Integer.parseInt(t);
                return n >= 0 && n <= 127 ? n : dflt;
            } catch (NumberFormatException e) {
                // a note name such as c4 or f#3
            }
            if (t.isEmpty() || "cdefgab".indexOf(t.charAt(0)) < 0) {
                warnings.add("SFZ: '" + LibraryFolder.printable(v) + "' is not a note; using " + dflt);
                return dflt;
            }
            int[] base = {0, 2, 4, 5, 7, 9, 11};
            int semis = base["cdefgab".indexOf(t.charAt(0))];
            int i = 1;
            if (i < t.length() && t.charAt(i) == '#') {
                semis++;
                i++;
            } else if (i < t.length() && t.charAt(i) == 'b') {
                semis--;
                i++;
            }
            try {
                int octave = Integer.parseInt(t.substring(i));
                int n = (octave + 1) * 12 + semis;
                if (n >= 0 && n <= 127) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // falls through
            }
            warnings.add("SFZ: '" + LibraryFolder.printable(v) + "' is not a note; using " + dflt);
            return dflt;
        }

        double doubleValue(Map<String, String> r, String key, double dflt) {
            String v = r.get(key);
            if (v == null) {
                return dflt;
            }
            try {
                double d = Double.parseDouble(v.trim());
                if (Double.isFinite(d)) {
                    return d;
                }
            } catch (NumberFormatException e) {
                // falls through
            }
            warnings.add("SFZ: " + key + "='" + LibraryFolder.printable(v) + "' is not a number; using " + dflt);
            return dflt;
        }

        long longValue(Map<String, String> r, String key, long dflt) {
            double d = doubleValue(r, key, dflt);
            return d >= -1e15 && d <= 1e15 ? (long) d : dflt;
        }

        static long find(Map<Long, Long> parent, long x) {
            long r = x;
            int guard = 0;
            while (parent.containsKey(r) && parent.get(r) != r && guard++ < 100_000) {
                r = parent.get(r);
            }
            return r;
        }

        static void union(Map<Long, Long> parent, long a, long b) {
            long ra = find(parent, a);
            long rb = find(parent, b);
            parent.putIfAbsent(ra, ra);
            parent.putIfAbsent(rb, rb);
            if (ra != rb) {
                parent.put(Math.max(ra, rb), Math.min(ra, rb));
            }
        }
    }

    static String stripComments(String s) {
        StringBuilder b = new StringBuilder(s.length());
        int i = 0;
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == '/' && i + 1 < n && s.charAt(i + 1) == '/') {
                while (i < n && s.charAt(i) != '\n') {
                    i++;
                }
            } else if (c == '/' && i + 1 < n && s.charAt(i + 1) == '*') {
                int end = s.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                b.append(' ');
            } else {
                b.append(c);
                i++;
            }
        }
        return b.toString();
    }

    static String quoted(String s) {
        if (s.length() >= 2 && s.charAt(0) == '"') {
            int end = s.indexOf('"', 1);
            return end > 1 ? s.substring(1, end) : null;
        }
        return null;
    }

    static String baseName(String sample) {
        String s = sample.replace('\\', '/');
        int slash = s.lastIndexOf('/');
        s = slash >= 0 ? s.substring(slash + 1) : s;
        int dot = s.lastIndexOf('.');
        return dot > 0 ? s.substring(0, dot) : s;
    }

    static float clamp(float v, float lo, float hi) {
        return v < lo ? lo : Math.min(v, hi);
    }

    static double clampD(double v, double lo, double hi) {
        return v < lo ? lo : Math.min(v, hi);
    }
}
