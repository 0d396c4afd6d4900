package io.latentkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code latentkit serve} as a user runs it: a separate JVM, stopped with SIGTERM.
 */
class ServeProcessTest {
    @TempDir
    Path dir;

    @Test
    void servePrintsWhatItRunsOnAnswersOscAndStopsCleanlyOnSigterm() throws Exception {
        int port;
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("serve.log");
        ProcessBuilder pb = new ProcessBuilder(java, "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "serve", "--audio-out", "none", "--buffer", "1024", "--osc-port", Integer.toString(port));
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.readString(log).contains("stop with") && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            String banner = Files.readString(log);
            assertTrue(banner.contains("latentkit serving: 48000 Hz, 64-frame blocks, 256 voices"), banner);
            assertTrue(banner.contains("audio out: null"), banner);
            assertTrue(banner.contains("osc: udp and tcp (SLIP) on 127.0.0.1:" + port), banner);
            assertTrue(statusReply(port).startsWith("/status.reply"), "the server answers /status over UDP");
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "serve stops after SIGTERM");
        } finally {
            p.destroyForcibly();
        }
        String all = Files.readString(log);
        assertEquals(143, p.exitValue(), "terminated by SIGTERM after its shutdown hook ran:\n" + all);
        assertTrue(all.contains("latentkit: stopped ("), all);
    }

    /** Sends {@code /status} (no arguments) over UDP and returns the address of the reply. */
    private static String statusReply(int port) throws Exception {
        byte[] msg = {'/', 's', 't', 'a', 't', 'u', 's', 0, ',', 0, 0, 0};
        try (java.net.DatagramSocket socket = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(10_000);
            socket.send(new java.net.DatagramPacket(msg, msg.length, java.net.InetAddress.getLoopbackAddress(), port));
            java.net.DatagramPacket reply = new java.net.DatagramPacket(new byte[2048], 2048);
            socket.receive(reply);
            int end = 0;
            while (end < reply.getLength() && reply.getData()[end] != 0) {
                end++;
            }
            return new String(reply.getData(), 0, end, java.nio.charset.StandardCharsets.US_ASCII);
        }
    }
}
