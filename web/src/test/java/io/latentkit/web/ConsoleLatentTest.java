package io.latentkit.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.microsoft.playwright.Browser;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Mouse;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.BoundingBox;
import com.microsoft.playwright.options.WaitForSelectorState;
import io.latentkit.core.DrumClass;
import io.latentkit.core.audio.AudioDecoder;
import io.latentkit.core.kit.Sample;
import io.latentkit.engine.control.EngineSnapshot;
import io.latentkit.models.InferenceWorker;
import io.latentkit.models.Models;
import io.latentkit.models.latent.LatentPadState;
import io.latentkit.web.testkit.Browsers;
import io.latentkit.web.testkit.Osc;
import io.latentkit.web.testkit.WebRig;
import io.latentkit.web.testkit.WsClient;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The console's latent XY pad in a real browser (Debian's Chromium through Playwright) against a
 * live server with real latent pads (the latent agent on an inference worker with the shipped VAE):
 * setting a corner from the page reaches the server, dragging the XY pad moves the pad's position
 * on the server and its next hit after {@code /latent/ready} plays the new sound (the recorded output
 * from the hit's first frame is the pad's new decode times one gain, to float precision, and not the
 * sound before the drag), a move sent over
 * UDP OSC moves the dot on every console, and revert hands the pad back to its sample. Also the
 * OSCQuery side with a plain WebSocket client: a pad turning latent changes values, not the tree.
 * Everything is checked on the server's side (its namespace values, the latent agent's published
 * state, the engine's kit), not on the page's own. Screenshots go to {@code target/console-artefacts/}.
 */
class ConsoleLatentTest {
    private static final int CLAP = DrumClass.CLAP.pad();
    private static final int PERC = DrumClass.PERC.pad();
    private static final int TOM = DrumClass.TOM_LOW.pad();
    private static final int RIM = DrumClass.RIM.pad();
    @TempDir
    static Path sounds;
    @TempDir
    static Path recordings;
    private static InferenceWorker worker;
    private static WebRig rig;
    private static Playwright pw;
    private static Browser browser;

    @BeforeAll
    static void start() {
        worker = new InferenceWorker(Models.loadDefault());
        rig = WebRig.withLatent(worker, sounds);
        pw = Browsers.playwright();
        browser = Browsers.chromium(pw);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
        if (pw != null) {
            pw.close();
        }
        rig.close();
        worker.close();
    }

    private static Page open(BrowserContext context) {
        Page page = context.newPage();
        page.navigate(rig.base() + "/console");
        page.waitForSelector("body[data-ready=true].online");
        return page;
    }

    @Test
    void draggingTheLatentXyPadMovesThePadOnTheServerAndItsNextHitPlaysTheNewSound() throws Exception {
        Path wav = recordings.resolve("drag.wav");
        Sample atOrigin;
        Sample moved;
        long started;
        // A rig of its own that records what it plays, so the hit's sound can be compared with the decode.
        try (WebRig own = WebRig.recordingWithLatent(worker, sounds, wav);
             BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1100, 1400));
             DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Page page = context.newPage();
            page.navigate(own.base() + "/console");
            page.waitForSelector("body[data-ready=true].online");
            page.click(".pad[data-pad=clap]");
            page.waitForSelector(".xy[data-pad='" + CLAP + "'][data-active='0']");
            assertEquals("plays its sample", page.textContent("#latent-state"));
            Sample kitSound = liveSample(own, CLAP);

            // A corner set from the page reaches the server: the pad turns latent with that corner.
            page.fill("#latent .anchors input[data-corner='3']", "random");
            page.click("#latent .anchors .command[data-corner='3'] .send");
            awaitTrue(() -> anchor(own, CLAP, 3).equals("random"), "corner 3 of the clap pad is random on the server");
            assertEquals("pad:" + CLAP, anchor(own, CLAP, 0), "the other corners are the pad's own sound");
            page.waitForSelector(".xy[data-pad='" + CLAP + "'][data-active='1']");
            page.waitForSelector(".xy .corner.c3:text-is('random')");
            assertEquals("latent", page.textContent("#latent-state"));
            awaitTrue(() -> liveSample(own, CLAP) != kitSound, "the latent pad plays a decode");
            atOrigin = liveSample(own, CLAP);

            // Drag to the top right corner (x 1, y 1: all of corner 3).
            BoundingBox b = page.locator("#latent .xy").boundingBox();
            page.mouse().move(b.x + b.width / 2, b.y + b.height / 2);
            page.mouse().down();
            page.mouse().move(b.x + b.width * 0.97, b.y + b.height * 0.03, new Mouse.MoveOptions().setSteps(8));
            page.mouse().up();
            awaitTrue(() -> own.ns().find("/latent/" + CLAP + "/x").floatValue() > 0.9f
                    && own.ns().find("/latent/" + CLAP + "/y").floatValue() > 0.9f, "the server's position moved");
            // Every move the page sent gets its /latent/ready: the newest sound is live.
            page.waitForFunction("() => { const l = window.latentkit.panels.latent; "
                    + "return l.latency.ms.length > 0 && l.pending() === 0; }");
            long readyFrame = ((Number) page.evaluate("window.latentkit.panels.latent.readyFrame()")).longValue();
            moved = liveSample(own, CLAP);
            assertNotSame(atOrigin, moved, "a new sound is live");
            assertFalse(Arrays.equals(atOrigin.left(), moved.left()), "the new sound differs from the one at (0, 0)");

            // The next hit after /latent/ready: its voice starts after the frame the sound went live.
            send(own, udp, Osc.message("/hit", "ifi", CLAP, 1f, 4242));
            List<Object> reply = receive(udp, "/started");
            assertEquals(List.of(4242, CLAP), reply.subList(0, 2));
            started = ((Number) reply.get(2)).longValue();
            assertTrue(started >= readyFrame, "the hit came after the sound went live");
            awaitTrue(() -> own.engine.counters().framePosition() > started + moved.frames() + 4800, "the hit rendered");

            Files.createDirectories(Browsers.artefact("x").getParent());
            page.screenshot(new Page.ScreenshotOptions().setPath(Browsers.artefact("console-latent.png")).setFullPage(true));
            assertTrue(Files.size(Browsers.artefact("console-latent.png")) > 10_000);
        }
        // What the hit played is the new sound (scaled by the voice's gain), not the one before the drag.
        float[] out = AudioDecoder.decode(wav).channel(0);
        assertTrue(residual(out, (int) started, moved.left()) < 1e-6,
                "the recorded hit is the new sound: residual " + residual(out, (int) started, moved.left()));
        assertTrue(residual(out, (int) started, atOrigin.left()) > 1e-2,
                "and not the sound before the drag: residual " + residual(out, (int) started, atOrigin.left()));
    }

    /**
     * How much of {@code out} from {@code at} (the length of {@code sound}) is not {@code sound}
     * scaled by the best gain: the residual energy over the recorded energy, 0 for the same shape.
     */
    private static double residual(float[] out, int at, float[] sound) {
        double rs = 0;
        double ss = 0;
        double rr = 0;
        for (int i = 0; i < sound.length && at + i < out.length; i++) {
            rs += (double) out[at + i] * sound[i];
            ss += (double) sound[i] * sound[i];
            rr += (double) out[at + i] * out[at + i];
        }
        double g = ss == 0 ? 0 : rs / ss;
        double e = 0;
        for (int i = 0; i < sound.length && at + i < out.length; i++) {
            double d = out[at + i] - g * sound[i];
            e += d * d;
        }
        return rr == 0 ? 1 : e / rr;
    }

    @Test
    void aMoveSentOverOscMovesTheDotOnEveryConsoleAndRevertFromThePageEndsTheLatentPad() throws Exception {
        try (BrowserContext one = browser.newContext(new Browser.NewContextOptions().setViewportSize(1100, 1400));
             BrowserContext two = browser.newContext(new Browser.NewContextOptions().setViewportSize(1100, 1400))) {
            Page a = open(one);
            Page b = open(two);
            a.click(".pad[data-pad=perc]");
            b.click(".pad[data-pad=perc]");
            Osc.udp(rig.osc.port(), Osc.message("/latent/xy", "iff", PERC, 0.25f, 0.75f));
            for (Page p : List.of(a, b)) {
                p.waitForSelector(".xy[data-pad='" + PERC + "'][data-active='1'][data-x='0.25'][data-y='0.75']");
            }
            BoundingBox box = a.locator("#latent .xy").boundingBox();
            BoundingBox dot = a.locator("#latent .xy .dot").boundingBox();
            assertEquals(box.x + 0.25 * box.width, dot.x + dot.width / 2, 2, "the dot is drawn at x 0.25");
            assertEquals(box.y + 0.25 * box.height, dot.y + dot.height / 2, 2, "and y 0.75 (y grows upwards)");

            b.click("#latent button[data-address='/latent/revert']");
            awaitTrue(() -> state(rig, PERC) == null, "the server reverted the pad");
            awaitTrue(() -> liveSample(rig, PERC) == null, "the engine plays the kit's sample again");
            for (Page p : List.of(a, b)) {
                p.waitForSelector(".xy[data-pad='" + PERC + "'][data-active='0']");
            }
            assertEquals("plays its sample", a.textContent("#latent-state"));
        }
    }

    @Test
    void aPadTurningLatentChangesValuesNotTheTreeForAWebSocketListener() throws Exception {
        try (WsClient ws = WsClient.open(rig.httpPort())) {
            String active = "/latent/" + TOM + "/active";
            String anchors = "/latent/" + TOM + "/anchors";
            ws.command("LISTEN", active);
            ws.command("LISTEN", anchors);
            Map<String, List<Object>> latest = new HashMap<>();
            List<Object> none = List.of("", "", "", "");
            // A new listener is sent the current values at once.
            awaitValues(ws, latest, v -> List.of(0).equals(v.get(active)) && none.equals(v.get(anchors)), "not latent");
            Osc.udp(rig.osc.port(), Osc.message("/latent/anchor", "iis", TOM, 2, "pad:kick"));
            List<Object> turned = List.of("pad:" + TOM, "pad:" + TOM, "pad:kick", "pad:" + TOM);
            awaitValues(ws, latest, v -> List.of(1).equals(v.get(active)) && turned.equals(v.get(anchors)), "latent");
            // OSC clients without OSCQuery read the values by sending to them; OSCQuery's GET has them too.
            try (DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                send(rig, udp, Osc.message(anchors, ""));
                assertEquals(turned, receive(udp, anchors));
            }
            HttpResponse<String> value = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create(rig.base() + active + "?VALUE")).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals("{\"VALUE\":[1]}", value.body());
            Osc.udp(rig.osc.port(), Osc.message("/latent/revert", "i", TOM));
            awaitValues(ws, latest, v -> List.of(0).equals(v.get(active)) && none.equals(v.get(anchors)), "reverted");
            assertTrue(ws.texts.isEmpty(), "no PATH_ADDED or PATH_REMOVED: the tree is the same, " + ws.texts);
        }
    }

    /** Reads values pushed to {@code ws} into {@code latest} until {@code test} holds (10 s at most). */
    private static void awaitValues(WsClient ws, Map<String, List<Object>> latest,
            Predicate<Map<String, List<Object>>> test, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!test.test(latest)) {
            Osc.Message m = ws.messages.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (m == null) {
                throw new AssertionError("not " + what + " within 10 s: " + latest);
            }
            latest.put(m.address(), m.args());
        }
    }

    @Test
    void onAPhoneMakeLatentTurnsTheTappedPadLatentAndAFingerDragsItWithoutScrolling() throws Exception {
        try (BrowserContext phone = browser.newContext(new Browser.NewContextOptions().setViewportSize(390, 844)
                .setIsMobile(true).setHasTouch(true).setDeviceScaleFactor(2))) {
            Page page = open(phone);
            assertEquals("none", page.evaluate("getComputedStyle(document.querySelector('#latent .xy')).touchAction"),
                    "dragging the XY pad never scrolls or zooms the page");
            page.tap(".pad[data-pad=rim]");
            page.waitForSelector(".xy[data-pad='" + RIM + "'][data-active='0']");
            page.tap("#latent-make");
            awaitTrue(() -> state(rig, RIM) != null, "the tapped pad turned latent on the server");
            assertEquals(List.of("pad:" + RIM, "pad:" + RIM, "pad:" + RIM, "pad:" + RIM),
                    state(rig, RIM).anchors().stream().map(LatentPadState.Anchor::sound).toList(),
                    "at the encoding of its own sound");
            page.waitForSelector("#latent-make", new Page.WaitForSelectorOptions().setState(WaitForSelectorState.HIDDEN));

            // A finger drags the XY pad (Chromium's own touch events): the pad moves, the page does not scroll.
            page.locator("#latent .xy").scrollIntoViewIfNeeded();
            Object scrollBefore = page.evaluate("window.scrollY");
            BoundingBox b = page.locator("#latent .xy").boundingBox();
            CDPSession cdp = phone.newCDPSession(page);
            touch(cdp, "touchStart", b.x + b.width * 0.5, b.y + b.height * 0.5);
            for (int i = 1; i <= 10; i++) {
                touch(cdp, "touchMove", b.x + b.width * (0.5 - 0.04 * i), b.y + b.height * (0.5 - 0.04 * i));
            }
            touch(cdp, "touchEnd", 0, 0);
            awaitTrue(() -> rig.ns().find("/latent/" + RIM + "/x").floatValue() < 0.15f
                    && rig.ns().find("/latent/" + RIM + "/y").floatValue() > 0.85f, "the finger moved the pad on the server");
            assertEquals(scrollBefore, page.evaluate("window.scrollY"), "the page did not scroll under the finger");
            Files.createDirectories(Browsers.artefact("x").getParent());
            page.screenshot(new Page.ScreenshotOptions().setPath(Browsers.artefact("console-latent-phone.png"))
                    .setFullPage(true));
        }
    }

    /** One touch event through the DevTools protocol, as Chromium's input pipeline takes a finger. */
    private static void touch(CDPSession cdp, String type, double x, double y) {
        JsonObject params = new JsonObject();
        params.addProperty("type", type);
        JsonArray points = new JsonArray();
        if (!"touchEnd".equals(type)) {
            JsonObject p = new JsonObject();
            p.addProperty("x", x);
            p.addProperty("y", y);
            points.add(p);
        }
        params.add("touchPoints", points);
        cdp.send("Input.dispatchTouchEvent", params);
    }

    private static LatentPadState state(WebRig r, int pad) {
        return r.latent.states().stream().filter(s -> s.pad() == pad).findFirst().orElse(null);
    }

    private static String anchor(WebRig r, int pad, int corner) {
        LatentPadState s = state(r, pad);
        return s == null ? "" : s.anchors().get(corner).sound();
    }

    /** The sample the engine's pad plays now (its live sample; {@code null} for its kit's layers). */
    private static Sample liveSample(WebRig r, int pad) {
        EngineSnapshot s = new EngineSnapshot();
        assertTrue(r.engine.proxy().snapshot(s));
        try {
            assertTrue(s.await(2, TimeUnit.SECONDS));
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return s.kit().pad(pad).liveSample();
    }

    private static void awaitTrue(BooleanSupplier test, String what) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!test.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within 60 s: " + what);
            }
            Thread.sleep(10);
        }
    }

    private static void send(WebRig r, DatagramSocket s, byte[] packet) throws Exception {
        s.send(new DatagramPacket(packet, packet.length, InetAddress.getLoopbackAddress(), r.osc.port()));
    }

    /** The arguments of the next datagram to {@code address}, waiting at most 10 s. */
    private static List<Object> receive(DatagramSocket s, String address) throws Exception {
        s.setSoTimeout(10_000);
        while (true) {
            DatagramPacket p = new DatagramPacket(new byte[2048], 2048);
            try {
                s.receive(p);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no " + address + " within 10 s");
            }
            Osc.Message m = Osc.decode(Arrays.copyOf(p.getData(), p.getLength()));
            if (m.address().equals(address)) {
                return m.args();
            }
        }
    }
}
