package io.latentkit.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latentkit.core.namespace.Node;
import io.latentkit.core.namespace.NodeKind;
import io.latentkit.web.testkit.WebRig;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** OSCQuery's HTTP side against the Vidvox proposal, over real HTTP on loopback. */
class OscQueryHttpTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static WebRig rig;

    @BeforeAll
    static void start() {
        // Walking every node is hundreds of requests in a burst; the request rate is AdmissionTest's.
        rig = new WebRig(c -> c.withRequestRate(100_000, 100_000), b -> { });
    }

    @AfterAll
    static void stop() {
        rig.close();
    }

    static HttpResponse<String> get(String pathAndQuery) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(rig.base() + pathAndQuery)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static JsonNode json(String pathAndQuery) throws Exception {
        HttpResponse<String> r = get(pathAndQuery);
        assertEquals(200, r.statusCode(), pathAndQuery + ": " + r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        return JSON.readTree(r.body());
    }

    @Test
    void everyNodeOfTheNamespaceAnswersWithTheRequiredAttributes() throws Exception {
        JsonNode root = json("/");
        assertEquals("/", root.get("FULL_PATH").asText());
        List<String> checked = new ArrayList<>();
        for (Node n : rig.ns().nodes()) {
            if (n.kind() == NodeKind.OUTPUT) {
                continue;
            }
            JsonNode o = json(path(n.address()));
            assertEquals(n.address(), o.get("FULL_PATH").asText(), n.address());
            assertTrue(o.get("DESCRIPTION").isTextual() && !o.get("DESCRIPTION").asText().isEmpty(), n.address());
            assertEquals(n.access().oscQueryCode(), o.get("ACCESS").asInt(), n.address());
            if (!n.types().isEmpty()) {
                assertEquals(n.types(), o.get("TYPE").asText(), n.address());
                assertEquals(n.types().length(), o.get("RANGE").size(), n.address() + " RANGE has one entry per type");
                assertEquals(n.types().length(), o.get("CLIPMODE").size(), n.address());
            } else {
                assertTrue(o.get("TYPE") == null, n.address() + " takes nothing: no TYPE");
            }
            if (n.access().readable() && n.slot() >= 0) {
                assertEquals(n.floatValue(), o.at("/VALUE/0").floatValue(), 1e-6f, n.address());
            }
            // The node in the whole tree is the same object as the node on its own.
            assertEquals(o, root.at(pointer(n.address())), n.address());
            checked.add(n.address());
        }
        assertTrue(checked.size() > 150, "nodes checked: " + checked.size());
        assertTrue(checked.contains("/pad/kick/gain") && checked.contains("/hit/snare") && checked.contains("/kit/load"));
    }

    @Test
    void containersHaveContentsAndAccessZero() throws Exception {
        JsonNode pad = json("/pad");
        assertEquals("/pad", pad.get("FULL_PATH").asText());
        assertEquals(0, pad.get("ACCESS").asInt());
        assertEquals("/pad/kick", pad.at("/CONTENTS/kick/FULL_PATH").asText());
        assertEquals("{}", get("/pad?TYPE").body(), "a container has no TYPE: an empty object");
    }

    @Test
    void attributeQueriesReturnThatAttributeAlone() throws Exception {
        JsonNode v = json("/pad/kick/gain?VALUE");
        assertEquals(1, v.size());
        assertEquals(1.0, v.at("/VALUE/0").asDouble());
        assertEquals("f", json("/pad/kick/gain?TYPE").get("TYPE").asText());
        assertEquals(4.0, json("/pad/kick/gain?RANGE").at("/RANGE/0/MAX").asDouble());
        assertEquals(3, json("/pad/kick/gain?ACCESS").get("ACCESS").asInt());
        assertEquals("bpm", json("/tempo?UNIT").at("/UNIT/0").asText());
        assertEquals("both", json("/pad/kick/pan?CLIPMODE").at("/CLIPMODE/0").asText());
        assertEquals(0.0, json("/pad/kick/pan?DEFAULT").at("/DEFAULT/0").asDouble());
        assertTrue(json("/hit/snare?DESCRIPTION").get("DESCRIPTION").asText().contains("plays"));
        assertEquals("/tempo", json("/tempo?FULL_PATH").get("FULL_PATH").asText());
        assertTrue(json("/hit?CONTENTS").at("/CONTENTS/snare").isObject());
    }

    @Test
    void hostInfoSaysWhereOscAndTheWebSocketAreWhateverThePath() throws Exception {
        for (String p : new String[] {"/?HOST_INFO", "/pad/kick/gain?HOST_INFO", "/no/such?HOST_INFO"}) {
            JsonNode h = json(p);
            assertEquals("latentkit", h.get("NAME").asText());
            assertEquals("127.0.0.1", h.get("OSC_IP").asText());
            assertEquals(rig.osc.port(), h.get("OSC_PORT").asInt());
            assertEquals("UDP", h.get("OSC_TRANSPORT").asText());
            assertEquals("127.0.0.1", h.get("WS_IP").asText());
            assertEquals(rig.httpPort(), h.get("WS_PORT").asInt());
            for (String ext : new String[] {"ACCESS", "VALUE", "RANGE", "DESCRIPTION", "UNIT", "CLIPMODE", "LISTEN",
                "PATH_ADDED", "PATH_REMOVED"}) {
                assertTrue(h.at("/EXTENSIONS/" + ext).asBoolean(), ext);
            }
            assertFalse(h.at("/EXTENSIONS/PATH_RENAMED").asBoolean());
            assertTrue(h.get("CONTENTS") == null, "HOST_INFO is the only thing answered");
        }
    }

    @Test
    void badPathsAndAttributesGetTheProposalsCodes() throws Exception {
        assertEquals(404, get("/no/such/node").statusCode());
        assertEquals(404, get("/pad/kick/gain/more").statusCode());
        assertEquals(404, get("/no/such/node?VALUE").statusCode());
        assertEquals(400, get("/pad/kick/gain?GABBAGABBAHEY").statusCode());
        assertEquals(400, get("/pad/kick/gain?VALUE=3").statusCode(), "setting through HTTP is not part of it");
        assertEquals(400, get("/?HTML").statusCode(), "HTML is listed as unsupported");
        HttpResponse<String> noValue = get("/hit/snare?VALUE");
        assertEquals(204, noValue.statusCode(), "a hit has no readable value");
        assertEquals("", noValue.body());
        assertEquals(204, get("/kit/load?VALUE").statusCode());
        HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(URI.create(rig.base() + "/pad/kick/gain"))
                .POST(HttpRequest.BodyPublishers.ofString("2")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode());
        assertEquals(1.0f, rig.ns().find("/pad/kick/gain").floatValue(), "nothing changed");
    }

    @Test
    void theConsoleIsServedFromTheJar() throws Exception {
        HttpResponse<String> page = get("/console");
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("/console/console.js"), page.body());
        for (String f : new String[] {"console.js", "osc.js", "widgets.js", "panels.js", "console.css"}) {
            HttpResponse<String> r = get("/console/" + f);
            assertEquals(200, r.statusCode(), f);
            assertFalse(r.body().contains("http://") && r.body().contains("cdn"), f + " loads nothing from a CDN");
        }
        assertEquals(404, get("/console/missing.js").statusCode());
    }

    private static String path(String address) {
        StringBuilder b = new StringBuilder();
        for (String part : address.substring(1).split("/")) {
            b.append('/').append(URLEncoder.encode(part, StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    private static String pointer(String address) {
        return address.replace("/", "/CONTENTS/");
    }
}
