package io.latentkit.server;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import io.latentkit.osc.codec.OscMessageView;
import io.latentkit.osc.codec.OscMessageWriter;
import io.latentkit.testsupport.FaultModels;
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
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("serve.log");
        ProcessBuilder pb = new ProcessBuilder(java, "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "serve", "--audio-out", "none", "--buffer", "1024", "--osc-port", Integer.toString(port),
                "--http-port", "0");
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
            assertTrue(banner.contains("realtime: "), "the banner says what isolation it got: " + banner);
            assertTrue(banner.contains("web console: http://127.0.0.1:"), banner);
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
    void servesThroughAJackServerWithItsPortsOnThePlaybackPorts() throws Exception {
        // A private JACK server (jackd2's dummy driver), named for this process.
        String server = "lkserve" + ProcessHandle.current().pid();
        Process jackd = new ProcessBuilder("jackd", "-n", server, "-d", "dummy", "-r", "48000", "-p", "256")
                .redirectErrorStream(true).redirectOutput(dir.resolve("jackd.log").toFile()).start();
        int port = freePort();
        Path log = dir.resolve("serve-jack.log");
        try {
            Thread.sleep(1500);
            assertTrue(jackd.isAlive(), Files.readString(dir.resolve("jackd.log")));
            String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            ProcessBuilder pb = new ProcessBuilder(java, "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                    "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                    "serve", "--audio-out", "jack:lkserve", "--no-midi", "--osc-port", Integer.toString(port));
            pb.environment().put("JACK_DEFAULT_SERVER", server);
            pb.redirectErrorStream(true).redirectOutput(log.toFile());
            Process p = pb.start();
            try {
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (!Files.readString(log).contains("stop with") && p.isAlive() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                String banner = Files.readString(log);
                assertTrue(banner.contains("audio out: JACK client 'lkserve', 256-frame period, ports to "
                        + "system:playback_1, system:playback_2"), banner);
                assertTrue(statusReply(port).startsWith("/status.reply"), "the server answers /status over UDP");
                ProcessBuilder lsp = new ProcessBuilder("jack_lsp", "-c").redirectErrorStream(true);
                lsp.environment().put("JACK_DEFAULT_SERVER", server);
                String ports = new String(lsp.start().getInputStream().readAllBytes());
                assertTrue(ports.contains("lkserve:out_l\n   system:playback_1"), ports);
                p.destroy();
                assertTrue(p.waitFor(30, TimeUnit.SECONDS), "serve stops after SIGTERM");
                assertEquals(0, p.exitValue(), Files.readString(log));
            } finally {
                p.destroyForcibly();
            }
        } finally {
            jackd.destroy();
            jackd.waitFor(10, TimeUnit.SECONDS);
        }
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
            try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                s.send(new DatagramPacket(pitch, pitch.length, InetAddress.getLoopbackAddress(), port));
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

    @Test
    void aPresetsFolderThatCannotBeWrittenLeavesAutosaveOffAndServes() throws Exception {
        Path home = Files.createDirectories(dir.resolve("blocked"));
        Files.writeString(home.resolve("presets"), "a file where the presets folder should be");
        int port = freePort();
        Process p = serve(home, port, dir.resolve("blocked.log"));
        String banner;
        try {
            banner = awaitBanner(p, dir.resolve("blocked.log"));
            assertTrue(statusReply(port).startsWith("/status.reply"), "it serves");
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        assertTrue(banner.contains("latentkit: warning: autosave off for now (cannot start autosave in "), banner);
        assertTrue(banner.contains("retrying every 30 s"), banner);
        assertFalse(banner.contains("\tat "), "no stack trace:\n" + banner);
        assertEquals(0, p.exitValue());
    }

    @Test
    void aCorruptModelAtStartIsOneLineAndTheServerServesWithoutModels() throws Exception {
        Path home = Files.createDirectories(dir.resolve("corrupt-model"));
        Path models = Files.createDirectories(dir.resolve("corrupt-models"));
        FaultModels.copyShipped(models);
        FaultModels.truncated(models, "vae_decoder.onnx", 0.5);
        int port = freePort();
        Process p = serve(home, port, dir.resolve("corrupt-model.log"), "--models", models.toString(),
                "--listen", "device:no-such-microphone");
        String banner;
        try {
            banner = awaitBanner(p, dir.resolve("corrupt-model.log"));
            assertTrue(statusReply(port).startsWith("/status.reply"), "it serves");
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        assertTrue(banner.contains("latentkit: models unavailable: vae_decoder.onnx: not a usable ONNX model ("), banner);
        assertTrue(banner.contains("; serving without them\n"), banner);
        // Listen mode's copy follows --models: it says why it has none, and counts hits instead of playing them.
        String all = Files.readString(dir.resolve("corrupt-model.log"));
        assertTrue(all.contains("latentkit: warning: listen mode has no models (models unavailable: vae_decoder.onnx: "
                + "not a usable ONNX model ("), all);
        assertFalse(all.contains("\tat "), "no stack trace:\n" + all);
        assertFalse(banner.contains("\tat "), "no stack trace:\n" + banner);
        assertEquals(0, p.exitValue());
    }

    @Test
    void modelsReloadSwapsServesAndListenModesModelsAndRefusesABrokenSet() throws Exception {
        Path home = Files.createDirectories(dir.resolve("reload"));
        Path models = Files.createDirectories(dir.resolve("reload-models"));
        FaultModels.copyShipped(models);
        int port = freePort();
        Path log = dir.resolve("reload.log");
        Process p = serve(home, port, log, "--models", models.toString(), "--autosave-seconds", "0",
                "--listen", "device:no-such-microphone");
        List<String> done;
        List<String> refused;
        try {
            awaitBanner(p, log);
            done = request(port, "/models/reload");
            FaultModels.randomBytes(models, "classifier_short.onnx", 4096, 3L);
            refused = request(port, "/models/reload");
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        } finally {
            p.destroyForcibly();
        }
        assertEquals(List.of("/done", "/models/reload", "models 2.0.0, listen mode's too"), done);
        assertEquals(List.of("/fail", "/models/reload"), refused.subList(0, 2), refused.toString());
        assertTrue(refused.get(2).startsWith("classifier_short.onnx: not a usable ONNX model ("), refused.get(2));
        assertTrue(refused.get(2).endsWith("; still serving models 2.0.0"), refused.get(2));
        assertEquals(0, p.exitValue(), Files.readString(log));
    }

    @Test
    void aSupervisedServerKilledWithSigkillIsBackWithItsAutosaveWithinThreeSeconds() throws Exception {
        Path home = dir.resolve("supervised");
        int port = freePort();
        Path log = dir.resolve("supervised.log");
        Process supervisor = serve(home, port, log, "--supervise", "--autosave-seconds", "1");
        try {
            awaitBanner(supervisor, log);
            long childPid = childPid(Files.readString(log), 0);
            byte[] pitch = {'/', 'p', 'a', 'd', '/', 's', 'n', 'a', 'r', 'e', '/', 'p', 'i', 't', 'c', 'h', 0, 0, 0, 0,
                ',', 'f', 0, 0, (byte) 0xC0, (byte) 0xA0, 0, 0}; // -5.0f
            try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                s.send(new DatagramPacket(pitch, pitch.length, InetAddress.getLoopbackAddress(), port));
            }
            Path autosave = home.resolve("presets/.autosave.json");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!(Files.exists(autosave) && Files.readString(autosave).contains("-5.0")) && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            ProcessHandle.of(childPid).orElseThrow().destroyForcibly(); // SIGKILL the server, not the supervisor
            long killed = System.nanoTime();
            deadline = killed + TimeUnit.SECONDS.toNanos(120);
            while (!Files.readString(log).contains("server started (pid") || childPid(Files.readString(log), 1) < 0) {
                assertTrue(System.nanoTime() < deadline, Files.readString(log));
                Thread.sleep(20);
            }
            double restartSeconds = (System.nanoTime() - killed) / 1e9;
            System.out.printf("supervisor: server back (a new process started) %.2f s after SIGKILL%n", restartSeconds);
            assertTrue(restartSeconds < 3.0, "restarted within 3 s: " + restartSeconds);
            while (Files.readString(log).split("stop with", -1).length < 3) {
                assertTrue(System.nanoTime() < deadline, Files.readString(log));
                Thread.sleep(50);
            }
            String all = Files.readString(log);
            assertTrue(all.contains("died (exit 137, signal 9); restarting with --recover"), all);
            assertTrue(all.contains("recover: the previous session did not stop cleanly"), all);
            assertTrue(statusReply(port).startsWith("/status.reply"), "the restarted server answers");
            long second = childPid(all, 1);
            supervisor.destroy(); // SIGTERM to the supervisor
            assertTrue(supervisor.waitFor(60, TimeUnit.SECONDS), "the supervisor stops");
            assertEquals(0, supervisor.exitValue(), Files.readString(log));
            assertTrue(ProcessHandle.of(second).map(h -> !h.isAlive()).orElse(true), "and its server with it");
        } finally {
            supervisor.destroyForcibly();
        }
    }

    /** The pid of the {@code n}-th server the supervisor started, or -1. */
    private static long childPid(String log, int n) {
        Matcher m = Pattern.compile("server started \\(pid (\\d+)\\)").matcher(log);
        for (int i = 0; m.find(); i++) {
            if (i == n) {
                return Long.parseLong(m.group(1));
            }
        }
        return -1;
    }

    private static int freePort() throws Exception {
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    private static Process serve(Path home, int port, Path log, String... extra) throws Exception {
        String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // A shell starts background jobs with SIGINT ignored, the ignore is inherited across exec, and
        // the JVM then keeps ignoring it (as nohup expects); `mvn verify &` would make Ctrl-C look
        // broken. env resets SIGINT to its default, as a terminal's foreground process has it.
        List<String> cmd = new ArrayList<>(List.of("env", "--default-signal=INT", javaBin, "--add-exports",
                "java.base/jdk.internal.misc=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "serve", "--audio-out", "none", "--no-midi", "--osc-port", Integer.toString(port),
                "--http-port", "0"));
        cmd.addAll(List.of(extra));
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

    /** Sends {@code address} (no arguments) over UDP; the reply's address and string arguments. */
    private static List<String> request(int port, String address) throws Exception {
        OscMessageWriter w = new OscMessageWriter(256).begin(address, "");
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(120_000);
            socket.send(new DatagramPacket(w.buffer(), w.length(), InetAddress.getLoopbackAddress(), port));
            DatagramPacket reply = new DatagramPacket(new byte[4096], 4096);
            socket.receive(reply);
            OscMessageView v = OscMessageView.create(64);
            v.wrapChecked(reply.getData(), 0, reply.getLength(), 256);
            List<String> out = new ArrayList<>();
            out.add(v.address());
            for (int i = 0; i < v.argCount(); i++) {
                if (v.isString(i)) {
                    out.add(v.string(i));
                }
            }
            return out;
        }
    }

    /** Sends {@code /status} (no arguments) over UDP and returns the address of the reply. */
    private static String statusReply(int port) throws Exception {
        byte[] msg = {'/', 's', 't', 'a', 't', 'u', 's', 0, ',', 0, 0, 0};
        try (DatagramSocket socket = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            socket.setSoTimeout(10_000);
            socket.send(new DatagramPacket(msg, msg.length, InetAddress.getLoopbackAddress(), port));
            DatagramPacket reply = new DatagramPacket(new byte[2048], 2048);
            socket.receive(reply);
            int end = 0;
            while (end < reply.getLength() && reply.getData()[end] != 0) {
                end++;
            }
            return new String(reply.getData(), 0, end, StandardCharsets.US_ASCII);
        }
    }
}
