package io.latentkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.DatagramSocket;
import java.net.InetAddress;

/** {@code serve --listen} as a user runs it: a separate JVM, stopped with SIGTERM. */
class ServeListenProcessTest {
    @TempDir
    Path dir;

    @Test
    void aMissingInputDeviceIsOneWarningAndServingGoesOn() throws Exception {
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = dir.resolve("serve.log");
        ProcessBuilder pb = new ProcessBuilder(java, "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve", "--audio-out", "none",
                "--no-midi", "--autosave-seconds", "0", "--osc-port", Integer.toString(port),
                "--listen", "device:no-such-microphone", "--listen-latency-ms", "25");
        pb.environment().put("LATENTKIT_HOME", dir.resolve("home").toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        Process p = pb.start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!Files.readString(log).contains("stop with") && p.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            Thread.sleep(2_500); // two retries of the missing device
            String out = Files.readString(log);
            assertTrue(out.contains("listen: device:no-such-microphone, drum 25 ms after each onset (15 ms classification window)"), out);
            assertEquals(1, out.lines().filter(l -> l.contains("no-such-microphone") && l.contains("warning")).count(),
                    "one warning:\n" + out);
            assertTrue(out.contains("latentkit: warning: no audio input device named 'no-such-microphone'; serving without"
                    + " listening (retried every second)"), out);
            assertTrue(p.isAlive(), out);
            p.destroy();
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "serve stops after SIGTERM");
        } finally {
            p.destroyForcibly();
        }
        assertTrue(Files.readString(log).contains("latentkit: stopped ("), Files.readString(log));
    }

    @Test
    void aListenFileThatDoesNotExistIsAUsageErrorBeforeAnythingStarts() {
        StringWriter err = new StringWriter();
        int exit = new picocli.CommandLine(new Main()).setErr(new PrintWriter(err, true))
                .setExecutionExceptionHandler((e, cmd, parsed) -> {
                    cmd.getErr().println("latentkit: " + e.getMessage());
                    return e instanceof UsageException ? 2 : 1;
                })
                .execute("serve", "--audio-out", "none", "--listen", "wav:" + dir.resolve("missing.wav"));
        assertEquals(2, exit, err.toString());
        assertTrue(err.toString().contains("listen input " + dir.resolve("missing.wav") + ": no such file"), err.toString());
    }
}
