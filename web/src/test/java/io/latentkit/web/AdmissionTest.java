package io.latentkit.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.osc.transport.Cidr;
import io.latentkit.web.WebCounters.Count;
import io.latentkit.web.testkit.Osc;
import io.latentkit.web.testkit.WebRig;
import io.latentkit.web.testkit.WsClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import java.net.http.WebSocketHandshakeException;

/**
 * Admission of the web surface: the allowlist (a client on a second loopback address, 127.0.0.2,
 * stands for another host), Host and Origin checks, the per-host request rate, sessions per host,
 * and WebSocket clients cut off for oversized messages or floods without harm to the other
 * sessions or to the audio.
 */
class AdmissionTest {
    private static String statusLine(int port, String from, String hostHeader) throws Exception {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.connect(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 5_000);
            s.setSoTimeout(5_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET /?HOST_INFO HTTP/1.1\r\nHost: " + hostHeader + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    @Test
    void aHostOutsideTheAllowlistIsRefusedAndAnAllowedOneServed() throws Exception {
        InetAddress any = InetAddress.getByName("0.0.0.0");
        try (WebRig rig = new WebRig(c -> c.withBind(any, List.of(Cidr.parse("127.0.0.1/32"))), b -> { })) {
            int port = rig.httpPort();
            assertTrue(statusLine(port, "127.0.0.2", "127.0.0.1").contains(" 403"), "127.0.0.2 is not allowed");
            assertTrue(statusLine(port, "127.0.0.1", "127.0.0.1").contains(" 200"));
            assertEquals(1, rig.web.counters().get(Count.NOT_ALLOWED));
        }
        try (WebRig rig = new WebRig(c -> c.withBind(any, List.of(Cidr.parse("127.0.0.0/30"))), b -> { })) {
            assertTrue(statusLine(rig.httpPort(), "127.0.0.2", "127.0.0.1").contains(" 200"), "now 127.0.0.2 is");
        }
    }

    @Test
    void aBindBeyondLoopbackWithoutAnAllowlistIsAUsageError() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WebConfig.fromOptions(null, "0.0.0.0", null, false));
        assertTrue(e.getMessage().contains("--http-allow"), e.getMessage());
        IllegalArgumentException m = assertThrows(IllegalArgumentException.class,
                () -> WebConfig.fromOptions(null, null, null, true));
        assertTrue(m.getMessage().contains("--mdns"), m.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WebConfig.fromOptions(null, "example.org", null, false));
    }

    @Test
    void anotherSitesHostOrOriginIsRefused() throws Exception {
        try (WebRig rig = new WebRig()) {
            assertTrue(statusLine(rig.httpPort(), "127.0.0.1", "evil.example:" + rig.httpPort()).contains(" 403"),
                    "a DNS-rebound name is not this machine");
            assertTrue(statusLine(rig.httpPort(), "127.0.0.1", "localhost:" + rig.httpPort()).contains(" 200"));
            CompletionException e = assertThrows(CompletionException.class,
                    () -> WsClient.open(rig.httpPort(), "http://evil.example"));
            assertTrue(e.getCause() instanceof WebSocketHandshakeException, String.valueOf(e.getCause()));
            assertEquals(403, ((WebSocketHandshakeException) e.getCause()).getResponse().statusCode());
            assertEquals(2, rig.web.counters().get(Count.BAD_HOST), "the Host header and the Origin");
            try (WsClient own = WsClient.open(rig.httpPort(), "http://127.0.0.1:" + rig.httpPort())) {
                own.command("LISTEN", "/tempo");
                own.await("/tempo", m -> true);
            }
        }
    }

    @Test
    void aHostOverItsRequestRateGets429() throws Exception {
        try (WebRig rig = new WebRig(c -> c.withRequestRate(1, 5), b -> { })) {
            int ok = 0;
            int limited = 0;
            for (int i = 0; i < 20; i++) {
                String line = statusLine(rig.httpPort(), "127.0.0.1", "127.0.0.1");
                if (line.contains(" 200")) {
                    ok++;
                } else if (line.contains(" 429")) {
                    limited++;
                }
            }
            assertTrue(ok >= 5 && ok <= 7, "the burst and what refilled meanwhile: " + ok);
            assertEquals(20 - ok, limited);
        }
    }

    @Test
    void aHostMayHoldOnlySoManySessions() throws Exception {
        try (WebRig rig = new WebRig(c -> c.withLimits(64, 2, 64 * 1024), b -> { });
             WsClient a = WsClient.open(rig.httpPort()); WsClient b = WsClient.open(rig.httpPort())) {
            b.command("LISTEN", "/tempo");
            b.await("/tempo", m -> true);
            assertThrows(CompletionException.class, () -> WsClient.open(rig.httpPort()));
            assertEquals(1, rig.web.counters().get(Count.TOO_MANY_SESSIONS));
            a.disconnect();
            awaitCount(rig, Count.SESSIONS_CLOSED, 1);
            try (WsClient c = WsClient.open(rig.httpPort())) {
                c.command("LISTEN", "/tempo");
                c.await("/tempo", m -> true);
            }
        }
    }

    @Test
    void anOversizedMessageClosesItsSessionAndNobodyElsesNorTheAudio() throws Exception {
        try (WebRig rig = new WebRig(c -> c.withLimits(64, 16, 1024), b -> { });
             WsClient good = WsClient.open(rig.httpPort()); WsClient big = WsClient.open(rig.httpPort())) {
            good.command("LISTEN", "/pad/snare/pitch");
            good.await("/pad/snare/pitch", m -> true);
            long frames = rig.engine.counters().framePosition();
            big.send(new byte[4096]);
            assertEquals(1009, big.closed.get(10, TimeUnit.SECONDS), "closed as too large");
            good.send(Osc.message("/pad/snare/pitch", "f", 3f));
            assertEquals(3f, good.await("/pad/snare/pitch", m -> m.f(0) == 3f).f(0));
            awaitFrames(rig, frames + 4_800);
            assertEquals(1, rig.web.counters().get(Count.OVERSIZE_CUTOFFS));
            assertEquals(0L, rig.engine.renderErrors());
        }
    }

    @Test
    void aFloodingSessionIsCutOffWhileAnotherKeepsPlaying() throws Exception {
        try (WebRig rig = new WebRig(c -> c.withMessageRate(200, 50), b -> { });
             WsClient good = WsClient.open(rig.httpPort()); WsClient flood = WsClient.open(rig.httpPort())) {
            good.command("LISTEN", "/pad/kick/pitch");
            good.await("/pad/kick/pitch", m -> true);
            long frames = rig.engine.counters().framePosition();
            byte[] hit = Osc.message("/hit", "if", 2, 0.1f);
            int sent = 0;
            try {
                for (; sent < 5_000 && !flood.closed.isDone(); sent++) {
                    flood.send(hit);
                }
            } catch (CompletionException expectedOnceClosed) {
                // the server closed the flooding session while it was still sending
            }
            assertEquals(1008, flood.closed.get(10, TimeUnit.SECONDS), "closed as a policy violation after " + sent);
            assertEquals(1, rig.web.counters().get(Count.FLOOD_CUTOFFS));
            good.send(Osc.message("/pad/kick/pitch", "f", -2f));
            assertEquals(-2f, good.await("/pad/kick/pitch", m -> m.f(0) == -2f).f(0));
            good.send(Osc.message("/hit/kick", "fi", 1f, 77));
            good.await("/started", m -> ((Integer) m.args().get(0)) == 77);
            awaitFrames(rig, frames + 4_800);
            assertEquals(0L, rig.engine.renderErrors());
        }
    }

    private static void awaitFrames(WebRig rig, long frame) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (rig.engine.counters().framePosition() < frame) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the render thread stalled");
            }
            Thread.sleep(10);
        }
    }

    private static void awaitCount(WebRig rig, Count c, long n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (rig.web.counters().get(c) < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(c + " never reached " + n);
            }
            Thread.sleep(10);
        }
    }
}
