package io.latentkit.server.latent;

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
 * A whole latent server as {@code serve} wires it, rendered offline on the test's thread: an engine
 * with a fixed clock and the default kit, the latent agent on a real inference worker with the
 * shipped models, presets with the latent section, a library folder, and the real OSC server on a
 * free loopback port, with a UDP client. Replies to staged work arrive only while the test renders,
 * so {@link #await} renders block by block (and completes applied stages, as the conductor does)
 * until the reply it waits for comes.
 */
final class LatentRig implements AutoCloseable {
    static final int SR = 48_000;
    static final long EPOCH_NANOS = 1_800_000_000_000_000_000L;

    final Engine engine;
    final LatentAgent agent;
    final OscServer osc;
    final MemorySink sink = new MemorySink();
    final DataFolder data;
    final DatagramSocket client;
    private final OscMessageView view = OscMessageView.create(256);

    LatentRig(Path home, InferenceWorker worker, LatentConfig config) throws Exception {
        data = new DataFolder(home).create();
        engine = Engine.create(EngineConfig.defaults(), DefaultKit.create(SR), EngineClock.fixed(EPOCH_NANOS, SR));
        agent = new LatentAgent(engine.proxy(), engine.commands(), SR, config, new LatentLibrary(data.sounds().root()));
        if (worker != null) {
            agent.attach(worker);
        }
        ServerKits kits = new ServerKits(SR, new KitLibrary(data));
        PresetStore store = new PresetStore(data.presets());
        PresetActions presets = new PresetActions(engine.proxy(), engine.commands(), kits, store, null)
                .section(new LatentSection(agent));
        ServeActions actions = new ServeActions(presets, store, null);
        Namespace ns = ServerNamespace.build(engine, kits, () -> actions, () -> null, () -> null, agent);
        osc = OscServer.start(OscServerConfig.defaults().withPort(0), ns, engine, System::nanoTime);
        osc.actions(actions);
        agent.subscribers(osc::notifySubscribers); // as ServeCommand wires it
        client = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        client.setSoTimeout(1);
        sink.open(SR, engine.config().blockFrames());
    }

    /** Sends one message: ints, floats and strings as given. */
    void send(String address, Object... args) throws IOException {
        OscMessageWriter w = OscMessageWriter.message(address, args);
        client.send(new DatagramPacket(w.buffer(), w.length(), InetAddress.getLoopbackAddress(), osc.port()));
    }

    /**
     * Renders one block, completing applied stages as the server's conductor does. Paced at most
     * about three times real time: a wait of a minute for the worker must not fill the heap with
     * the memory sink's audio.
     */
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
        return await(client, wanted, what);
    }

    /** As {@link #await(Predicate, String)}, on another socket (a /notify subscriber's). */
    List<Object> await(DatagramSocket socket, Predicate<List<Object>> wanted, String what) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            renderBlock();
            List<Object> r = poll(socket);
            if (r != null && wanted.test(r)) {
                return r;
            }
        }
        return fail("no " + what + " within 60 s of rendering");
    }

    /** Renders until a reply to {@code address} (a /done or /fail naming it, or the address itself) arrives. */
    List<Object> awaitReply(String address) throws IOException {
        return await(r -> r.get(0).equals(address) || r.size() > 1 && address.equals(r.get(1)), "reply to " + address);
    }

    /** The next datagram, or {@code null} after a millisecond. */
    List<Object> poll() throws IOException {
        return poll(client);
    }

    /** The next datagram on {@code socket} (its timeout set short), or {@code null}. */
    List<Object> poll(DatagramSocket socket) throws IOException {
        DatagramPacket p = new DatagramPacket(new byte[65_536], 65_536);
        try {
            socket.receive(p);
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

    /** Renders until no datagram has come for {@code blocks} blocks; returns what came. */
    List<List<Object>> drain(int blocks) throws IOException {
        List<List<Object>> got = new ArrayList<>();
        for (int quiet = 0; quiet < blocks;) {
            renderBlock();
            List<Object> r = poll();
            if (r == null) {
                quiet++;
            } else {
                got.add(r);
                quiet = 0;
            }
        }
        return got;
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
        agent.close();
        engine.close();
    }
}
