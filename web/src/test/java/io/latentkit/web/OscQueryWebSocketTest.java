package io.latentkit.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latentkit.core.DrumClass;
import io.latentkit.core.namespace.Access;
import io.latentkit.core.namespace.Namespace;
import io.latentkit.core.namespace.Node;
import io.latentkit.core.namespace.NodeKind;
import io.latentkit.core.namespace.Range;
import io.latentkit.web.testkit.Osc;
import io.latentkit.web.testkit.WebRig;
import io.latentkit.web.testkit.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * OSCQuery's WebSocket side: LISTEN and IGNORE, values streamed as binary OSC, OSC from the
 * WebSocket routed as UDP's is, messages to followed methods passed on, and PATH_ADDED and
 * PATH_REMOVED when the namespace changes. Real sockets on loopback, a live engine.
 */
class OscQueryWebSocketTest {
    private static WebRig rig;

    @BeforeAll
    static void start() {
        rig = new WebRig();
    }

    @AfterAll
    static void stop() {
        rig.close();
    }

    @Test
    void aListenerOfKickGainReceivesTheValueSetOverOscAndIgnoreStopsIt() throws Exception {
        try (WsClient ws = WsClient.open(rig.httpPort())) {
            ws.command("LISTEN", "/pad/kick/gain");
            ws.command("LISTEN", "/tempo");
            // A new listener is sent the current value at once.
            assertEquals(1.0f, ws.await("/pad/kick/gain", m -> true).f(0));
            Osc.udp(rig.osc.port(), Osc.message("/pad/kick/gain", "f", 2.5f));
            Osc.Message m = ws.await("/pad/kick/gain", x -> x.f(0) == 2.5f);
            assertEquals("f", m.types());

            ws.command("IGNORE", "/pad/kick/gain");
            // A session's messages are handled in order: once /status is answered, IGNORE is in force.
            ws.send(Osc.message("/status", ""));
            ws.await("/status.reply", x -> true);
            // The tempo changes after the gain; two later snapshots come through while no gain does.
            Osc.udp(rig.osc.port(), Osc.message("/pad/kick/gain", "f", 0.5f));
            awaitFloat(rig, "/pad/kick/gain", 0.5f);
            Osc.udp(rig.osc.port(), Osc.message("/tempo", "f", 100f));
            Osc.Message t1 = awaitSkipping(ws, "/tempo", 100f);
            Osc.udp(rig.osc.port(), Osc.message("/tempo", "f", 101f));
            awaitSkipping(ws, "/tempo", 101f);
            assertEquals("/tempo", t1.address());
        } finally {
            Osc.udp(rig.osc.port(), Osc.message("/pad/kick/gain", "f", 1f));
            Osc.udp(rig.osc.port(), Osc.message("/tempo", "f", 120f));
        }
    }

    /** Waits for {@code address} at {@code value}, failing on any /pad/kick/gain message meanwhile. */
    private static Osc.Message awaitSkipping(WsClient ws, String address, float value) throws InterruptedException {
        while (true) {
            Osc.Message m = ws.messages.poll(10, TimeUnit.SECONDS);
            if (m == null) {
                throw new AssertionError("no " + address + " " + value);
            }
            if (m.address().equals("/pad/kick/gain")) {
                throw new AssertionError("a gain value arrived after IGNORE: " + m);
            }
            if (m.address().equals(address) && m.f(0) == value) {
                return m;
            }
        }
    }

    private static void awaitFloat(WebRig rig, String address, float v) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (rig.ns().find(address).floatValue() != v) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(address + " never became " + v);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void oscSentOverTheWebSocketIsRoutedAsUdpIsWithRepliesComingBack() throws Exception {
        try (WsClient ws = WsClient.open(rig.httpPort())) {
            int snare = DrumClass.SNARE.pad();
            ws.send(Osc.message("/hit/snare", "fi", 0.9f, 4242));
            Osc.Message started = ws.await("/started", m -> ((Integer) m.args().get(0)) == 4242);
            assertEquals(snare, started.args().get(1), "the snare's voice started");
            ws.send(Osc.message("/status", ""));
            Osc.Message status = ws.await("/status.reply", m -> true);
            assertEquals(48_000, status.args().get(3));
            ws.send(Osc.message("/notify", "i", 1));
            ws.await("/done", m -> "/notify".equals(m.args().get(0)));
            ws.send(Osc.message("/hit", "if", 0, 0.5f));
            ws.await("/meter/l", m -> m.f(0) > 0f);
            ws.send(Osc.message("/kit/list", ""));
            Osc.Message kits = ws.await("/kit/list.reply", m -> true);
            assertEquals("clicks", kits.args().get(0));
            ws.send(Osc.message("/no/such/address", ""));
            ws.await("/fail", m -> "/no/such/address".equals(m.args().get(0)));
        }
    }

    @Test
    void messagesToAFollowedMethodWithoutAValueArePassedOnFromAnyTransport() throws Exception {
        try (WsClient a = WsClient.open(rig.httpPort()); WsClient b = WsClient.open(rig.httpPort())) {
            a.command("LISTEN", "/hit/clap");
            // A LISTEN is in force once a later message of the same session is handled.
            a.command("LISTEN", "/tempo");
            a.await("/tempo", m -> true);
            b.send(Osc.message("/hit/clap", "f", 0.7f));
            Osc.Message fromWs = a.await("/hit/clap", m -> true);
            assertEquals(0.7f, fromWs.f(0));
            Osc.udp(rig.osc.port(), Osc.message("/hit/*", "f", 0.3f));
            Osc.Message fromPattern = a.await("/hit/clap", m -> m.f(0) == 0.3f);
            assertEquals("/hit/clap", fromPattern.address(), "re-addressed from the pattern to the method");
        }
    }

    @Test
    void pathAddedAndRemovedWhenTheNamespaceChanges() throws Exception {
        Namespace before = rig.ns();
        try (WsClient ws = WsClient.open(rig.httpPort())) {
            ws.command("LISTEN", "/tempo");
            ws.await("/tempo", m -> true);
            Namespace.Builder b = Namespace.builder(before.board());
            before.nodes().forEach(b::add);
            int slot = before.board().reserve(1);
            before.board().publish(slot, 0.25f);
            b.add(Node.builder("/latent/amount", NodeKind.VALUE).types("f").ranges(Range.clamped(0, 1))
                    .description("a node a feature adds while serving").access(Access.READ_WRITE)
                    .value(before.board(), slot).setter((v, at) -> true).build());
            rig.namespace.set(b.build());
            JsonNode added = json(ws.texts.poll(10, TimeUnit.SECONDS));
            assertEquals("PATH_ADDED", added.get("COMMAND").asText());
            assertEquals("/latent/amount", added.get("DATA").asText());
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(rig.base() + "/latent/amount?VALUE")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("{\"VALUE\":[0.25]}", r.body());
            ws.command("LISTEN", "/latent/amount");
            assertEquals(0.25f, ws.await("/latent/amount", m -> true).f(0));

            rig.namespace.set(before);
            JsonNode removed = json(ws.texts.poll(10, TimeUnit.SECONDS));
            assertEquals("PATH_REMOVED", removed.get("COMMAND").asText());
            assertEquals("/latent/amount", removed.get("DATA").asText());
            assertTrue(ws.texts.isEmpty());
        } finally {
            rig.namespace.set(before);
        }
    }

    private static JsonNode json(String s) throws Exception {
        assertTrue(s != null, "no text message within 10 s");
        return new ObjectMapper().readTree(s);
    }
}
