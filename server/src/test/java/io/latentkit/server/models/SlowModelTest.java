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
 * Issue 20: a decoder far slower than its budget (the crafted {@code slow_decoder.onnx}: eight
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
            double[] slow = rounds(client, osc, engine, 1, true);
            assertTrue(serveModels.current().vae().decoderModel().overBudget() >= 3,
                    "each decode counts as over budget");
            long overBudget = serveModels.current().vae().decoderModel().overBudget();
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
            // The peer in the same run: the shipped decoder, reloaded.
            FaultModels.copyShipped(models);
            send(client, osc, "/models/reload", "", 0, 0f, 0);
            List<Object> reloaded = null;
            for (int i = 0; i < 1200 && reloaded == null; i++) {
                List<Object> r = receive(client);
                if (r != null && r.size() > 1 && "/models/reload".equals(r.get(1))) {
                    reloaded = r;
                }
            }
            assertTrue(reloaded != null && reloaded.get(0).equals("/done"), String.valueOf(reloaded));
            double[] shipped = rounds(client, osc, engine, 10, false);
            Path dir = Files.createDirectories(Path.of("target", "reliability"));
            Files.writeString(dir.resolve("slow-model.txt"), String.format(Locale.ROOT,
                    "3 rounds each; /latent/z to /latent/ready mean %.1f ms with the slow decoder, %.1f ms with the "
                            + "shipped one; audio rendered per wall-clock ms meanwhile %.3f (slow) vs %.3f (shipped); "
                            + "deadline misses during the rounds %d (slow) vs %d (shipped); slow decodes over budget %d; "
                            + "every slow round's hit /started before its /latent/ready%n",
                    slow[0], shipped[0], slow[1], shipped[1], (long) slow[2], (long) shipped[2], overBudget));
        } finally {
            osc.close();
            serveModels.close();
            agent.close();
            worker.close();
            engine.close();
        }
    }

    /**
     * Three rounds of {@code /latent/z} then {@code /hit}: with the slow decoder, asserts each hit
     * starts before its decode is ready; returns the mean milliseconds to {@code /latent/ready}, the audio rendered
     * per wall-clock millisecond meanwhile, and the deadline misses during the rounds.
     */
    private static double[] rounds(DatagramSocket client, OscServer osc, Engine engine, int firstId, boolean slow)
            throws Exception {
        double ms = 0;
        double rendered = 0;
        double wall = 0;
        long misses0 = engine.counters().deadlineMisses();
        for (int round = 0; round < 3; round++) {
            List<String> order = new ArrayList<>();
            float[] z = new float[64];
            z[1] = 0.1f * (round + firstId);
            long t0 = System.nanoTime();
            long f0 = engine.counters().framePosition();
            sendZ(client, osc, z, firstId + round);
            send(client, osc, "/hit", "ifi", 0, 1.0f, 100 + firstId + round);
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
            double took = (System.nanoTime() - t0) / 1e6;
            long frames = engine.counters().framePosition() - f0;
            assertTrue(order.contains("/latent/ready"), "the decode finished: " + order);
            if (slow) {
                assertTrue(order.indexOf("/started") >= 0 && order.indexOf("/started") < order.indexOf("/latent/ready"),
                        "the hit started before the slow decode was ready: " + order);
            }
            assertTrue(frames > 0, "the render thread rendered while the model ran");
            ms += took / 3;
            rendered += frames * 1000.0 / SR;
            wall += took;
        }
        return new double[] {ms, rendered / wall, engine.counters().deadlineMisses() - misses0};
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
