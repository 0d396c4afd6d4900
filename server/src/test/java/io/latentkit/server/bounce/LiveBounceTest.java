package io.latentkit.server.bounce;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.osc.codec.OscMessageWriter;
import io.latentkit.server.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.io.PrintWriter;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * The live server's recording and the offline re-render of its control log are the same file: a
 * separate {@code serve} JVM records to a WAV file ({@code --audio-out wav:}) and logs its control
 * ({@code --record-control}) while OSC plays hits, moves parameters and the tempo, edits and plays a
 * pattern with swing, saves and loads a pattern and a preset; after SIGTERM, {@code latentkit render
 * --control} renders the log, and the two files are compared byte for byte.
 */
class LiveBounceTest {
    @TempDir
    Path dir;
    private Path serveLogFile;

    @Test
    void theLiveRecordingAndTheOfflineRenderOfItsControlLogAreIdenticalFiles() throws Exception {
        Path home = dir.resolve("home");
        Path live = dir.resolve("live.wav");
        Path controlLog = dir.resolve("session.jsonl");
        Path serveLog = dir.resolve("serve.log");
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve", "--no-midi",
                "--autosave-seconds", "0", "--audio-out", "wav:" + live, "--record-control", controlLog.toString(),
                "--osc-port", Integer.toString(port));
        pb.environment().put("LATENTKIT_HOME", home.toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(serveLog.toFile());
        Process p = pb.start();
        this.serveLogFile = serveLog;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            while (!(Files.exists(serveLog) && Files.readString(serveLog).contains("stop with")) && p.isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertTrue(Files.readString(serveLog).contains("control log: " + controlLog), Files.readString(serveLog));
            s.setSoTimeout(10_000);
            send(s, port, msg("/tempo", ",f", 131.5f));
            for (int t = 0; t < 128; t += 16) {
                send(s, port, msg("/pattern/cell", ",iif", 4, t, 0.7f));
            }
            send(s, port, msg("/pattern/cell", ",iif", 0, 0, 1f));
            send(s, port, msg("/pattern/cell", ",iif", 1, 32, 0.9f));
            send(s, port, msg("/swing", ",f", 0.4f));
            send(s, port, msg("/pattern/play", ""));
            Thread.sleep(700);
            send(s, port, msg("/hit", ",if", 3, 0.8f));
            send(s, port, msg("/pad/snare/pitch", ",f", -4f));
            send(s, port, msg("/pattern/save", ",s", "take"));
            expect(s, "/done");
            send(s, port, msg("/pattern/cell", ",iif", 9, 64, 1f));
            send(s, port, msg("/pattern/bars", ",i", 2));
            Thread.sleep(600);
            send(s, port, msg("/preset/save", ",s", "set"));
            expect(s, "/done");
            send(s, port, msg("/pattern/load", ",s", "take"));
            expect(s, "/done");
            send(s, port, msg("/tempo", ",f", 97f));
            send(s, port, msg("/pattern/generate", ",iff", 1, 0.6f, 0f));
            expect(s, "/done");
            Thread.sleep(800);
            send(s, port, msg("/preset/load", ",s", "set"));
            expect(s, "/done");
            Thread.sleep(500);
            send(s, port, msg("/pattern/stop", ""));
            send(s, port, msg("/hit/kick", ",f", 1f));
            Thread.sleep(300);
            p.destroy(); // SIGTERM: a clean stop closes the recording and the log
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "serve stops");
        } finally {
            p.destroyForcibly();
        }
        assertEquals(0, p.exitValue(), Files.readString(serveLog));

        Path offline = dir.resolve("offline.wav");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int code;
        try {
            code = new picocli.CommandLine(new Main()).setOut(new PrintWriter(out, true))
                    .execute("render", "--control", controlLog.toString(), "--out", offline.toString(),
                            "--data", home.toString());
        } finally {
            System.setOut(saved);
        }
        assertEquals(0, code, out.toString());
        List<String> lines = Files.readAllLines(controlLog);
        assertTrue(lines.size() > 20, "events logged: " + lines.size());
        assertTrue(lines.get(lines.size() - 1).startsWith("{\"end\":"), lines.get(lines.size() - 1));
        assertTrue(lines.get(lines.size() - 1).endsWith("\"lost\":0}"), lines.get(lines.size() - 1));
        byte[] a = Files.readAllBytes(live);
        byte[] b = Files.readAllBytes(offline);
        assertTrue(a.length > 48_000 * 8, "the live recording has seconds of audio: " + a.length + " bytes");
        assertTrue(nonZeroSamples(a) > 10_000, "the session is not silent");
        assertEquals(a.length, b.length, "same length");
        assertArrayEquals(a, b, "the offline re-render is the live recording, byte for byte");
        System.out.printf("live recording and offline re-render identical: %d bytes, %d control lines%n", a.length,
                lines.size());
    }

    private static long nonZeroSamples(byte[] wav) {
        long n = 0;
        for (int i = 44; i + 3 < wav.length; i += 4) {
            if (wav[i] != 0 || wav[i + 1] != 0 || wav[i + 2] != 0 || wav[i + 3] != 0) {
                n++;
            }
        }
        return n;
    }

    private static byte[] msg(String address, String tags, Object... args) {
        OscMessageWriter w = new OscMessageWriter(512).begin(address, tags.isEmpty() ? "" : tags.substring(1));
        for (Object a : args) {
            if (a instanceof Integer i) {
                w.putInt(i);
            } else if (a instanceof Float f) {
                w.putFloat(f);
            } else {
                w.putString((String) a);
            }
        }
        return w.toByteArray();
    }

    private static void send(DatagramSocket s, int port, byte[] b) throws Exception {
        s.send(new DatagramPacket(b, b.length, InetAddress.getLoopbackAddress(), port));
    }

    /** Waits for a reply starting with {@code address}; fails on /fail. */
    private void expect(DatagramSocket s, String address) throws Exception {
        byte[] buf = new byte[2048];
        List<String> seen = new ArrayList<>();
        while (true) {
            DatagramPacket r = new DatagramPacket(buf, buf.length);
            try {
                s.receive(r);
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no " + address + " reply; seen " + seen + "; serve said:\n"
                        + Files.readString(serveLogFile), e);
            }
            String text = new String(buf, 0, r.getLength(), StandardCharsets.ISO_8859_1);
            seen.add(text.replace('\0', ' '));
            assertTrue(!text.startsWith("/fail"), "reply: " + seen);
            if (text.startsWith(address)) {
                return;
            }
        }
    }
}
