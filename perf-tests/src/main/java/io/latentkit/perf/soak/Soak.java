package io.latentkit.perf.soak;

import io.latentkit.osc.codec.OscMessageView;
import io.latentkit.osc.codec.OscMessageWriter;
import io.latentkit.server.Main;
import io.latentkit.testsupport.audio.MicMixer;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
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
 * {@code perf-tests/soak --minutes N [--out DIR] [--sample-seconds S] [--smoke-script]}: the load
 * held. Starts {@code latentkit serve} as a user would (its own JVM with the launcher's flags, null
 * audio output, a data folder of its own with two kits, {@code --models} on a copy of the shipped
 * models, listen mode on a microphone and MIDI from a controller, both test-scope devices driven
 * inside that JVM by {@link SoakServe}), drives it with {@link SoakLoad}'s deterministic script
 * over UDP, hears its output level through {@link SoakMeter}, and every few seconds samples the
 * process from outside ({@link ProcessSample}), its {@code /status.reply} and
 * {@code /listen/status.reply}. Writes {@code soak.csv} and {@code soak.md} (the table, and the
 * flatness of memory and heap: the last 10 minutes against minutes 10-20 for runs of 30 minutes or
 * more), then stops the server with SIGTERM and checks it exits 0.
 *
 * <p>Threading: the main thread samples; the load and the meter run on threads of their own.
 */
public final class Soak {
    /** What a run measured. */
    public record Result(List<ProcessSample> samples, int exitCode, long messagesSent, long goodReloadsSent,
                         long badReloadsSent, Path report) {
    }

    private Soak() {
    }

    public static void main(String[] args) throws Exception {
        double minutes = 10;
        Path out = Path.of("perf-tests", "target", "soak-" + Instant.now().toString().replace(':', '-'));
        int sampleSeconds = 10;
        SoakLoad.Script script = SoakLoad.Script.standard();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--minutes" -> minutes = Double.parseDouble(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--sample-seconds" -> sampleSeconds = Integer.parseInt(args[++i]);
                case "--smoke-script" -> script = SoakLoad.Script.smoke();
                default -> throw new IllegalArgumentException(
                        "usage: soak --minutes N [--out DIR] [--sample-seconds S] [--smoke-script]");
            }
        }
        Result r = run(minutes, sampleSeconds, script, out, System.out);
        System.out.println("report: " + r.report());
        System.exit(r.exitCode() == 0 ? 0 : 1);
    }

    /** Runs a soak of {@code minutes} with the standard script, sampling every {@code sampleSeconds}, into {@code out}. */
    public static Result run(double minutes, int sampleSeconds, Path out, PrintStream log) throws Exception {
        return run(minutes, sampleSeconds, SoakLoad.Script.standard(), out, log);
    }

    /** Runs a soak of {@code minutes} under {@code script}, sampling every {@code sampleSeconds}, into {@code out}. */
    static Result run(double minutes, int sampleSeconds, SoakLoad.Script script, Path out, PrintStream log)
            throws Exception {
        Path home = Files.createDirectories(out.resolve("home"));
        String[] kits = {"soak-a", "soak-b"};
        for (int k = 0; k < kits.length; k++) {
            Path src = SoakFiles.writeKit(out.resolve("src-" + kits[k]), 0.2f + 0.2f * k);
            int code = Main.run("kit", "import", src.toString(), "--name", kits[k], "--data", home.toString());
            if (code != 0) {
                throw new IllegalStateException("kit import of " + kits[k] + " failed: " + code);
            }
        }
        Path models = SoakFiles.copyModels(out.resolve("models"));
        Path take = SoakFiles.writeTake(out.resolve("take.wav"));
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path serverLog = out.resolve("serve.log");
        Path gcLog = out.resolve("gc.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseZGC", "-Xms1g", "-Xmx1g", "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-XX:PerMethodTrapLimit=0", "-XX:PerBytecodeTrapLimit=0", "-XX:+AlwaysPreTouch",
                "-Xlog:gc:file=" + gcLog,
                "-cp", System.getProperty("java.class.path"), SoakServe.class.getName(), take.toString(), "7",
                "serve", "--audio-out", "none", "--midi-in", SoakServe.MIDI_NAME, "--models", models.toString(),
                "--listen", "device:" + MicMixer.NAME,
                "--osc-port", Integer.toString(port), "--http-port", "0", "--autosave-seconds", "10",
                "--data", home.toString()));
        Process server = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(serverLog.toFile()).start();
        List<ProcessSample> samples = new ArrayList<>();
        SoakLoad load = new SoakLoad(port, 42, 1_000, script, models, kits);
        Thread loader = new Thread(load, "soak-load");
        SoakMeter meter = new SoakMeter(port);
        Thread ear = new Thread(meter, "soak-meter");
        int exit;
        try (DatagramSocket replies = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            replies.setSoTimeout(5_000);
            awaitBanner(server, serverLog);
            long start = System.nanoTime();
            loader.start();
            ear.start();
            long end = start + (long) (minutes * 60e9);
            long next = start + sampleSeconds * 1_000_000_000L;
            while (System.nanoTime() < end && server.isAlive()) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                next += sampleSeconds * 1_000_000_000L;
                double t = (System.nanoTime() - start) / 1e9;
                Map<String, Double> status = status(replies, port);
                status.putAll(listenStatus(replies, port));
                load.replies().forEach((k, v) -> status.put("reply " + k, v.doubleValue()));
                SoakMeter.Level level = meter.take();
                status.put("output_rms", level.rms());
                status.put("output_peak", level.max());
                status.put("meter_values", (double) level.count());
                status.put("meter_nonfinite", (double) level.nonFinite());
                ProcessSample s = ProcessSample.take(server.pid(), t, status, gcLog);
                samples.add(s);
                log.printf(Locale.ROOT, "soak %6.0f s: rss %d MiB, heap %d MiB, threads %d, files %d, out %.3f, misses %.0f, drops %.0f,"
                        + " reloads %.0f/%.0f failed, latent ready %.0f, listen hits %.0f, midi notes %.0f%n",
                        t, s.rssKib() / 1024, s.heapAfterGcMib(), s.threads(), s.openFiles(), level.rms(),
                        s.status().getOrDefault("misses", -1.0), s.status().getOrDefault("drops", -1.0),
                        s.status().getOrDefault("model_reloads", 0.0), s.status().getOrDefault("model_reload_failures", 0.0),
                        s.status().getOrDefault("reply /latent/ready", 0.0), s.status().getOrDefault("listen_hits", 0.0),
                        s.status().getOrDefault("midi_notes", 0.0));
            }
        } finally {
            load.stop();
            meter.stop();
            loader.join(5_000);
            ear.join(5_000);
            server.destroy(); // SIGTERM: a clean stop
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
        exit = server.waitFor();
        Path report = SoakReport.write(out, samples, exit, load, minutes);
        return new Result(samples, exit, load.sent(), load.goodReloadsSent(), load.badReloadsSent(), report);
    }

    /** {@code /status} over UDP, as name -> number (a MIDI device's notes as {@code midi_notes}). */
    static Map<String, Double> status(DatagramSocket socket, int port) throws IOException {
        return query(socket, port, "/status", new String[] {"voices", "cpu_avg", "cpu_peak", "rate", "misses", "late", "drops"},
                "");
    }

    /** {@code /listen/status} over UDP, each counter as {@code listen_<name>}. */
    static Map<String, Double> listenStatus(DatagramSocket socket, int port) throws IOException {
        return query(socket, port, "/listen/status", new String[0], "listen_");
    }

    private static Map<String, Double> query(DatagramSocket socket, int port, String address, String[] head,
                                             String prefix) throws IOException {
        byte[] q = new OscMessageWriter(64).begin(address, "").toByteArray();
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
            if (m.wrapChecked(buf, 0, p.getLength(), 256) != null || !m.address().equals(address + ".reply")) {
                continue; // a late reply to an earlier query
            }
            for (int i = 0; i < head.length && i < m.argCount(); i++) {
                out.put(head[i], m.number(i));
            }
            for (int i = head.length; i + 1 < m.argCount(); i += 2) {
                if (m.isString(i) && m.isNumber(i + 1)) {
                    String name = m.string(i);
                    out.put(name.startsWith("midi " + SoakServe.MIDI_NAME) ? "midi_notes" : prefix + name, m.number(i + 1));
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
