package io.latentkit.presets.kit.source;

import io.latentkit.presets.LibraryException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A kit source (a Hydrogen {@code drumkit.xml}, an SFZ file, a folder) that cannot be imported:
 * malformed, unsupported, or with nothing playable in it. Always
 * {@link LibraryException.Kind#BAD_INPUT}, with a one-line reason. The parsers let nothing else
 * out for any input.
 *
 * <p>Immutable; any thread.
 */
public final class KitFormatException extends LibraryException {
    private static final long serialVersionUID = 1L;

    public KitFormatException(String reason) {
        super(Kind.BAD_INPUT, reason);
    }

    public KitFormatException(String reason, Throwable cause) {
        super(Kind.BAD_INPUT, reason, cause);
    }

    /**
     * The refused samples for the end of a one-line message, grouped by reason: {@code ": 3
     * samples refused: outside the kit folder: 'a.wav', 'b.wav'; missing: 'c.wav'"}, at most
     * {@value #MAX_LISTED} named; empty if none.
     *
     * @param refused entries of the form {@code 'NAME': REASON}
     */
    public static String refusals(List<String> refused) {
        if (refused.isEmpty()) {
            return "";
        }
        Map<String, List<String>> byReason = new LinkedHashMap<>();
        for (String r : refused) {
            int split = r.indexOf("': ");
            String name = split < 0 ? r : r.substring(0, split + 1);
            String reason = split < 0 ? "refused" : r.substring(split + 3);
            byReason.computeIfAbsent(reason.replaceAll("[\\r\\n]+", " "), k -> new ArrayList<>()).add(name);
        }
        StringBuilder b = new StringBuilder(": ").append(refused.size())
                .append(refused.size() == 1 ? " sample refused: " : " samples refused: ");
        int listed = 0;
        String sep = "";
        for (Map.Entry<String, List<String>> e : byReason.entrySet()) {
            if (listed >= MAX_LISTED) {
                break;
            }
            b.append(sep).append(e.getKey()).append(": ");
            List<String> names = e.getValue();
            for (int i = 0; i < names.size() && listed < MAX_LISTED; i++, listed++) {
                b.append(i == 0 ? "" : ", ").append(names.get(i));
            }
            sep = "; ";
        }
        if (refused.size() > listed) {
            b.append("; and ").append(refused.size() - listed).append(" more");
        }
        return b.toString();
    }

    /** Most refused samples one message names. */
    public static final int MAX_LISTED = 5;
}
