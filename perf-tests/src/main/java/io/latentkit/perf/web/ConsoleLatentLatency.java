package io.latentkit.perf.web;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.options.BoundingBox;
import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.DefaultKit;
import io.latentkit.core.namespace.Namespace;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.control.EngineNodes;
import io.latentkit.engine.sink.NullSink;
import io.latentkit.models.InferenceWorker;
import io.latentkit.models.Models;
import io.latentkit.models.latent.LatentAgent;
import io.latentkit.models.latent.LatentConfig;
import io.latentkit.models.latent.LatentNodes;
import io.latentkit.models.latent.LatentStats;
import io.latentkit.osc.OscNodes;
import io.latentkit.osc.OscServer;
import io.latentkit.osc.OscServerConfig;
import io.latentkit.web.WebConfig;
import io.latentkit.web.WebServer;
import java.lang.management.ManagementFactory;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The console's latent XY pad, against a live server with latent pads (the default kit, null output
 * at real-time pace, the shipped VAE on one inference worker): the time from a drag's pointer move
 * in the page (its {@code /latent/xy} with a reply id, sent in the pointer handler) to the
 * {@code /latent/ready} the page receives once that sound, or a newer one, is live on the render
 * thread. The drag is Chromium's own input (Playwright's mouse), N moves along a Lissajous path
 * over the square, one every {@code intervalMs}, with the percussion pad's corners set to the
 * kit's kick, snare, closed hat and tom. The peer in the same run: the same moves as UDP OSC from
 * this process, each sent when the previous one's {@code /latent/ready} came (or after the same
 * interval), on another pad with the same corners.
 *
 * <p>{@code perf-tests/bench io.latentkit.perf.web.ConsoleLatentLatency [moves] [intervalMs]}
 * (default 500, 20).
 */
public final class ConsoleLatentLatency {
    private static final int PAD = DrumClass.PERC.pad();
    private static final int PEER_PAD = DrumClass.RIDE.pad();

    private ConsoleLatentLatency() {
    }

    public static void main(String[] args) throws Exception {
        int moves = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int intervalMs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        EngineConfig config = EngineConfig.defaults();
        Engine engine = Engine.create(config, DefaultKit.create(config.sampleRateHz()));
        engine.start(new NullSink(256, "benchmark"));
        InferenceWorker worker = new InferenceWorker(Models.loadDefault());
        LatentAgent agent = new LatentAgent(engine.proxy(), engine.commands(), config.sampleRateHz(),
                LatentConfig.defaults(), null);
        agent.attach(worker);
        Namespace.Builder b = Namespace.builder(engine.values().board());
        EngineNodes.register(b, engine.proxy(), engine.values());
        OscNodes.register(b, engine, null, () -> null);
        LatentNodes.register(b, agent);
        Namespace ns = b.build();
        OscServer osc = OscServer.start(OscServerConfig.defaults().withPort(0), ns, engine, System::nanoTime);
        WebServer web = WebServer.start(WebConfig.defaults().withPort(0), osc, () -> ns);
        String[] corners = {"pad:kick", "pad:snare", "pad:hihat_closed", "pad:tom_low"};
        try (Playwright pw = Playwright.create(new Playwright.CreateOptions()
                .setEnv(Map.of("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1")));
             Browser browser = pw.chromium().launch(new BrowserType.LaunchOptions()
                .setExecutablePath(Paths.get("/usr/bin/chromium")).setHeadless(true)
                .setArgs(List.of("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                        "--disable-background-networking", "--disable-component-update", "--disable-sync")));
             BrowserContext c = browser.newContext(new Browser.NewContextOptions().setViewportSize(1100, 1400));
             DatagramSocket udp = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            Page p = c.newPage();
            p.navigate("http://127.0.0.1:" + web.port() + "/console");
            p.waitForSelector("body[data-ready=true].online");
            p.click(".pad[data-pad=perc]");
            for (int k = 0; k < 4; k++) {
                p.fill("#latent .anchors input[data-corner='" + k + "']", corners[k]);
                p.click("#latent .anchors .command[data-corner='" + k + "'] .send");
            }
            p.waitForSelector(".xy[data-pad='" + PAD + "'] .corner.c3:text-is('pad:tom_low')");
            udp.setSoTimeout(10_000);
            for (int k = 0; k < 4; k++) {
                send(udp, osc.port(), anchor(PEER_PAD, k, corners[k]));
                await(udp, "/done");
            }
            LatentStats stats = agent.stats();
            long exact0 = stats.exactDecodes();
            long cache0 = stats.cacheHits();
            BoundingBox box = p.locator("#latent .xy").boundingBox();
            p.mouse().move(box.x + box.width / 2, box.y + box.height / 2);
            p.mouse().down();
            for (int i = 0; i < moves; i++) {
                double t = i * 0.02;
                p.mouse().move(box.x + box.width * (0.5 + 0.45 * Math.sin(2.3 * t)),
                        box.y + box.height * (0.5 + 0.45 * Math.cos(1.7 * t)));
                Thread.sleep(intervalMs);
            }
            p.mouse().up();
            p.waitForFunction("() => window.latentkit.panels.latent.pending() === 0");
            @SuppressWarnings("unchecked")
            List<Number> ms = (List<Number>) p.evaluate("window.latentkit.panels.latent.latency.ms");
            Histogram console = new Histogram(60_000_000L, 3);
            for (Number m : ms) {
                console.recordValue(Math.round(m.doubleValue() * 1000));
            }
            long exact = stats.exactDecodes() - exact0;
            long cached = stats.cacheHits() - cache0;
            Histogram peer = udpMoves(udp, osc.port(), moves, intervalMs);
            double load = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
            System.out.printf("console latent XY pad (%d pointer moves every %d ms; %d-frame blocks at %d Hz; "
                    + "load average %.2f)%n", moves, intervalMs, config.blockFrames(), config.sampleRateHz(), load);
            report("console drag move -> /latent/ready in the page", console);
            System.out.printf("  served by the worker during the drag: %d exact decodes, %d from the cache "
                    + "(the rest superseded by a newer move)%n", exact, cached);
            report("peer: UDP /latent/xy with id -> /latent/ready", peer);
            System.out.printf("ratio console/UDP: p50 %.2f, p99 %.2f%n",
                    (double) console.getValueAtPercentile(50) / peer.getValueAtPercentile(50),
                    (double) console.getValueAtPercentile(99) / peer.getValueAtPercentile(99));
            System.out.printf("engine: %d deadline misses, %d late events during the run%n",
                    engine.counters().deadlineMisses(), engine.counters().lateEvents());
        } finally {
            web.close();
            osc.close();
            agent.close();
            worker.close();
            engine.close();
        }
    }

    private static void report(String what, Histogram h) {
        System.out.printf("%s: p50 %.2f ms, p99 %.2f ms, max %.2f ms (n=%d)%n", what, h.getValueAtPercentile(50) / 1000.0,
                h.getValueAtPercentile(99) / 1000.0, h.getMaxValue() / 1000.0, h.getTotalCount());
    }

    /** The same path from UDP: each move waits for its ready (or the interval), as a drag's pace would. */
    private static Histogram udpMoves(DatagramSocket s, int port, int moves, int intervalMs) throws Exception {
        Histogram h = new Histogram(60_000_000L, 3);
        long[] sent = new long[moves + 1];
        for (int i = 1; i <= moves; i++) {
            double t = i * 0.02;
            float x = (float) (0.5 + 0.45 * Math.sin(2.3 * t));
            float y = (float) (0.5 - 0.45 * Math.cos(1.7 * t));
            sent[i] = System.nanoTime();
            send(s, port, xy(PEER_PAD, x, y, i));
            Thread.sleep(intervalMs);
            drain(s, sent, h, false);
        }
        drain(s, sent, h, true);
        return h;
    }

    /** Records every /latent/ready that came; with {@code all}, waits until every move has its ready. */
    private static void drain(DatagramSocket s, long[] sent, Histogram h, boolean all) throws Exception {
        s.setSoTimeout(all ? 10_000 : 1);
        byte[] in = new byte[1024];
        while (!all || h.getTotalCount() < sent.length - 1) {
            DatagramPacket p = new DatagramPacket(in, in.length);
            try {
                s.receive(p);
            } catch (SocketTimeoutException e) {
                if (all) {
                    throw new IllegalStateException("only " + h.getTotalCount() + " of " + (sent.length - 1)
                            + " /latent/ready came");
                }
                return;
            }
            if (new String(in, 0, 13, StandardCharsets.US_ASCII).equals("/latent/ready")) {
                int id = ByteBuffer.wrap(in).getInt(28);
                if (id > 0 && id < sent.length && sent[id] != 0) {
                    h.recordValue((System.nanoTime() - sent[id]) / 1_000);
                    sent[id] = 0;
                }
            }
        }
    }

    private static void send(DatagramSocket s, int port, byte[] m) throws Exception {
        s.send(new DatagramPacket(m, m.length, InetAddress.getLoopbackAddress(), port));
    }

    private static void await(DatagramSocket s, String address) throws Exception {
        byte[] in = new byte[1024];
        while (true) {
            DatagramPacket p = new DatagramPacket(in, in.length);
            s.receive(p);
            if (new String(in, 0, address.length(), StandardCharsets.US_ASCII).equals(address)) {
                return;
            }
        }
    }

    private static byte[] xy(int pad, float x, float y, int id) {
        ByteBuffer b = ByteBuffer.allocate(36);
        b.put("/latent/xy\0\0".getBytes(StandardCharsets.US_ASCII));
        b.put(",iffi\0\0\0".getBytes(StandardCharsets.US_ASCII));
        b.putInt(pad).putFloat(x).putFloat(y).putInt(id);
        return b.array();
    }

    private static byte[] anchor(int pad, int corner, String sound) {
        byte[] s = sound.getBytes(StandardCharsets.US_ASCII);
        int padded = (s.length + 4) & ~3;
        ByteBuffer b = ByteBuffer.allocate(16 + 8 + 8 + padded);
        b.put("/latent/anchor\0\0".getBytes(StandardCharsets.US_ASCII));
        b.put(",iis\0\0\0\0".getBytes(StandardCharsets.US_ASCII));
        b.putInt(pad).putInt(corner).put(s);
        return b.array();
    }
}
