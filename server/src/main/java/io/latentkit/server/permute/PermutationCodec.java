package io.latentkit.server.permute;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latentkit.core.DrumClass;
import io.latentkit.core.permute.PadPermutation;
import io.latentkit.core.permute.PermutedKits;
import java.util.Map;

/**
 * The JSON form of the pads' permutations, as a preset's {@code permutations} extension and in a
 * recorded session's replay: an object keyed by pad class name holding only the permuted pads,
 * each {@code {"stretch": f, "reverse": b, "splice": pad}} ({@code splice} absent for none).
 *
 * <p>Threading: stateless; any thread.
 */
public final class PermutationCodec {
    /** The preset extension that holds the permutations. */
    public static final String EXTENSION = "permutations";
    private static final ObjectMapper JSON = new ObjectMapper();

    private PermutationCodec() {
    }

    /** {@code perms} as JSON, or {@code null} when no pad is permuted. */
    public static ObjectNode toJson(PadPermutation[] perms) {
        ObjectNode o = JSON.createObjectNode();
        for (int i = 0; i < perms.length; i++) {
            PadPermutation p = perms[i];
            if (p.isNone()) {
                continue;
            }
            ObjectNode pad = o.putObject(DrumClass.ofPad(i).oscName());
            pad.put("stretch", p.stretchFactor());
            pad.put("reverse", p.reversed());
            if (p.spliceTailPad() >= 0) {
                pad.put("splice", p.spliceTailPad());
            }
        }
        return o.isEmpty() ? null : o;
    }

    /**
     * Permutations from JSON; pads it does not name are unpermuted.
     *
     * @throws IllegalArgumentException with the reason for an unknown pad or a value out of range
     */
    public static PadPermutation[] fromJson(JsonNode json) {
        PadPermutation[] perms = PermutedKits.none();
        if (json == null || json.isNull()) {
            return perms;
        }
        if (!json.isObject()) {
            throw new IllegalArgumentException("permutations must be an object keyed by pad name");
        }
        for (Map.Entry<String, JsonNode> e : json.properties()) {
            DrumClass c = DrumClass.fromName(e.getKey());
            if (c == null) {
                throw new IllegalArgumentException("permutations: unknown pad '" + e.getKey() + "'");
            }
            JsonNode p = e.getValue();
            double stretch = p.path("stretch").asDouble(1.0);
            int splice = p.has("splice") ? p.get("splice").asInt(-1) : -1;
            try {
                perms[c.pad()] = new PadPermutation((float) stretch, p.path("reverse").asBoolean(false), splice);
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("permutations of " + e.getKey() + ": " + ex.getMessage());
            }
        }
        return perms;
    }
}
