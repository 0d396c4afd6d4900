package io.latentkit.perf.soak;

import io.latentkit.osc.codec.OscMessageView;
import io.latentkit.osc.codec.OscMessageWriter;
import io.latentkit.server.Main;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code perf-tests/soak --minutes N [--out DIR] [--sample-seconds S]}: the load held. Starts
 * {@code latentkit serve} as a user would (its own JVM with the launcher's flags, null audio
 * output, a data folder of its own with two kits), drives it with {@link SoakLoad}'s deterministic
 * script over UDP, and every few seconds samples the process from outside ({@link ProcessSample})
 * and its {@code /status.reply}. Writes {@code soak.csv} and {@code soak.md} (the table, and the
 * flatness of memory and heap: the last 10 minutes against minutes 10-20 for runs of 30 minutes or
 * more), then stops the server with SIGTERM and checks it exits 0.
 *
 * <p>Threading: the main thread samples; the load runs on a thread of its own.
 */
public final class Soak {
    /** What a run measured. */
    public record Result(List<ProcessSample> samples, int exitCode, long messagesSent, Path report) {
    }

    private Soak() {
    }

    public static void main(String[] args) throws Exception {
        double minutes = 10;
        Path out = Path.of("perf-tests", "target", "soak-" + Instant.now().toString().replace(':', '-'));
        int sampleSeconds = 10;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--minutes" -> minutes = Double.parseDouble(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--sample-seconds" -> sampleSeconds = Integer.parseInt(args[++i]);
                default -> throw new IllegalArgumentException("usage: soak --minutes N [--out DIR] [--sample-seconds S]");
            }
        }
        Result r = run(minutes, sampleSeconds, out, System.out);
        System.out.println("report: " + r.report());
        System.exit(r.exitCode() == 0 ? 0 : 1);
    }

    /** Runs a soak of {@code minutes}, sampling every {@code sampleSeconds}, writing into {@code out}. */
    public static Result run(double minutes, int sampleSeconds, Path out, PrintStream log) throws Exception {
        Path home = Files.createDirectories(out.resolve("home"));
        String[] kits = {"soak-a", "soak-b"};
        for (int k = 0; k < kits.length; k++) {
            Path src = writeKit(out.resolve("src-" + kits[k]), 0.2f + 0.2f * k);
            int code = Main.run("kit", "import", src.toString(), "--name", kits[k], "--data", home.toString());
            if (code != 0) {
                throw new IllegalStateException("kit import of " + kits[k] + " failed: " + code);
            }
        }
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path serverLog = out.resolve("serve.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseZGC", "-Xms1g", "-Xmx1g", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-XX:PerMethodTrapLimit=0", "-XX:PerBytecodeTrapLimit=0", "-XX:+AlwaysPreTouch",
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve",
                "--audio-out", "none", "--no-midi", "--osc-port", Integer.toString(port), "--http-port", "0",
                "--autosave-seconds", "10",
                "--data", home.toString()));
        Process server = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(serverLog.toFile()).start();
        List<ProcessSample> samples = new ArrayList<>();
        SoakLoad load = new SoakLoad(port, 42, 1_000, kits);
        Thread loader = new Thread(load, "soak-load");
        int exit;
        try (DatagramSocket replies = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            replies.setSoTimeout(5_000);
            awaitBanner(server, serverLog);
            long start = System.nanoTime();
            loader.start();
            long end = start + (long) (minutes * 60e9);
            long next = start + sampleSeconds * 1_000_000_000L;
            while (System.nanoTime() < end && server.isAlive()) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                next += sampleSeconds * 1_000_000_000L;
                double t = (System.nanoTime() - start) / 1e9;
                ProcessSample s = ProcessSample.take(server.pid(), t, status(replies, port), true);
                samples.add(s);
                log.printf(Locale.ROOT, "soak %6.0f s: rss %d MiB, heap %d MiB, threads %d, files %d, misses %.0f, drops %.0f%n",
                        t, s.rssKib() / 1024, s.heapAfterGcMib(), s.threads(), s.openFiles(),
                        s.status().getOrDefault("misses", -1.0), s.status().getOrDefault("drops", -1.0));
            }
        } finally {
            load.stop();
            loader.join(5_000);
            server.destroy(); // SIGTERM: a clean stop
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        exit = server.waitFor();
        Path report = SoakReport.write(out, samples, exit, load.sent(), minutes);
        return new Result(samples, exit, load.sent(), report);
    }

    /** {@code /status} over UDP, as name -> number. */
    static Map<String, Double> status(DatagramSocket socket, int port) throws IOException {
        byte[] q = new OscMessageWriter(64).begin("/status", "").toByteArray();
        socket.send(new DatagramPacket(q, q.length, InetAddress.getLoopbackAddress(), port));
        byte[] buf = new byte[65_536];
        Map<String, Double> out = new LinkedHashMap<>();
        for (int tries = 0; tries < 20; tries++) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                return out;
            }
            OscMessageView m = OscMessageView.create(128);
            if (m.wrapChecked(buf, 0, p.getLength(), 256) != null || !m.address().equals("/status.reply")) {
                continue; // a reply to something else
            }
            String[] head = {"voices", "cpu_avg", "cpu_peak", "rate", "misses", "late", "drops"};
            for (int i = 0; i < head.length && i < m.argCount(); i++) {
                out.put(head[i], m.number(i));
            }
            for (int i = head.length; i + 1 < m.argCount(); i += 2) {
                if (m.isString(i) && m.isNumber(i + 1)) {
                    out.put(m.string(i), m.number(i + 1));
                }
            }
            return out;
        }
        return out;
    }

    private static void awaitBanner(Process p, Path log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline && p.isAlive()) {
            if (Files.exists(log) && Files.readString(log).contains("stop with")) {
                return;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("serve did not start:\n" + (Files.exists(log) ? Files.readString(log) : ""));
    }

    /** A folder kit of twelve short synthesized 16-bit WAVs named by class, at {@code level}. */
    static Path writeKit(Path dir, float level) throws IOException {
        Files.createDirectories(dir);
        String[] names = {"kick", "snare", "rim", "clap", "hihat_closed", "hihat_open", "tom_low", "tom_mid",
            "tom_high", "crash", "ride", "perc"};
        for (int c = 0; c < names.length; c++) {
            int frames = 48_000 / 4;
            ByteBuffer b = ByteBuffer.allocate(44 + frames * 2).order(ByteOrder.LITTLE_ENDIAN);
            b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + frames * 2)
                    .put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                    .putInt(48_000).putInt(96_000).putShort((short) 2).putShort((short) 16)
                    .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(frames * 2);
            double hz = 60 + 70 * c;
            for (int i = 0; i < frames; i++) {
                double env = Math.exp(-i / (48_000 * 0.05));
                b.putShort((short) (32767 * level * env * Math.sin(2 * Math.PI * hz * i / 48_000)));
            }
            Files.write(dir.resolve(names[c] + ".wav"), b.array());
        }
        return dir;
    }

    static void writeCsv(Path file, List<ProcessSample> samples) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8))) {
            w.println("seconds,rss_kib,heap_after_gc_mib,threads,open_files,status");
            for (ProcessSample s : samples) {
                w.printf(Locale.ROOT, "%.1f,%d,%d,%d,%d,\"%s\"%n", s.seconds(), s.rssKib(), s.heapAfterGcMib(),
                        s.threads(), s.openFiles(), s.status());
            }
        }
    }
}
