package io.latentkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.DefaultKit;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.namespace.Namespace;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
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
import io.latentkit.testsupport.SmallDisk;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20: the kit library fills up during {@code /kit/extract}, on a real tmpfs mounted over the
 * library's {@code kits/} folder (root; skipped with the reason elsewhere). The sender gets one line
 * of {@code /fail} with the reason, the kit an earlier extraction made under that name is
 * byte-identical, no staging folder is left, and the same extraction succeeds once space returns.
 */
class ExtractDiskFullTest {
    private static final int RATE = 48_000;

    @TempDir
    Path home;

    @Test
    void aFullKitLibraryFailsTheExtractionKeepsTheEarlierKitAndTheNextExtractionSucceeds() throws Exception {
        DataFolder data = new DataFolder(home).create();
        KitLibrary library = new KitLibrary(data);
        library.importKit(Path.of(System.getProperty("latentkit.hydrogen.drumkits", "/usr/share/hydrogen/data/drumkits"))
                .resolve("ColomboAcousticDrumkit"), "colombo");
        Kit source = library.load("colombo", RATE);
        Groove g = Groove.generate(3, 100, 8, 0.0, EnumSet.of(DrumClass.KICK, DrumClass.SNARE, DrumClass.HIHAT_CLOSED),
                RATE);
        AudioFiles.writeWav16(data.recordings().root().resolve("take1.wav"),
                GrooveRender.render(source, g, GrooveRender.Room.DRY, 4), RATE);
        Path kits = data.kits().root();
        SmallDisk disk = SmallDisk.mount(kits, "16m");
        Engine engine = Engine.create(EngineConfig.defaults(), DefaultKit.create(RATE));
        Namespace ns = ServerNamespace.build(engine, new ServerKits(RATE, library), () -> null);
        OscServer osc = OscServer.start(OscServerConfig.defaults().withPort(0), ns, engine, System::nanoTime);
        MemorySink sink = new MemorySink();
        try (DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            send(client, osc, "/kit/extract", "take1.wav", "take");
            assertEquals(List.of("/done", "/kit/extract", "take"), reply(client, engine, sink));
            Map<String, String> before = digests(kits);
            assertTrue(before.keySet().stream().anyMatch(n -> n.endsWith("kit.json")), before.toString());

            Path filler = kits.resolve("filler.bin");
            disk.fill(filler, 0);
            send(client, osc, "/kit/extract", "take1.wav", "take");
            List<String> r = reply(client, engine, sink);
            assertEquals(List.of("/fail", "/kit/extract", "take"), r.subList(0, 3), r.toString());
            Files.writeString(Files.createDirectories(Path.of("target", "reliability")).resolve("extract-disk.txt"),
                    r + System.lineSeparator());
            assertTrue(r.get(3).contains("No space left on device"), r.get(3));
            assertFalse(r.get(3).contains("\n"), r.get(3));
            Files.delete(filler);
            assertEquals(before, digests(kits), "the earlier kit is byte-identical and no staging folder is left");

            send(client, osc, "/kit/extract", "take1.wav", "take");
            assertEquals(List.of("/done", "/kit/extract", "take"), reply(client, engine, sink));
            assertTrue(library.list().contains("take"));
        } finally {
            osc.close();
            engine.close();
            disk.close();
        }
    }

    /** Every file under {@code dir} (hidden ones too) with the SHA-256 of its bytes. */
    private static Map<String, String> digests(Path dir) throws Exception {
        Map<String, String> out = new TreeMap<>();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.toList()) {
                String rel = dir.relativize(p).toString();
                out.put(rel, Files.isRegularFile(p) ? HexFormat.of().formatHex(sha.digest(Files.readAllBytes(p))) : "dir");
            }
        }
        return out;
    }

    private static void send(DatagramSocket client, OscServer osc, String address, String... args) throws Exception {
        OscMessageWriter w = new OscMessageWriter(1024).begin(address, "s".repeat(args.length));
        for (String a : args) {
            w.putString(a);
        }
        client.send(new DatagramPacket(w.buffer(), w.length(), InetAddress.getLoopbackAddress(), osc.port()));
    }

    /** Renders block by block (staged commands complete once applied) until a reply arrives. */
    private static List<String> reply(DatagramSocket client, Engine engine, MemorySink sink) throws Exception {
        client.setSoTimeout(2);
        long deadline = System.nanoTime() + 120_000_000_000L;
        DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
        while (System.nanoTime() < deadline) {
            engine.renderOffline(sink, engine.config().blockFrames());
            sink.clear();
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
}
