package io.latentkit.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.BoundingBox;
import io.latentkit.core.DrumClass;
import io.latentkit.core.namespace.Access;
import io.latentkit.core.namespace.Node;
import io.latentkit.core.namespace.NodeKind;
import io.latentkit.core.namespace.Range;
import io.latentkit.engine.control.TelemetryHandler;
import io.latentkit.engine.control.TelemetryReader;
import io.latentkit.web.testkit.Browsers;
import io.latentkit.web.testkit.Osc;
import io.latentkit.web.testkit.WebRig;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import java.util.function.Predicate;
import com.microsoft.playwright.options.WaitForSelectorState;
import com.microsoft.playwright.Mouse;

/**
 * The console in a real browser (Debian's Chromium through Playwright) against a live server: it
 * loads and builds itself from the namespace, a click on the snare pad starts a snare voice, a knob
 * drag sets the pad's gain and a double-click resets it, a value set over OSC shows on the page, and
 * the sequencer, listen and kit panels work. The latent XY pad has its own test with real latent pads
 * (ConsoleLatentTest). Screenshots go to {@code target/console-artefacts/}.
 */
class ConsoleBrowserTest {
    private static final AtomicReference<String> CELL = new AtomicReference<>();
    private static final AtomicInteger PLAYS = new AtomicInteger();
    private static final AtomicInteger LISTEN = new AtomicInteger(-1);
    private static WebRig rig;
    private static Playwright pw;
    private static Browser browser;

    @BeforeAll
    static void start() {
        rig = new WebRig(c -> c, b -> {
            // The sequencer's and listen mode's shapes from issues 17 and 15.
            b.add(Node.builder("/pattern/play", NodeKind.COMMAND).description("starts the pattern (test node)")
                    .handler((args, call) -> PLAYS.incrementAndGet() > 0).build());
            b.add(Node.builder("/pattern/cell", NodeKind.COMMAND).types("iif")
                    .ranges(Range.strict(0, 11), Range.strict(0, 15), Range.clamped(0, 1))
                    .description("sets one cell of the pattern (test node)")
                    .handler((args, call) -> {
                        CELL.set(args.intArg(0) + ":" + args.intArg(1) + ":" + args.floatArg(2));
                        return true;
                    }).build());
            b.add(Node.builder("/listen", NodeKind.COMMAND).types("i").ranges(Range.strict(0, 1))
                    .description("listen mode on or off (test node)")
                    .handler((args, call) -> {
                        LISTEN.set(args.intArg(0));
                        return true;
                    }).build());
            b.add(Node.builder("/listen/hit", NodeKind.OUTPUT).types("sfih", 4)
                    .description("a hit heard (test node, listen mode's shape)").access(Access.READ).build());
        });
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
    }

    private static Page open(BrowserContext context) {
        Page page = context.newPage();
        page.navigate(rig.base() + "/console");
        page.waitForSelector("body[data-ready=true].online");
        return page;
    }

    @Test
    void theConsoleLoadsAndAClickOnTheSnarePadStartsASnareVoice() throws Exception {
        try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1100, 1400))) {
            Page page = open(context);
            assertEquals(12, page.locator(".pad").count(), "one pad per child of /hit");
            assertEquals(0, page.locator("#latent").count(), "no latent panel without /latent (ConsoleLatentTest has one)");
            assertTrue(page.locator("#sequencer").isVisible(), "the sequencer appears when /pattern exists");
            assertTrue(page.locator("#listen").isVisible(), "listen mode appears when /listen exists");
            TelemetryReader reader = rig.engine.telemetry().newReader();
            AtomicInteger snareVoices = new AtomicInteger();
            TelemetryHandler h = new TelemetryHandler() {
                @Override
                public void onVoiceStarted(long tag, int pad, long frame) {
                    if (pad == DrumClass.SNARE.pad()) {
                        snareVoices.incrementAndGet();
                    }
                }
            };
            page.click(".pad[data-pad=snare]");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (snareVoices.get() == 0 && System.nanoTime() < deadline) {
                reader.poll(h, 256);
                Thread.sleep(5);
            }
            assertEquals(1, snareVoices.get(), "the server started one snare voice");
            page.waitForFunction("window.latentkit.link.latenciesMs.length === 1");
            page.waitForSelector("#health:has-text('CPU')");
            Files.createDirectories(Browsers.artefact("x").getParent());
            page.screenshot(new Page.ScreenshotOptions().setPath(Browsers.artefact("console.png")).setFullPage(true));
            assertTrue(Files.size(Browsers.artefact("console.png")) > 10_000);
        }
    }

    @Test
    void aKnobDragSetsThePadsGainAndADoubleClickResetsIt() throws Exception {
        try (BrowserContext context = browser.newContext()) {
            Page page = open(context);
            page.click(".pad[data-pad=kick]");
            String dial = ".knob[data-address='/pad/kick/gain'] .dial";
            BoundingBox b = page.locator(dial).boundingBox();
            double x = b.x + b.width / 2;
            double y = b.y + b.height / 2;
            page.mouse().move(x, y);
            page.mouse().down();
            page.mouse().move(x, y - 30, new Mouse.MoveOptions().setSteps(6));
            page.mouse().up();
            float gain = awaitValue("/pad/kick/gain", v -> v > 1.2f);
            assertTrue(gain > 1.2f && gain <= 4f, "dragged up: " + gain);
            page.dblclick(dial);
            assertEquals(1f, awaitValue("/pad/kick/gain", v -> v == 1f), "reset to a fresh pad's gain");
        }
    }

    @Test
    void aValueChangedOverOscAppearsOnEveryOpenConsole() throws Exception {
        try (BrowserContext one = browser.newContext(); BrowserContext two = browser.newContext()) {
            Page a = open(one);
            Page b = open(two);
            Osc.udp(rig.osc.port(), Osc.message("/pad/snare/pitch", "f", 5f));
            a.waitForSelector(".knob[data-address='/pad/snare/pitch'][data-value='5']");
            b.waitForSelector(".knob[data-address='/pad/snare/pitch'][data-value='5']");
            Osc.udp(rig.osc.port(), Osc.message("/tempo", "f", 97f));
            a.waitForSelector(".knob[data-address='/tempo'][data-value='97']");
            Osc.udp(rig.osc.port(), Osc.message("/pad/snare/pitch", "f", 0f));
            Osc.udp(rig.osc.port(), Osc.message("/tempo", "f", 120f));
            b.waitForSelector(".knob[data-address='/tempo'][data-value='120']");
        }
    }

    @Test
    void aSequencerCellSetOnOneConsoleLightsOnAnotherAndTransportAndListenSend() throws Exception {
        try (BrowserContext one = browser.newContext(new Browser.NewContextOptions().setViewportSize(1100, 1400));
             BrowserContext two = browser.newContext(new Browser.NewContextOptions().setViewportSize(1100, 1400))) {
            Page a = open(one);
            Page b = open(two);
            assertEquals(12 * 16, a.locator(".grid .cell").count(), "rows and columns from the node's ranges");
            a.click(".cell[data-row='1'][data-col='4']");
            b.waitForSelector(".cell[data-row='1'][data-col='4'].on");
            assertEquals("1:4:0.8", CELL.get());
            a.click("button[data-address='/pattern/play']");
            a.click("button.toggle[data-address='/listen']");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((PLAYS.get() == 0 || LISTEN.get() != 1) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertEquals(1, PLAYS.get());
            assertEquals(1, LISTEN.get());
        }
    }

    @Test
    void aHitListenModeSendsToSubscribersReachesTheLastHitsList() throws Exception {
        try (BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1100, 1400))) {
            Page page = open(context);
            // What serve's hit listener does for each hit (ListenNodes.telemetry): class, confidence,
            // pad, the 64-bit engine frame. Sent until the page's /notify lease has reached the server.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (page.locator("#listen-hits li").count() == 0 && System.nanoTime() < deadline) {
                rig.osc.notifySubscribers("/listen/hit", "snare", 0.9f, DrumClass.SNARE.pad(), 5_000_000_000L);
                Thread.sleep(100);
            }
            assertTrue(page.locator("#listen-hits li").count() >= 1, "the hit is listed");
            assertEquals("snare 90%", page.locator("#listen-hits li").first().textContent());
        }
    }

    @Test
    void onAPhoneATapPlaysAndTheKitPickerLoadsAKit() throws Exception {
        try (BrowserContext phone = browser.newContext(new Browser.NewContextOptions().setViewportSize(390, 844)
                .setIsMobile(true).setHasTouch(true).setDeviceScaleFactor(2))) {
            Page page = open(phone);
            page.tap(".pad[data-pad=kick]");
            try {
                page.waitForFunction("window.latentkit.link.latenciesMs.length === 1",
                        null, new Page.WaitForFunctionOptions().setTimeout(5000));
            } catch (RuntimeException e) {
                throw new AssertionError("latencies " + page.evaluate("JSON.stringify(window.latentkit.link.latenciesMs)")
                        + " sent " + page.evaluate("window.latentkit.link.nextId"));
            }
            page.waitForSelector("#kit-select option[value=soft]", new Page.WaitForSelectorOptions().setState(
                    WaitForSelectorState.ATTACHED));
            page.selectOption("#kit-select", "soft");
            page.click("#kit-load");
            try {
                page.waitForSelector("#library-reply:has-text('done: /kit/load soft')",
                        new Page.WaitForSelectorOptions().setTimeout(10_000));
            } catch (RuntimeException e) {
                throw new AssertionError("reply: " + page.textContent("#library-reply") + "; options "
                        + page.evaluate("document.querySelector('#kit-select').value"), e);
            }
            assertEquals("none", page.evaluate("getComputedStyle(document.querySelector('.knob .dial')).touchAction"),
                    "dragging a knob never scrolls the page");
            Files.createDirectories(Browsers.artefact("x").getParent());
            page.screenshot(new Page.ScreenshotOptions().setPath(Browsers.artefact("console-phone.png")).setFullPage(true));
        }
    }

    private static float awaitValue(String address, Predicate<Float> test) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        float v;
        while (!test.test(v = rig.ns().find(address).floatValue())) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(address + " is " + v);
            }
            Thread.sleep(5);
        }
        return v;
    }
}
