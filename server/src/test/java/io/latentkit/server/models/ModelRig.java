package io.latentkit.server.models;

import static org.junit.jupiter.api.Assertions.fail;

import io.latentkit.core.kit.DefaultKit;
import io.latentkit.core.kit.Sample;
import io.latentkit.core.namespace.Namespace;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.control.EngineClock;
import io.latentkit.engine.control.EngineSnapshot;
import io.latentkit.engine.sink.AudioSinkException;
import io.latentkit.engine.sink.MemorySink;
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
import io.latentkit.server.LatentSection;
import io.latentkit.server.PresetActions;
import io.latentkit.server.ServeActions;
import io.latentkit.server.ServeModels;
import io.latentkit.server.ServerKits;
import io.latentkit.server.ServerNamespace;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Predicate;

/**
 * {@code serve}'s model wiring with a models folder (as {@code --models DIR}): the engine rendered
 * offline on the test's thread with the default kit, the latent pads on the real inference worker
 * that {@link ServeModels} makes from the first load, {@code /models/reload} and {@code /status}
 * over the real OSC server on a free loopback port, and a UDP client. Replies to staged work arrive
 * only while the test renders, so {@link #await} renders block by block until its reply comes.
 */
final class ModelRig implements AutoCloseable {
    static final int SR = 48_000;

    final Engine engine;
    final LatentAgent agent;
    final ServeModels models;
    final InferenceWorker worker;
    final OscServer osc;
    final MemorySink sink = new MemorySink();
    final DatagramSocket client;
    private final OscMessageView view = OscMessageView.create(256);

    ModelRig(Path home, Path modelsFolder) throws Exception {
        DataFolder data = new DataFolder(home).create();
        engine = Engine.create(EngineConfig.defaults(), DefaultKit.create(SR),
                EngineClock.fixed(1_800_000_000_000_000_000L, SR));
        agent = new LatentAgent(engine.proxy(), engine.commands(), SR, LatentConfig.defaults(),
                new LatentLibrary(data.sounds().root()));
        models = new ServeModels(modelsFolder, agent);
        ServerKits kits = new ServerKits(SR, new KitLibrary(data));
        PresetStore store = new PresetStore(data.presets());
        PresetActions presets = new PresetActions(engine.proxy(), engine.commands(), kits, store, null)
                .section(new LatentSection(agent));
        ServeActions actions = new ServeActions(presets, store, null);
        Namespace ns = ServerNamespace.build(engine, kits, () -> actions, () -> null, () -> null, agent, models);
        actions.serveModels(models);
        // As serve: the first load, then the worker made from it whatever it gave.
        worker = models.started(models.load());
        osc = OscServer.start(OscServerConfig.defaults().withPort(0), ns, engine, System::nanoTime);
        osc.actions(actions);
        client = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        client.setSoTimeout(1);
        sink.open(SR, engine.config().blockFrames());
    }

    /** Sends one message: ints, floats and strings as given. */
    void send(String address, Object... args) throws IOException {
        OscMessageWriter w = OscMessageWriter.message(address, args);
        client.send(new DatagramPacket(w.buffer(), w.length(), InetAddress.getLoopbackAddress(), osc.port()));
    }

    /** {@code /latent/z pad z... id}. */
    void sendZ(int pad, float[] z, int id) throws IOException {
        Object[] args = new Object[z.length + 2];
        args[0] = pad;
        for (int i = 0; i < z.length; i++) {
            args[i + 1] = z[i];
        }
        args[z.length + 1] = id;
        send("/latent/z", args);
    }

    /** Renders one block, completing applied stages as the server's conductor does (paced: the worker needs time). */
    void renderBlock() {
        try {
            engine.renderOffline(sink, engine.config().blockFrames());
        } catch (AudioSinkException e) {
            throw new IllegalStateException(e);
        }
        engine.commands().completeApplied();
        LockSupport.parkNanos(400_000L);
    }

    /** Renders until a reply matching {@code wanted} arrives; returns it as address then arguments. */
    List<Object> await(Predicate<List<Object>> wanted, String what) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            renderBlock();
            List<Object> r = poll();
            if (r != null && wanted.test(r)) {
                return r;
            }
        }
        return fail("no " + what + " within 60 s of rendering");
    }

    /** The {@code /done} or {@code /fail} naming {@code address}. */
    List<Object> awaitReply(String address) throws IOException {
        return await(r -> (r.get(0).equals("/done") || r.get(0).equals("/fail")) && r.size() > 1
                && address.equals(r.get(1)), "reply to " + address);
    }

    /** {@code /latent/ready} for {@code id}, or the {@code /fail} of a {@code /latent/z}. */
    List<Object> awaitZ(int id) throws IOException {
        return await(r -> r.get(0).equals("/latent/ready") && r.get(2).equals(id)
                || r.get(0).equals("/fail") && "/latent/z".equals(r.get(1)), "answer to /latent/z " + id);
    }

    /** {@code /status.reply}'s integer for {@code key}. */
    int status(String key) throws IOException {
        send("/status");
        List<Object> r = await(x -> x.get(0).equals("/status.reply"), "/status.reply");
        for (int i = 1; i + 1 < r.size(); i++) {
            if (key.equals(r.get(i))) {
                return (Integer) r.get(i + 1);
            }
        }
        return fail(key + " not in " + r);
    }

    /** The next datagram, or {@code null} after a millisecond. */
    List<Object> poll() throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[65_536], 65_536);
        try {
            client.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        }
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

    /** The sample pad {@code pad} plays now (its live sample, or {@code null} for its kit's layers). */
    Sample liveSample(int pad) {
        EngineSnapshot s = new EngineSnapshot();
        engine.proxy().snapshot(s);
        renderBlock();
        return s.kit().pad(pad).liveSample();
    }

    @Override
    public void close() {
        client.close();
        osc.close();
        models.close();
        agent.close();
        worker.close();
        engine.close();
    }
}
