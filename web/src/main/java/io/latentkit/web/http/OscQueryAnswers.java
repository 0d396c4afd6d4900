package io.latentkit.web.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latentkit.core.namespace.Namespace;
import io.latentkit.core.namespace.Node;
import io.latentkit.osc.query.OscQueryTree;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The answers of OSCQuery's HTTP side (the Vidvox proposal): {@code GET /path} is the tree of that
 * node or container, {@code GET /path?ATTRIBUTE} one attribute of it, {@code GET /?HOST_INFO} the
 * host's description; with the proposal's codes: 404 for a path nothing lies at, 400 for an
 * attribute it does not define (or this server does not support), 204 for {@code VALUE} of a node
 * whose value cannot be read, and an empty object for an attribute the node does not have (a
 * container's {@code TYPE}) or a readable value not known yet.
 *
 * <p>Stateless apart from the namespace source; any thread.
 */
public final class OscQueryAnswers {
    /** An HTTP answer: status and JSON body (empty for 204). */
    public record Answer(int status, String json) {
    }

    /** Attributes a node object may carry and a client may ask for one at a time. */
    static final Set<String> ATTRIBUTES = Set.of("FULL_PATH", "CONTENTS", "TYPE", "ACCESS", "VALUE", "RANGE",
            "DESCRIPTION", "UNIT", "CLIPMODE", "DEFAULT");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<Namespace> namespace;
    private final Supplier<ObjectNode> hostInfo;

    /**
     * @param namespace the namespace now (read at every request, so a swapped namespace shows at once)
     * @param hostInfo the {@code HOST_INFO} object for this request
     */
    public OscQueryAnswers(Supplier<Namespace> namespace, Supplier<ObjectNode> hostInfo) {
        this.namespace = namespace;
        this.hostInfo = hostInfo;
    }

    /**
     * The answer to {@code GET path?query}.
     *
     * @param path the decoded URL path
     * @param query the raw query ({@code null} for none); {@code VALUE}, {@code HOST_INFO}, ...
     */
    public Answer answer(String path, String query) {
        String attribute = query == null || query.isEmpty() ? null : query;
        if ("HOST_INFO".equals(attribute)) {
            return ok(hostInfo.get()); // the path is irrelevant for HOST_INFO
        }
        if (attribute != null && !ATTRIBUTES.contains(attribute)) {
            return new Answer(400, error("unknown attribute " + attribute));
        }
        Namespace ns = namespace.get();
        String p = path == null || path.isEmpty() ? "/" : path;
        if (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        ObjectNode tree = OscQueryTree.of(ns, true);
        ObjectNode at = OscQueryTree.find(tree, p);
        if (at == null) {
            return new Answer(404, error("no node at " + p));
        }
        if (attribute == null) {
            return ok(at);
        }
        if (attribute.equals("VALUE")) {
            Node n = ns.find(p);
            if (n == null || !n.access().readable() || !n.hasValue()) {
                return new Answer(204, "");
            }
        }
        ObjectNode one = JSON.createObjectNode();
        JsonNode v = at.get(attribute);
        if (v != null) {
            one.set(attribute, v);
        }
        return ok(one);
    }

    private static Answer ok(JsonNode body) {
        try {
            return new Answer(200, JSON.writeValueAsString(body));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String error(String message) {
        ObjectNode o = JSON.createObjectNode();
        o.put("ERROR", message);
        return o.toString();
    }
}
