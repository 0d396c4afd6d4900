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
            assertTrue(banner.contains("audio out: null (--audio-out none;"), banner);
            assertTrue(banner.contains("osc: udp and tcp (SLIP) on 127.0.0.1:" + port), banner);
            assertTrue(statusReply(port).startsWith("/status.reply"), "the server answers /status over UDP");
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "serve stops after SIGTERM");
        } finally {
            p.destroyForcibly();
        }
        String all = Files.readString(log);
        assertEquals(0, p.exitValue(), "a clean stop on SIGTERM exits 0:\n" + all);
        assertTrue(all.contains("latentkit: stopped ("), all);
    }

    @Test
    void afterACrashTheAutosaveIsKeptAsAPresetAndRecoveredOnRequest() throws Exception {
        Path home = dir.resolve("home");
        int port = freePort();
        Process first = serve(home, port, dir.resolve("first.log"), "--autosave-seconds", "1");
        try {
            awaitBanner(first, dir.resolve("first.log"));
            byte[] pitch = {'/', 'p', 'a', 'd', '/', 's', 'n', 'a', 'r', 'e', '/', 'p', 'i', 't', 'c', 'h', 0, 0, 0, 0,
                ',', 'f', 0, 0, (byte) 0xC0, (byte) 0xA0, 0, 0}; // -5.0f
            try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
                s.send(new java.net.DatagramPacket(pitch, pitch.length, java.net.InetAddress.getLoopbackAddress(), port));
            }
            Path autosave = home.resolve("presets/.autosave.json");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(Files.exists(autosave) && Files.readString(autosave).contains("-5.0")) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(Files.readString(autosave).contains("-5.0"), "the autosave holds the change");
            first.destroyForcibly(); // SIGKILL: no shutdown hook, like a pulled power cord
            first.waitFor(30, TimeUnit.SECONDS);
        } finally {
            first.destroyForcibly();
        }

        Process second = serve(home, port, dir.resolve("second.log"), "--recover");
        String banner;
        try {
            banner = awaitBanner(second, dir.resolve("second.log"));
            // Ctrl-C: SIGINT is a clean stop too.
            new ProcessBuilder("kill", "-INT", Long.toString(second.pid())).start().waitFor(10, TimeUnit.SECONDS);
            assertTrue(second.waitFor(30, TimeUnit.SECONDS), "serve stops after SIGINT");
            assertEquals(0, second.exitValue(), "a clean stop on SIGINT exits 0");
        } finally {
            second.destroyForcibly();
            second.waitFor(30, TimeUnit.SECONDS);
        }
        assertTrue(banner.contains("recover: the previous session did not stop cleanly"), banner);
        assertTrue(banner.contains("is loaded and kept as preset 'recovered-"), banner);
        try (var files = Files.list(home.resolve("presets"))) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("recovered-")
                    && f.toString().endsWith(".json")), "the recovered state is a preset of its own");
        }
    }

    private static int freePort() throws Exception {
        try (java.net.DatagramSocket probe = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static Process serve(Path home, int port, Path log, String... extra) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(javaBin, "--add-exports",
                "java.base/jdk.internal.misc=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--audio-out", "none", "--no-midi", "--osc-port", Integer.toString(port)));
        cmd.addAll(java.util.List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("LATENTKIT_HOME", home.toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        return pb.start();
    }

    private static String awaitBanner(Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (!(Files.exists(log) && Files.readString(log).contains("stop with")) && p.isAlive()
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        String banner = Files.readString(log);
        assertTrue(banner.contains("stop with"), banner);
        return banner;
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
