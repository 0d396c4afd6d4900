package io.latentkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Pad;
import io.latentkit.core.kit.Sample;
import io.latentkit.core.kit.VelocityLayer;
import io.latentkit.core.namespace.Namespace;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.sink.MemorySink;
import io.latentkit.extract.eval.Groove;
import io.latentkit.extract.eval.GrooveRender;
import io.latentkit.models.AudioFiles;
import io.latentkit.osc.OscServer;
import io.latentkit.osc.OscServerConfig;
import io.latentkit.osc.codec.OscMessageView;
import io.latentkit.osc.codec.OscMessageWriter;
import io.latentkit.presets.DataFolder;
import io.latentkit.presets.kit.KitLibrary;
import io.latentkit.testsupport.Signals;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /kit/extract} over a real UDP socket against the server's namespace and an engine
 * rendered offline: a recording in the library's {@code recordings/} folder becomes a kit that
 * {@code /kit/list} lists and {@code /kit/load} swaps in without a click while a tone of the old
 * kit sounds; then the new kit's kick plays. A missing recording fails with the reason.
 */
class ExtractOverOscTest {
    static final int RATE = 48_000;
    static final double TONE_HZ = 220;

    @TempDir
    Path home;

    @Test
    void aLiveExtractionAppearsInTheKitListAndSwapsInWithoutAClick() throws Exception {
        DataFolder data = new DataFolder(home).create();
        KitLibrary library = new KitLibrary(data);
        library.importKit(Path.of(System.getProperty("latentkit.hydrogen.drumkits", "/usr/share/hydrogen/data/drumkits"))
                .resolve("ColomboAcousticDrumkit"), "colombo");
        Kit source = library.load("colombo", RATE);
        Groove g = Groove.generate(3, 100, 8, 0.0, EnumSet.of(DrumClass.KICK, DrumClass.SNARE, DrumClass.HIHAT_CLOSED), RATE);
        AudioFiles.writeWav16(data.recordings().root().resolve("take1.wav"),
                GrooveRender.render(source, g, GrooveRender.Room.DRY, 4), RATE);

        EngineConfig config = EngineConfig.defaults();
        Engine engine = Engine.create(config, toneKit());
        ServerKits kits = new ServerKits(RATE, library);
        Namespace ns = ServerNamespace.build(engine, kits, () -> null);
        OscServer osc = OscServer.start(OscServerConfig.defaults().withPort(0), ns, engine, System::nanoTime);
        MemorySink sink = new MemorySink();
        try (DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            send(client, osc, "/kit/extract", "missing.wav", "nope");
            List<String> missing = replyWhileRendering(client, engine, sink);
            assertEquals(List.of("/fail", "/kit/extract", "nope"), missing.subList(0, 3));
            assertTrue(missing.get(3).startsWith("no recording named 'missing.wav'"), missing.get(3));

            send(client, osc, "/kit/extract", "take1.wav", "my take");
            assertEquals(List.of("/done", "/kit/extract", "my take"), replyWhileRendering(client, engine, sink));
            send(client, osc, "/kit/list");
            List<String> list = replyWhileRendering(client, engine, sink);
            assertEquals("/kit/list.reply", list.get(0));
            assertTrue(list.contains("my take"), list.toString());

            // The old kit's tone sounds when the new kit comes in.
            engine.proxy().trigger(DrumClass.KICK.pad(), 1f, EngineProxy.ASAP);
            engine.renderOffline(sink, RATE / 4);
            int before = sink.frames();
            send(client, osc, "/kit/load", "my take");
            assertEquals(List.of("/done", "/kit/load", "my take"), replyWhileRendering(client, engine, sink));
            engine.renderOffline(sink, RATE / 4);
            float[] l = sink.left(0, sink.frames());
            float peak = 0;
            for (int i = before - RATE / 8; i < before; i++) {
                peak = Math.max(peak, Math.abs(l[i]));
            }
            assertTrue(peak > 0.3, "the tone sounded before the swap: " + peak);
            assertTrue(Signals.rms(l, sink.frames() - RATE / 8, sink.frames()) < 1e-4, "the swap faded the tone out");
            double fadeFrames = config.framesForMs(config.kitCrossfadeMs());
            double bound = 1.25 * (peak * 2 * Math.PI * TONE_HZ / RATE + peak / fadeFrames);
            float step = Signals.largestStep(l, before - RATE / 8, sink.frames());
            assertTrue(step <= bound, "largest step " + step + " > click bound " + bound);

            // The extracted kick plays.
            int at = sink.frames();
            engine.proxy().trigger(DrumClass.KICK.pad(), 1f, EngineProxy.ASAP);
            engine.renderOffline(sink, RATE / 4);
            assertTrue(Signals.rms(sink.left(at, sink.frames()), 0, RATE / 4) > 1e-3, "the extracted kick sounds");
        } finally {
            osc.close();
            engine.close();
        }
    }

    private static void send(DatagramSocket client, OscServer osc, String address, String... args) throws Exception {
        OscMessageWriter w = new OscMessageWriter(1024).begin(address, "s".repeat(args.length));
        for (String a : args) {
            w.putString(a);
        }
        client.send(new DatagramPacket(w.buffer(), w.length(), InetAddress.getLoopbackAddress(), osc.port()));
    }

    /** Renders block by block (staged commands complete once applied) until a reply arrives. */
    private static List<String> replyWhileRendering(DatagramSocket client, Engine engine, MemorySink sink) throws Exception {
        client.setSoTimeout(2);
        long deadline = System.nanoTime() + 120_000_000_000L;
        DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
        while (System.nanoTime() < deadline) {
            engine.renderOffline(sink, engine.config().blockFrames());
            try {
                client.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            }
            OscMessageView v = OscMessageView.create(64);
            v.wrapChecked(p.getData(), 0, p.getLength(), 256);
            List<String> out = new ArrayList<>();
            out.add(v.address());
            for (int i = 0; i < v.argCount(); i++) {
                out.add(v.isString(i) ? v.string(i) : Integer.toString(v.intArg(i)));
            }
            return out;
        }
        return fail("no reply within 120 s");
    }

    /** The old kit: a 10 s, 220 Hz sine on the kick pad. */
    static Kit toneKit() {
        float[] s = new float[10 * RATE];
        for (int i = 0; i < s.length; i++) {
            s[i] = (float) (0.5 * Math.sin(2 * Math.PI * TONE_HZ * i / RATE));
        }
        Pad[] pads = new Pad[DrumClass.COUNT];
        for (DrumClass c : DrumClass.values()) {
            pads[c.ordinal()] = c == DrumClass.KICK ? new Pad(c, VelocityLayer.of(Sample.mono("tone", s, RATE))) : new Pad(c);
        }
        return new Kit("tone", RATE, pads);
    }
}
