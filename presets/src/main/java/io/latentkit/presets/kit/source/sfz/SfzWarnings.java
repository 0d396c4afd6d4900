package io.latentkit.presets.kit.source.sfz;

import io.latentkit.presets.LibraryFolder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The warnings of one SFZ parse, each said once: a message repeated by many regions is kept once
 * with a count, unsupported opcodes and headers are gathered into one line each, and the list is
 * bounded so a hostile file cannot flood the manifest.
 *
 * <p>One parse, one thread.
 */
final class SfzWarnings {
    static final int MAX_MESSAGES = 40;

    private final Map<String, Integer> messages = new LinkedHashMap<>();
    private final Set<String> opcodes = new TreeSet<>();
    private final Set<String> headers = new TreeSet<>();
    private final List<String> refused = new ArrayList<>();
    private final Set<String> refusedSeen = new TreeSet<>();

    /** A message (printable text only), counted when repeated. */
    void add(String message) {
        Integer n = messages.get(message);
        if (n != null) {
            messages.put(message, n + 1);
        } else if (messages.size() < MAX_MESSAGES) {
            messages.put(message, 1);
        } else {
            messages.merge("further warnings left out", 1, Integer::sum);
        }
    }

    void unsupportedOpcode(String name) {
        if (opcodes.size() < 200) {
            opcodes.add(LibraryFolder.printable(name));
        }
    }

    void unsupportedHeader(String name) {
        if (headers.size() < 50) {
            headers.add(LibraryFolder.printable(name));
        }
    }

    /** A sample the kit cannot use, with the reason; also a warning. */
    void refused(String sample, String why) {
        String line = "'" + LibraryFolder.printable(sample) + "': " + why;
        if (refusedSeen.add(line)) {
            refused.add(line);
            add("SFZ: sample '" + LibraryFolder.printable(sample) + "' refused: " + why);
        }
    }

    List<String> refused() {
        return List.copyOf(refused);
    }

    List<String> list() {
        List<String> out = new ArrayList<>();
        if (!opcodes.isEmpty()) {
            out.add("SFZ: unsupported opcodes ignored: " + String.join(", ", opcodes));
        }
        if (!headers.isEmpty()) {
            out.add("SFZ: unsupported headers ignored: <" + String.join(">, <", headers) + ">");
        }
        messages.forEach((m, n) -> out.add(n == 1 ? m : m + " (" + n + " times)"));
        return out;
    }
}
