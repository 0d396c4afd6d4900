package io.latentkit.osc.query;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latentkit.core.kit.PadParam;
import io.latentkit.core.namespace.Namespace;
import io.latentkit.core.namespace.Node;
import io.latentkit.core.namespace.NodeKind;
import io.latentkit.core.namespace.Range;
import java.util.List;
import java.util.ArrayList;

/**
 * The control namespace as an OSCQuery tree (the Vidvox proposal): one JSON object per address part
 * with {@code FULL_PATH} and {@code CONTENTS}, and on every node that takes messages its
 * {@code TYPE}, {@code RANGE}, {@code CLIPMODE}, {@code ACCESS}, {@code DESCRIPTION},
 * {@code UNIT} and, where it has one, {@code VALUE}. Containers that are not nodes themselves carry
 * {@code ACCESS 0}. Pad parameters also carry {@code DEFAULT}, a latentkit attribute (the value of a
 * fresh pad, one per argument like {@code VALUE}), which the web console's double-click reset uses.
 * Addresses the server only sends (replies, telemetry) are not part of it.
 *
 * <p>Stateless; any thread. Values are read from the namespace at the time of the call.
 */
public final class OscQueryTree {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    private OscQueryTree() {
    }

    /** The whole tree, with current values when {@code withValues}. */
    public static ObjectNode of(Namespace ns, boolean withValues) {
        ObjectNode root = container("/");
        root.put("DESCRIPTION", "latentkit: every control of the instrument");
        for (Node n : ns.nodes()) {
            if (n.kind() == NodeKind.OUTPUT) {
                continue;
            }
            ObjectNode at = root;
            String[] parts = n.address().substring(1).split("/");
            StringBuilder path = new StringBuilder();
            for (String part : parts) {
                path.append('/').append(part);
                ObjectNode contents = (ObjectNode) at.get("CONTENTS");
                if (contents == null) {
                    contents = at.putObject("CONTENTS");
                }
                ObjectNode child = (ObjectNode) contents.get(part);
                if (child == null) {
                    child = container(path.toString());
                    contents.set(part, child);
                }
                at = child;
            }
            describe(at, n, withValues);
        }
        return root;
    }

    /** The tree as pretty-printed JSON text. */
    public static String json(Namespace ns, boolean withValues) {
        try {
            return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(of(ns, withValues));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The object of {@code path} in {@code tree} (a tree from {@link #of}), or {@code null} when no
     * node or container lies there. {@code "/"} is the root; a trailing slash is ignored.
     */
    public static ObjectNode find(ObjectNode tree, String path) {
        if (path == null || !path.startsWith("/")) {
            return null;
        }
        ObjectNode at = tree;
        for (String part : path.substring(1).split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            JsonNode contents = at.get("CONTENTS");
            JsonNode child = contents == null ? null : contents.get(part);
            if (!(child instanceof ObjectNode)) {
                return null;
            }
            at = (ObjectNode) child;
        }
        return at;
    }

    /** Every address in {@code tree} (nodes and containers, the root included), depth first. */
    public static List<String> paths(ObjectNode tree) {
        List<String> out = new ArrayList<>();
        collect(tree, out);
        return out;
    }

    private static void collect(JsonNode o, List<String> out) {
        out.add(o.get("FULL_PATH").asText());
        JsonNode contents = o.get("CONTENTS");
        if (contents != null) {
            contents.forEach(child -> collect(child, out));
        }
    }

    private static ObjectNode container(String fullPath) {
        ObjectNode o = F.objectNode();
        o.put("FULL_PATH", fullPath);
        o.put("ACCESS", 0);
        return o;
    }

    /** Puts a node's attributes on its tree object (which may also hold CONTENTS). */
    static void describe(ObjectNode o, Node n, boolean withValues) {
        o.put("DESCRIPTION", n.description());
        o.put("ACCESS", n.access().oscQueryCode());
        if (!n.types().isEmpty()) {
            o.put("TYPE", n.types());
            ArrayNode ranges = o.putArray("RANGE");
            ArrayNode clip = o.putArray("CLIPMODE");
            for (int i = 0; i < n.types().length(); i++) {
                Range r = i < n.ranges().size() ? n.ranges().get(i) : Range.ANY;
                ranges.add(range(r));
                clip.add(r.isAny() || r.min() == null && r.max() == null ? "none" : r.clamps() ? "both" : "none");
            }
            if (n.unit() != null && !n.unit().isEmpty()) {
                // One unit per argument; the node's unit is its first argument's.
                ArrayNode units = o.putArray("UNIT");
                units.add(n.unit());
                for (int i = 1; i < n.types().length(); i++) {
                    units.addNull();
                }
            }
            if (n.kind() == NodeKind.PAD_PARAM && n.param() >= 0) {
                o.putArray("DEFAULT").add(PadParam.ofOrdinal(n.param()).defaultValue());
            }
        }
        if (withValues && n.hasValue()) {
            List<Object> v = n.value();
            if (!v.isEmpty()) {
                o.set("VALUE", JSON.valueToTree(v));
            }
        }
    }

    private static JsonNode range(Range r) {
        if (r.isAny()) {
            return F.nullNode();
        }
        ObjectNode o = F.objectNode();
        if (r.min() != null) {
            o.put("MIN", r.min());
        }
        if (r.max() != null) {
            o.put("MAX", r.max());
        }
        if (!r.values().isEmpty()) {
            o.set("VALS", JSON.valueToTree(r.values()));
        }
        return o;
    }
}
