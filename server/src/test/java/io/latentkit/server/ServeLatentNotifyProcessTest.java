package io.latentkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.latentkit.core.DrumClass;
import io.latentkit.osc.codec.OscMessageView;
import io.latentkit.osc.codec.OscMessageWriter;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve} as a user runs it (a separate JVM, the shipped models): a {@code /notify}
 * subscriber hears a latent pad's {@code /latent/pos} and {@code /latent/ready}, which only
 * {@code ServeCommand}'s wiring of the latent agent to the OSC server's subscribers sends there.
 */
class ServeLatentNotifyProcessTest {
    private static final int PAD = DrumClass.PERC.pad();

    @TempDir
    Path dir;

    private final OscMessageView view = OscMessageView.create(256);

    @Test
    void aNotifySubscriberHearsWhereALatentPadWentAndWhenItWasLive() throws Exception {
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("serve.log");
        ProcessBuilder pb = new ProcessBuilder(java, "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve", "--audio-out", "none",
                "--no-midi", "--autosave-seconds", "0", "--osc-port", Integer.toString(port), "--http-port", "0");
        pb.environment().put("LATENTKIT_HOME", dir.resolve("home").toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        try (DatagramSocket subscriber = new DatagramSocket(0, InetAddress.getLoopbackAddress());
                DatagramSocket sender = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.readString(log).contains("stop with") && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(p.isAlive() && Files.readString(log).contains("stop with"), Files.readString(log));
            subscriber.setSoTimeout(200);
            sender.setSoTimeout(200);
            send(subscriber, port, new OscMessageWriter(64).begin("/notify", "i").putInt(1));
            await(subscriber, r -> r.get(0).equals("/done"), "/done for /notify", log);

            // The pad becomes latent (a random corner) and moves; the subscriber sent neither.
            send(sender, port, OscMessageWriter.message("/latent/anchor", PAD, 1, "random"));
            List<Object> anchored = await(sender, r -> r.size() > 1 && "/latent/anchor".equals(r.get(1)),
                    "the reply to /latent/anchor", log);
            assertEquals("/done", anchored.get(0), anchored.toString());
            send(sender, port, OscMessageWriter.message("/latent/xy", PAD, 0.75f, 0.25f, 7));
            List<Object> pos = await(subscriber, r -> r.get(0).equals("/latent/pos") && r.get(2).equals(0.75f),
                    "/latent/pos to the subscriber", log);
            assertEquals(List.of("/latent/pos", PAD, 0.75f, 0.25f), pos);
            List<Object> ready = await(subscriber, r -> r.get(0).equals("/latent/ready") && r.get(2).equals(7),
                    "/latent/ready 7 to the subscriber", log);
            assertEquals(PAD, ready.get(1));
            assertTrue(ready.get(3) instanceof Long, "the frame is an OSC int64: " + ready);
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "serve stops after SIGTERM");
        } finally {
            p.destroyForcibly();
        }
    }

    private static void send(DatagramSocket socket, int port, OscMessageWriter m) throws IOException {
        socket.send(new DatagramPacket(m.buffer(), m.length(), InetAddress.getLoopbackAddress(), port));
    }

    /** Datagrams on {@code socket} until one matches; address then arguments. */
    private List<Object> await(DatagramSocket socket, Predicate<List<Object>> wanted, String what, Path log)
            throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        DatagramPacket packet = new DatagramPacket(new byte[65_536], 65_536);
        while (System.nanoTime() < deadline) {
            try {
                socket.receive(packet);
            } catch (SocketTimeoutException e) {
                continue;
            }
            view.wrapChecked(packet.getData(), 0, packet.getLength(), 256);
            List<Object> r = new ArrayList<>();
            r.add(view.address());
            for (int i = 0; i < view.argCount(); i++) {
                char t = view.type(i);
                r.add(t == 's' ? view.string(i) : t == 'f' ? (Object) view.floatArg(i)
                        : t == 'h' ? (Object) view.longArg(i) : (Object) view.intArg(i));
            }
            if (wanted.test(r)) {
                return r;
            }
        }
        return fail("no " + what + " within 60 s\n" + Files.readString(log));
    }
}
