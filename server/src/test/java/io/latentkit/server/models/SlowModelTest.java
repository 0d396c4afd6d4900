package io.latentkit.server.models;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.latentkit.core.kit.DefaultKit;
import io.latentkit.core.namespace.Namespace;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.sink.NullSink;
import io.latentkit.models.InferenceWorker;
import io.latentkit.models.latent.LatentAgent;
import io.latentkit.models.latent.LatentConfig;
import io.latentkit.models.latent.LatentLibrary;
import io.latentkit.osc.OscServer;
import io.latentkit.osc.OscServerConfig;
import io.latentkit.osc.codec.OscMessageView;
import io.latentkit.osc.codec.OscMessageWriter;
import io.latentkit.presets.DataFolder;
import io.latentkit.presets.kit.KitLibrary;
import io.latentkit.presets.preset.PresetStore;
import io.latentkit.server.PresetActions;
import io.latentkit.server.ServeActions;
import io.latentkit.server.ServeModels;
import io.latentkit.server.ServerKits;
import io.latentkit.server.ServerNamespace;
import io.latentkit.testsupport.FaultModels;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20: a decoder far slower than its budget (the crafted {@code slow_decoder.onnx}: four
 * 256 x 2048 x 2048 matrix products per decode) never delays the render thread. A real engine
 * plays on its own real-time thread into a wall-clock-paced null output; a hit sent over UDP just
 * after a {@code /latent/z} starts (its {@code /started} comes back) before that decode is ready,
 * the render thread keeps rendering while the decode runs, and the decode counts as over budget in
 * {@code /status.reply}. The decode time and the frames rendered meanwhile are written to
 * {@code target/reliability/slow-model.txt}, not asserted.
 */
class SlowModelTest {
    private static final int SR = 48_000;

    @Test
    void aHitSentDuringASlowDecodeStartsBeforeTheDecodeIsReady(@TempDir Path home, @TempDir Path models)
            throws Exception {
        FaultModels.copyShipped(models);
        FaultModels.crafted(models, FaultModels.SLOW);
        DataFolder data = new DataFolder(home).create();
        Engine engine = Engine.create(EngineConfig.defaults(), DefaultKit.create(SR));
        engine.warmupBlocks(0);
        LatentAgent agent = new LatentAgent(engine.proxy(), engine.commands(), SR, LatentConfig.defaults(),
                new LatentLibrary(data.sounds().root()));
        ServeModels serveModels = new ServeModels(models, agent);
        ServerKits kits = new ServerKits(SR, new KitLibrary(data));
        PresetStore store = new PresetStore(data.presets());
        ServeActions actions = new ServeActions(new PresetActions(engine.proxy(), engine.commands(), kits, store, null),
                store, null);
        Namespace ns = ServerNamespace.build(engine, kits, () -> actions, () -> null, () -> null, agent, serveModels);
        actions.serveModels(serveModels);
        InferenceWorker worker = serveModels.started(serveModels.load());
        engine.start(new NullSink(512));
        OscServer osc = OscServer.start(OscServerConfig.defaults().withPort(0), ns, engine, System::nanoTime);
        osc.actions(actions);
        try (DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            client.setSoTimeout(50);
            List<String> order = new ArrayList<>();
            double decodeMs = 0;
            long framesDuring = 0;
            for (int round = 1; round <= 3; round++) {
                order.clear();
                float[] z = new float[64];
                z[1] = 0.1f * round;
                long t0 = System.nanoTime();
                long f0 = engine.counters().framePosition();
                sendZ(client, osc, z, round);
                send(client, osc, "/hit", "ifi", 0, 1.0f, 100 + round);
                long deadline = t0 + 120_000_000_000L;
                while (!order.contains("/latent/ready") && System.nanoTime() < deadline) {
                    List<Object> r = receive(client);
                    if (r != null) {
                        order.add((String) r.get(0));
                        if (r.get(0).equals("/fail")) {
                            fail(r.toString());
                        }
                    }
                }
                decodeMs = (System.nanoTime() - t0) / 1e6;
                framesDuring = engine.counters().framePosition() - f0;
                assertTrue(order.contains("/latent/ready"), "the decode finished: " + order);
                assertTrue(order.indexOf("/started") >= 0 && order.indexOf("/started") < order.indexOf("/latent/ready"),
                        "the hit started before the slow decode was ready: " + order);
                assertTrue(framesDuring > 0, "the render thread rendered while the model ran");
            }
            assertTrue(serveModels.current().vae().decoderModel().overBudget() >= 3,
                    "each decode counts as over budget");
            send(client, osc, "/status", "", 0, 0f, 0);
            List<Object> status = null;
            for (int i = 0; i < 100 && status == null; i++) {
                List<Object> r = receive(client);
                if (r != null && r.get(0).equals("/status.reply")) {
                    status = r;
                }
            }
            assertTrue(status != null && status.indexOf("model_over_budget") > 0, String.valueOf(status));
            assertTrue((Integer) status.get(status.indexOf("model_over_budget") + 1) >= 3, status.toString());
            Path dir = Files.createDirectories(Path.of("target", "reliability"));
            Files.writeString(dir.resolve("slow-model.txt"), String.format(Locale.ROOT,
                    "slow decoder: /latent/z to /latent/ready %.1f ms (last of 3 rounds); the render thread rendered %d "
                            + "frames (%.1f ms of audio) meanwhile; each round's hit /started before /latent/ready; "
                            + "deadline misses over the test %d%n",
                    decodeMs, framesDuring, framesDuring * 1000.0 / SR, engine.counters().deadlineMisses()));
        } finally {
            osc.close();
            serveModels.close();
            agent.close();
            worker.close();
            engine.close();
        }
    }

    private static void sendZ(DatagramSocket client, OscServer osc, float[] z, int id) throws Exception {
        OscMessageWriter w = new OscMessageWriter(2048).begin("/latent/z", "i" + "f".repeat(z.length) + "i");
        w.putInt(2);
        for (float v : z) {
            w.putFloat(v);
        }
        w.putInt(id);
        client.send(new DatagramPacket(w.buffer(), w.length(), InetAddress.getLoopbackAddress(), osc.port()));
    }

    private static void send(DatagramSocket client, OscServer osc, String address, String tags, int pad, float v, int id)
            throws Exception {
        OscMessageWriter w = new OscMessageWriter(1024).begin(address, tags);
        if (!tags.isEmpty()) {
            w.putInt(pad).putFloat(v).putInt(id);
        }
        client.send(new DatagramPacket(w.buffer(), w.length(), InetAddress.getLoopbackAddress(), osc.port()));
    }

    private static List<Object> receive(DatagramSocket client) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[65_536], 65_536);
        try {
            client.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        OscMessageView view = OscMessageView.create(256);
        view.wrapChecked(p.getData(), 0, p.getLength(), 256);
        List<Object> out = new ArrayList<>();
        out.add(view.address());
        for (int i = 0; i < view.argCount(); i++) {
            char t = view.type(i);
            out.add(t == 's' ? view.string(i) : t == 'f' ? (Object) view.floatArg(i) : t == 'h' ? (Object) view.longArg(i)
                    : (Object) view.intArg(i));
        }
        return out;
    }
}
