package io.latentkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.DefaultKit;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.namespace.Namespace;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.sink.NullSink;
import io.latentkit.listen.ListenConfig;
import io.latentkit.listen.ListenMode;
import io.latentkit.listen.ListenNodes;
import io.latentkit.listen.input.FileSource;
import io.latentkit.models.Models;
import io.latentkit.osc.OscServer;
import io.latentkit.osc.OscServerConfig;
import io.latentkit.osc.codec.OscMessageWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Listen mode's controls and telemetry over real OSC on loopback: the server's namespace with
 * listen mode running on a file of kick drums, or without it.
 */
class ListenOscTest {
    private static final int SR = 48_000;

    @Test
    void withoutListenModeEveryListenCommandFailsWithTheReason() throws Exception {
        try (Engine engine = Engine.create(EngineConfig.defaults(), DefaultKit.create(SR))) {
            engine.warmupBlocks(0);
            engine.start(new NullSink(256));
            Namespace ns = ServerNamespace.build(engine, null, () -> null, () -> null, () -> null);
            try (OscServer osc = OscServer.start(OscServerConfig.defaults().withPort(0), ns, engine, System::nanoTime);
                 DatagramSocket socket = socket()) {
                send(socket, osc, new OscMessageWriter(128).begin("/listen", "i").putInt(1));
                String reply = receive(socket, "/fail");
                assertTrue(reply.contains("/listen") && reply.contains(ListenNodes.OFF), reply);
                send(socket, osc, new OscMessageWriter(128).begin("/listen/learn", "s").putString("b"));
                reply = receive(socket, "/fail");
                assertTrue(reply.contains("/listen/learn") && reply.contains(ListenNodes.OFF), reply);
            }
        }
    }

    @Test
    void theControlsChangeListenModeAndEachHitReachesSubscribers() throws Exception {
        Kit kit = DefaultKit.create(SR);
        float[] kick = kit.pad(DrumClass.KICK).pick(1f).left();
        float[] take = new float[SR * 60];
        for (int at = SR; at + kick.length < take.length; at += SR / 2) {
            System.arraycopy(kick, 0, take, at, kick.length);
        }
        try (Engine engine = Engine.create(EngineConfig.defaults(), DefaultKit.create(SR))) {
            engine.warmupBlocks(0);
            engine.start(new NullSink(256));
            try (ListenMode mode = ListenMode.start(ListenConfig.defaults(), FileSource.of(take), engine)) {
                Namespace ns = ServerNamespace.build(engine, null, () -> null, () -> null, mode::controls);
                try (OscServer osc = OscServer.start(OscServerConfig.defaults().withPort(0), ns, engine, System::nanoTime);
                     DatagramSocket socket = socket()) {
                    mode.controls().addHitListener(ListenNodes.telemetry(osc::notifySubscribers));
                    mode.ready().get(120, TimeUnit.SECONDS);

                    send(socket, osc, new OscMessageWriter(128).begin("/listen/threshold", "f").putFloat(500f));
                    assertTrue(receive(socket, "/fail").contains("0..100"));
                    send(socket, osc, new OscMessageWriter(128).begin("/listen/threshold", "f").putFloat(2f));
                    assertTrue(receive(socket, "/done").contains("/listen/threshold"));
                    assertEquals(2f, mode.controls().threshold());

                    send(socket, osc, new OscMessageWriter(128).begin("/listen/map", "si").putString("kick").putInt(99));
                    assertTrue(receive(socket, "/fail").contains("-1..11"));
                    send(socket, osc, new OscMessageWriter(128).begin("/listen/map", "si").putString("kick").putInt(3));
                    assertTrue(receive(socket, "/done").contains("kick=3"));
                    assertEquals(3, mode.controls().padFor("kick"));

                    send(socket, osc, new OscMessageWriter(128).begin("/listen/forget", "s").putString("all"));
                    assertTrue(receive(socket, "/done").contains("/listen/forget"));

                    send(socket, osc, new OscMessageWriter(128).begin("/notify", "i").putInt(1));
                    receive(socket, "/done");
                    String hit = receive(socket, "/listen/hit\0");
                    int tags = hit.indexOf(",sfih\0");
                    assertTrue(tags > 0, hit);
                    int from = tags + 8; // ",sfih" and its padding to four bytes
                    String className = hit.substring(from, hit.indexOf('\0', from));
                    assertFalse(className.isEmpty(), hit);
                    String channel = receive(socket, "/listen/hit/" + className + "\0");
                    assertTrue(channel.contains(",f\0"), channel);

                    send(socket, osc, new OscMessageWriter(128).begin("/listen/status", ""));
                    String status = receive(socket, "/listen/status.reply");
                    assertTrue(status.contains("missed_slots") && status.contains("triggered"), status);
                    assertTrue(mode.counters().hits() >= 1, "the hit above was counted");

                    send(socket, osc, new OscMessageWriter(128).begin("/listen", "i").putInt(0));
                    assertTrue(receive(socket, "/done").contains("off"));
                    assertFalse(mode.controls().enabled());
                }
            }
        }
    }

    @Test
    void captureRecordsTheInputIntoTheRecordingsFolderAndRefusesPaths(@TempDir Path recordings) throws Exception {
        float[] take = new float[SR * 60];
        for (int i = 0; i < take.length; i++) {
            take[i] = (float) Math.sin(i * 0.05) * 0.1f;
        }
        try (Engine engine = Engine.create(EngineConfig.defaults(), DefaultKit.create(SR))) {
            engine.warmupBlocks(0);
            engine.start(new NullSink(256));
            try (ListenMode mode = ListenMode.start(ListenConfig.defaults(), FileSource.of(take), engine,
                    () -> Models.unavailable("not needed to record"))) {
                Namespace.Builder b = Namespace.builder(engine.values().board());
                ListenNodes.register(b, mode::controls, () -> recordings);
                try (OscServer osc = OscServer.start(OscServerConfig.defaults().withPort(0), b.build(), engine,
                        System::nanoTime); DatagramSocket socket = socket()) {
                    send(socket, osc, new OscMessageWriter(128).begin("/listen/capture", "s").putString("../escape"));
                    assertTrue(receive(socket, "/fail").contains("a recording is a name in the library, not a path"));
                    send(socket, osc, new OscMessageWriter(128).begin("/listen/capture", "s").putString("take"));
                    assertTrue(receive(socket, "/done").contains("recording take.wav"));
                    send(socket, osc, new OscMessageWriter(128).begin("/listen/capture", "s").putString("other"));
                    assertTrue(receive(socket, "/fail").contains("already recording take.wav"));
                    Thread.sleep(500);
                    send(socket, osc, new OscMessageWriter(128).begin("/listen/capture/stop", ""));
                    assertTrue(receive(socket, "/done").contains("take.wav: "));
                    assertTrue(Files.size(recordings.resolve("take.wav")) > 44 + SR, "half a second or more recorded");
                    send(socket, osc, new OscMessageWriter(128).begin("/listen/capture/stop", ""));
                    assertTrue(receive(socket, "/fail").contains("not recording"));
                    send(socket, osc, new OscMessageWriter(128).begin("/listen/capture/last", "fs").putFloat(0.5f)
                            .putString("just-now"));
                    assertTrue(receive(socket, "/done").contains("just-now.wav: 0.5 s"));
                    assertEquals(44 + SR, Files.size(recordings.resolve("just-now.wav")), "half a second at 48 kHz, 16 bits");
                    send(socket, osc, new OscMessageWriter(128).begin("/listen/capture/last", "f").putFloat(0.5f));
                    assertTrue(receive(socket, "/done").matches("(?s).*last-\\d{8}-\\d{6}\\.wav: 0\\.5 s.*"));
                    send(socket, osc, new OscMessageWriter(128).begin("/listen/capture/last", "fs").putFloat(0.5f)
                            .putString("just-now"));
                    assertTrue(receive(socket, "/fail").contains("just-now.wav exists already"));

                    send(socket, osc, new OscMessageWriter(128).begin("/listen/feedback", "i").putInt(0));
                    assertTrue(receive(socket, "/done").contains("off"));
                    assertFalse(mode.controls().feedbackGuard());
                }
            }
        }
    }

    private static DatagramSocket socket() throws Exception {
        DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        s.setSoTimeout(30_000);
        return s;
    }

    private static void send(DatagramSocket socket, OscServer osc, OscMessageWriter w) throws Exception {
        byte[] b = w.toByteArray();
        socket.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), osc.port()));
    }

    /** The next message whose bytes start with {@code prefix}, as Latin-1 text; others are skipped. */
    private static String receive(DatagramSocket socket, String prefix) throws Exception {
        byte[] buf = new byte[65_536];
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                break;
            }
            String m = new String(buf, 0, p.getLength(), StandardCharsets.ISO_8859_1);
            if (m.startsWith(prefix)) {
                return m;
            }
        }
        throw new AssertionError("no " + prefix.trim() + " within 30 s");
    }
}
