package io.latentkit.perf.web;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.BoundingBox;
import io.latentkit.core.kit.DefaultKit;
import io.latentkit.core.namespace.Namespace;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.sink.NullSink;
import io.latentkit.osc.OscNodes;
import io.latentkit.osc.OscServer;
import io.latentkit.osc.OscServerConfig;
import io.latentkit.web.WebConfig;
import io.latentkit.web.WebServer;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CompletionStage;
import java.net.http.WebSocket;
import java.net.http.HttpClient;
import java.net.URI;
import java.lang.management.ManagementFactory;

/**
 * The web console's figures, against a live server (the default kit, null output at real-time
 * pace): page load time (navigation to a built, connected console, in fresh browser contexts), and
 * the latency of a console action reaching the engine over N clicks on the snare pad driven by the
 * test browser (pointerdown in the page to the {@code /started} reply the page receives once the
 * render thread started the voice: WebSocket in, the OSC receiver, the control ring, one render
 * block, telemetry, the OSC receiver, WebSocket out). The peer in the same run is the same hit with
 * the same reply over plain UDP OSC from this process, N times.
 *
 * <p>{@code perf-tests/bench io.latentkit.perf.web.ConsoleLatency [clicks] [loads]} (default 1000, 20).
 */
public final class ConsoleLatency {
    private ConsoleLatency() {
    }

    public static void main(String[] args) throws Exception {
        int clicks = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int loads = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        EngineConfig config = EngineConfig.defaults();
        Engine engine = Engine.create(config, DefaultKit.create(config.sampleRateHz()));
        engine.start(new NullSink(256, "benchmark"));
        Namespace ns = OscNodes.standard(engine, null, () -> null);
        OscServer osc = OscServer.start(OscServerConfig.defaults().withPort(0), ns, engine, System::nanoTime);
        WebServer web = WebServer.start(WebConfig.defaults().withPort(0), osc, () -> ns);
        String url = "http://127.0.0.1:" + web.port() + "/console";
        try (Playwright pw = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
             Browser browser = pw.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Paths.get("/usr/bin/chromium")).setHeadless(true)
                .setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync")))) {
            Histogram load = new Histogram(60_000_000L, 3);
            for (int i = 0; i < loads; i++) {
                try (BrowserContext c = browser.newContext()) {
                    Page p = c.newPage();
                    long t0 = System.nanoTime();
                    p.navigate(url);
                    p.waitForSelector("body[data-ready=true].online");
                    load.recordValue((System.nanoTime() - t0) / 1_000);
                }
            }
            Histogram console = new Histogram(60_000_000L, 3);
            Histogram script = new Histogram(60_000_000L, 3);
            try (BrowserContext c = browser.newContext()) {
                Page p = c.newPage();
                p.navigate(url);
                p.waitForSelector("body[data-ready=true].online");
                BoundingBox b = p.locator(".pad[data-pad=snare]").boundingBox();
                double x = b.x + b.width / 2;
                double y = b.y + b.height / 3;
                for (int i = 1; i <= clicks; i++) {
                    p.mouse().click(x, y);
                    p.waitForFunction("n => window.latentkit.link.latenciesMs.length >= n", i);
                }
                @SuppressWarnings("unchecked")
                List<Number> ms = (List<Number>) p.evaluate("window.latentkit.link.latenciesMs");
                for (Number m : ms) {
                    console.recordValue(Math.round(m.doubleValue() * 1000));
                }
                // The same hits sent by a script in the page, one after another's /started, no input
                // events: the browser's WebSocket round trip without Chromium's input handling.
                @SuppressWarnings("unchecked")
                List<Number> scripted = (List<Number>) p.evaluate("n => new Promise(done => {"
                        + " const l = window.latentkit.link; const out = []; let t0 = 0;"
                        + " const send = () => { t0 = performance.now(); l.hit('/hit/snare', 0.8); };"
                        + " l.on('/started', () => { out.push(performance.now() - t0);"
                        + " if (out.length >= n) { done(out); } else { setTimeout(send, 2); } });"
                        + " send(); })", clicks);
                for (Number m : scripted) {
                    script.recordValue(Math.round(m.doubleValue() * 1000));
                }
            }
            Histogram udp = udpRoundTrips(osc.port(), clicks);
            Histogram ws = wsRoundTrips(web.port(), clicks);
            double uptime = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            System.out.printf("web console figures (%d clicks, %d page loads; %d-frame blocks at %d Hz; load average %.2f)%n",
                    clicks, loads, config.blockFrames(), config.sampleRateHz(), uptime);
            System.out.printf("page load (navigate -> console built and connected): p50 %.1f ms, max %.1f ms%n",
                    load.getValueAtPercentile(50) / 1000.0, load.getMaxValue() / 1000.0);
            report("console click -> /started in the page", console);
            report("the page's script sends the hit (no input event) -> /started in the page", script);
            report("peer: UDP /hit/snare -> /started", udp);
            report("JDK WebSocket client /hit/snare -> /started (the server's part of the console path)", ws);
            System.out.printf("ratio console/UDP: p50 %.2f, p99 %.2f%n",
                    (double) console.getValueAtPercentile(50) / udp.getValueAtPercentile(50),
                    (double) console.getValueAtPercentile(99) / udp.getValueAtPercentile(99));
            System.out.printf("engine: %d deadline misses, %d late events during the run%n",
                    engine.counters().deadlineMisses(), engine.counters().lateEvents());
        } finally {
            web.close();
            osc.close();
            engine.close();
        }
    }

    private static void report(String what, Histogram h) {
        System.out.printf("%s: p50 %.2f ms, p99 %.2f ms, max %.2f ms (n=%d)%n", what, h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0, h.getTotalCount());
    }

    private static Histogram udpRoundTrips(int port, int n) throws Exception {
        Histogram h = new Histogram(60_000_000L, 3);
        try (DatagramSocket s = new DatagramSocket()) {
            s.setSoTimeout(5_000);
            byte[] in = new byte[1024];
            for (int i = 1; i <= n; i++) {
                byte[] msg = hit(i);
                long t0 = System.nanoTime();
                s.send(new DatagramPacket(msg, msg.length, InetAddress.getLoopbackAddress(), port));
                while (true) {
                    DatagramPacket p = new DatagramPacket(in, in.length);
                    s.receive(p);
                    if (startedId(in) == i) {
                        break;
                    }
                }
                h.recordValue((System.nanoTime() - t0) / 1_000);
                Thread.sleep(2); // the browser's clicks come about as far apart
            }
        }
        return h;
    }

    private static Histogram wsRoundTrips(int port, int n) throws Exception {
        Histogram h = new Histogram(60_000_000L, 3);
        LinkedBlockingQueue<Integer> ids = new LinkedBlockingQueue<>();
        WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + port + "/"), new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onBinary(WebSocket w, ByteBuffer data,
                                                                             boolean last) {
                        byte[] b = new byte[data.remaining()];
                        data.get(b);
                        int id = b.length >= 24 ? startedId(b) : -1;
                        if (id > 0) {
                            ids.add(id);
                        }
                        w.request(1);
                        return null;
                    }
                }).join();
        try {
            for (int i = 1; i <= n; i++) {
                long t0 = System.nanoTime();
                ws.sendBinary(ByteBuffer.wrap(hit(i)), true).join();
                while (true) {
                    Integer got = ids.poll(5, TimeUnit.SECONDS);
                    if (got == null) {
                        throw new IllegalStateException("no /started for " + i);
                    }
                    if (got == i) {
                        break;
                    }
                }
                h.recordValue((System.nanoTime() - t0) / 1_000);
                Thread.sleep(2);
            }
        } finally {
            ws.abort();
        }
        return h;
    }

    private static byte[] hit(int id) {
        ByteBuffer b = ByteBuffer.allocate(24);
        b.put("/hit/snare\0\0".getBytes(StandardCharsets.US_ASCII));
        b.put(",fi\0".getBytes(StandardCharsets.US_ASCII));
        b.putFloat(0.8f).putInt(id);
        return b.array();
    }

    /** The reply id of a {@code /started ,iihh} message, or -1. */
    private static int startedId(byte[] p) {
        String head = new String(p, 0, 8, StandardCharsets.US_ASCII);
        return head.startsWith("/started") ? ByteBuffer.wrap(p).getInt(20) : -1;
    }
}
