package io.latentkit.server.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.latentkit.core.kit.DefaultKit;
import io.latentkit.core.namespace.Namespace;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.sink.NullSink;
import io.latentkit.listen.ListenConfig;
import io.latentkit.listen.ListenMode;
import io.latentkit.listen.input.LineSource;
import io.latentkit.models.InferenceWorker;
import io.latentkit.models.Models;
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
import io.latentkit.testsupport.CapturedLog;
import io.latentkit.testsupport.FaultModels;
import io.latentkit.testsupport.audio.MicMixer;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20: listen mode's classifier turning NaN mid-run, end to end. {@code serve}'s wiring with a
 * real engine on its render thread, listen mode on the test microphone (through the real
 * {@code AudioSystem} lookup) with its models from a folder (as {@code --listen-models DIR}),
 * {@code /models/reload}, {@code /listen/status} and {@code /status} over real UDP. A reload puts in
 * crafted classifiers that pass every load check and answer NaN for bright hits; the noise bursts
 * the microphone then hears must be dropped and counted as {@code model_errors}, trigger nothing,
 * and leave the server serving; a reload of the shipped set brings triggering back.
 */
class ListenModelFaultTest {
    private static final int SR = ListenConfig.INPUT_RATE_HZ;

    private Engine engine;
    private ServeModels models;
    private InferenceWorker worker;
    private ListenMode mode;
    private OscServer osc;
    private DatagramSocket client;
    private final OscMessageView view = OscMessageView.create(256);

    @BeforeEach
    void quietMicrophone() {
        MicMixer.reset();
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (osc != null) {
            osc.close();
        }
        if (mode != null) {
            mode.close();
        }
        if (models != null) {
            models.close();
        }
        if (worker != null) {
            worker.close();
        }
        if (engine != null) {
            engine.close();
        }
        MicMixer.reset();
    }

    /** A bright hit: a seeded noise burst, 1 ms attack, 40 ms decay, a quarter second into a second of silence. */
    private static float[] burst(long seed) {
        Random r = new Random(seed);
        float[] x = new float[SR];
        for (int i = 0; i < SR / 5; i++) {
            double env = Math.min(1.0, (i + 1) / (SR / 1000.0)) * Math.exp(-i / (0.040 * SR));
            x[SR / 4 + i] = (float) (0.7 * env * (r.nextDouble() * 2 - 1));
        }
        return x;
    }

    @Test
    void hitsClassifiedAsNanAreDroppedAndCountedAndAGoodReloadBringsListeningBack(@TempDir Path home,
            @TempDir Path servedModels, @TempDir Path listenModels) throws Exception {
        FaultModels.copyShipped(servedModels);
        FaultModels.copyShipped(listenModels);
        start(home, servedModels, () -> Models.loadOrUnavailable(listenModels, Models.DEFAULT_THREADS));

        Map<String, Long> before = heard(1, "triggered");
        assertEquals(0, before.get("model_errors"));

        try (CapturedLog log = CapturedLog.open()) {
            FaultModels.nanClassifiers(listenModels); // they pass the load probe: its decoded origin is dark
            send("/models/reload");
            List<Object> done = reply("/models/reload");
            Figures.append("listen-model-fault.txt", "reload of the NaN classifiers: " + done);
            assertEquals(List.of("/done", "/models/reload", "models 2.0.0, listen mode's too"), done);

            Map<String, Long> start = listenStatus();
            Map<String, Long> after = start;
            for (int i = 0; i < 5; i++) {
                after = heard(10 + i, "onsets");
            }
            long onsets = after.get("onsets") - start.get("onsets");
            long errors = after.get("model_errors") - start.get("model_errors");
            Figures.append("listen-model-fault.txt", "NaN classifier: " + onsets + " onsets, " + errors
                    + " model errors, triggered " + start.get("triggered") + " -> " + after.get("triggered"));
            assertTrue(onsets >= 5, "the bursts were heard: " + after);
            assertEquals(onsets, errors, "every hit heard was dropped and counted: " + after);
            assertEquals(start.get("triggered"), after.get("triggered"), "nothing triggered: " + after);
            assertEquals(start.get("hits"), after.get("hits"), "no hit reported: " + after);
            // The server serves on: it answers, and the render thread rendered nothing non-finite.
            assertEquals(1, status("models"));
            assertEquals(0, engine.counters().nonFiniteSamples());
            List<String> warned = log.recordsWith("listen: a hit could not be classified");
            assertEquals(1, warned.size(), "said once: " + log.records());
            assertTrue(warned.get(0).contains("non-finite") && warned.get(0).contains("such hits are dropped and counted"),
                    warned.get(0));
            log.expect("listen: a hit could not be classified");
        }

        FaultModels.copyShipped(listenModels);
        send("/models/reload");
        assertEquals("/done", reply("/models/reload").get(0));
        Map<String, Long> back = listenStatus();
        Map<String, Long> again = heard(30, "triggered");
        Figures.append("listen-model-fault.txt", "after the good reload: triggered " + back.get("triggered") + " -> "
                + again.get("triggered") + ", model errors " + again.get("model_errors"));
        assertEquals(back.get("model_errors"), again.get("model_errors"), "no more errors: " + again);
    }

    private void start(Path home, Path servedModels, Supplier<Models> listenLoader) throws Exception {
        DataFolder data = new DataFolder(home).create();
        engine = Engine.create(EngineConfig.defaults(), DefaultKit.create(48_000));
        engine.start(new NullSink(256));
        models = new ServeModels(servedModels, null);
        ListenConfig config = ListenConfig.defaults();
        mode = ListenMode.start(config, new LineSource(MicMixer.NAME, config.inputBlockFrames()), engine, listenLoader);
        mode.ready().get(120, TimeUnit.SECONDS);
        assertTrue(mode.openFailure().isEmpty(), mode.openFailure().orElse(""));
        models.listen(mode, listenLoader);
        ServerKits kits = new ServerKits(48_000, new KitLibrary(data));
        PresetStore store = new PresetStore(data.presets());
        PresetActions presets = new PresetActions(engine.proxy(), engine.commands(), kits, store, null);
        ServeActions actions = new ServeActions(presets, store, null);
        Namespace ns = ServerNamespace.build(engine, kits, () -> actions, () -> null, mode::controls, null, models);
        actions.serveModels(models);
        worker = models.started(models.load());
        osc = OscServer.start(OscServerConfig.defaults().withPort(0), ns, engine, System::nanoTime);
        osc.actions(actions);
        client = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        client.setSoTimeout(100);
        send("/listen", 1);
    }

    /**
     * Plays a burst into the microphone until listen mode's {@code counter} grows (a loaded machine
     * can make the test line lose a block), at most 6 times; returns {@code /listen/status} then.
     */
    private Map<String, Long> heard(long seed, String counter) throws Exception {
        for (int attempt = 0; attempt < 6; attempt++) {
            long before = listenStatus().get(counter);
            MicMixer.play(burst(seed));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                Thread.sleep(50);
                Map<String, Long> now = listenStatus();
                if (now.get(counter) > before) {
                    Thread.sleep(800); // the rest of the second, so the next burst starts on silence
                    return listenStatus();
                }
            }
        }
        return fail("listen mode's " + counter + " never grew: " + listenStatus());
    }

    private void send(String address, Object... args) throws Exception {
        OscMessageWriter w = OscMessageWriter.message(address, args);
        client.send(new DatagramPacket(w.buffer(), w.length(), InetAddress.getLoopbackAddress(), osc.port()));
    }

    /** The next message whose address is {@code address}, or the {@code /done}/{@code /fail} naming it. */
    private List<Object> reply(String address) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            List<Object> r = receive();
            if (r != null && (r.get(0).equals(address)
                    || (r.get(0).equals("/done") || r.get(0).equals("/fail")) && r.size() > 1 && address.equals(r.get(1)))) {
                return r;
            }
        }
        return fail("no reply to " + address);
    }

    private Map<String, Long> listenStatus() throws Exception {
        send("/listen/status");
        List<Object> r = reply("/listen/status.reply");
        Map<String, Long> out = new HashMap<>();
        for (int i = 1; i + 1 < r.size(); i += 2) {
            out.put((String) r.get(i), ((Number) r.get(i + 1)).longValue());
        }
        return out;
    }

    private int status(String key) throws Exception {
        send("/status");
        List<Object> r = reply("/status.reply");
        for (int i = 1; i + 1 < r.size(); i++) {
            if (key.equals(r.get(i))) {
                return ((Number) r.get(i + 1)).intValue();
            }
        }
        return fail(key + " not in " + r);
    }

    private List<Object> receive() throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[65_536], 65_536);
        try {
            client.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
        if (view.wrapChecked(p.getData(), 0, p.getLength(), 256) != null) {
            return null;
        }
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
