package io.latentkit.perf.reliability;

import io.latentkit.models.AudioFiles;
import io.latentkit.osc.codec.OscMessageView;
import io.latentkit.osc.codec.OscMessageWriter;
import io.latentkit.perf.soak.ProcessSample;
import io.latentkit.server.Main;
import java.io.IOException;
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
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * {@code perf-tests/flood [--messages N] [--hosts H] [--rate-per-host R] [--kits K] [--heap SIZE]
 * [--sample-seconds S] [--out DIR]}: issue 20's 3.5-million {@code /kit/load} flood, replayed against
 * a real {@code latentkit serve} child with a small heap.
 *
 * <p>The child is started as the soak starts its own (the launcher's JVM flags, here with a fixed
 * heap of {@code --heap}, default 256m; null audio output, no MIDI, the shipped models, a data
 * folder of its own holding {@code K} small kits and the performer's kit {@code mine}). {@code H}
 * sending hosts (127.0.0.2, 127.0.0.3, ...: the per-host budget is per address, so more source
 * ports on one host would not add any) each send their share of {@code N} {@code /kit/load
 * flood-i} over real UDP, the kits in turn (so that coalescing alone cannot absorb the flood), paced
 * at {@code R} packets a second each ({@code 0}: as fast as the socket sends, beyond the budget);
 * each host counts the replies it gets back. Every {@code S} seconds it samples the child from
 * outside: heap in use after a full collection ({@code jcmd GC.run}, read from the child's GC log),
 * resident memory and threads ({@code /proc/PID/status}), the datagrams the kernel dropped on the
 * server's socket ({@code /proc/net/udp}), and {@code /status.reply} asked from 127.0.0.1 (its drop
 * total and every drop reason). Halfway through, the performer (127.0.0.1) sends a
 * {@code /kit/load mine} of its own and times the reply; at the end it checks that the server still
 * answers {@code /status}, that the performer's {@code /kit/load mine} gets {@code /done}, that the
 * log has no {@code OutOfMemoryError}, and that SIGTERM stops the child with exit 0. Writes
 * {@code flood.csv} and {@code flood.md} into {@code --out} and exits 0 when every check held.
 *
 * <p>Threading: the main thread samples; one sender and one reply counter per host.
 */
public final class LoadFlood {
    private static final int SR = 48_000;
    private static final String[] STATUS_HEAD = {"voices", "cpu_avg", "cpu_peak", "rate", "misses", "late", "drops"};

    /** One look at the child. */
    record Sample(double seconds, long sent, long heapAfterGcMib, long rssKib, int threads, long kernelDrops,
                  Map<String, Double> status) {
    }

    private LoadFlood() {
    }

    public static void main(String[] args) throws Exception {
        long messages = 3_500_000;
        int hosts = 4;
        int ratePerHost = 19_000;
        int kits = 24;
        String heap = "256m";
        int sampleSeconds = 10;
        Path out = Path.of("perf-tests", "target", "flood-" + Instant.now().toString().replace(':', '-'));
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--messages" -> messages = Long.parseLong(args[++i]);
                case "--hosts" -> hosts = Integer.parseInt(args[++i]);
                case "--rate-per-host" -> ratePerHost = Integer.parseInt(args[++i]);
                case "--kits" -> kits = Integer.parseInt(args[++i]);
                case "--heap" -> heap = args[++i];
                case "--sample-seconds" -> sampleSeconds = Integer.parseInt(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                default -> {
                    System.err.println("usage: flood [--messages N] [--hosts H] [--rate-per-host R] [--kits K]"
                            + " [--heap SIZE] [--sample-seconds S] [--out DIR]");
                    System.exit(2);
                }
            }
        }
        if (hosts < 1 || hosts > 200 || messages < 1 || kits < 1 || ratePerHost < 0 || sampleSeconds < 1) {
            System.err.println("flood: --hosts 1..200, --messages, --kits and --sample-seconds >= 1, --rate-per-host >= 0");
            System.exit(2);
        }
        System.exit(run(messages, hosts, ratePerHost, kits, heap, sampleSeconds, out) ? 0 : 1);
    }

    static boolean run(long messages, int hosts, int ratePerHost, int kits, String heap, int sampleSeconds, Path out)
            throws Exception {
        Files.createDirectories(out);
        Path home = Files.createDirectories(out.resolve("home"));
        for (int k = 0; k <= kits; k++) {
            String name = k == kits ? "mine" : "flood-" + k;
            Path src = writeKit(out.resolve("src").resolve(name), 0.1f + 0.5f * k / (kits + 1));
            int code = Main.run("kit", "import", src.toString(), "--name", name, "--data", home.toString());
            if (code != 0) {
                throw new IllegalStateException("kit import of " + name + " failed: " + code);
            }
        }
        int port;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Path serverLog = out.resolve("serve.log");
        Path gcLog = out.resolve("gc.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // bin/latentkit's flags, with the small heap in place of its 1 GiB.
        List<String> cmd = List.of(java, "-XX:+UseZGC", "-Xms" + heap, "-Xmx" + heap,
                "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
                "-XX:PerMethodTrapLimit=0", "-XX:PerBytecodeTrapLimit=0", "-XX:+AlwaysPreTouch",
                "-Xlog:gc:file=" + gcLog, "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "serve", "--audio-out", "none", "--no-midi", "--osc-port", Integer.toString(port), "--http-port", "0",
                "--data", home.toString());
        System.out.println("flood: " + String.join(" ", cmd.subList(0, 11)) + " CLASSPATH "
                + String.join(" ", cmd.subList(12, cmd.size())));
        Process server = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(serverLog.toFile()).start();
        List<Sample> samples = new ArrayList<>();
        List<FloodHost> senders = new ArrayList<>();
        Map<String, String> checks = new LinkedHashMap<>();
        FloodPerformer mid = null;
        double floodSeconds = -1;
        int exit = -1;
        long started = System.nanoTime();
        try (DatagramSocket performer = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            awaitBanner(server, serverLog);
            System.out.println("flood: serve is up on 127.0.0.1:" + port + " with -Xmx" + heap + "; pid " + server.pid());
            samples.add(sample(server.pid(), 0, 0, port, performer, gcLog));
            print(samples.get(0));
            mid = new FloodPerformer(port, () -> senders.stream().mapToLong(FloodHost::sent).sum(), messages / 2);
            mid.start();
            long start = System.nanoTime();
            for (int h = 0; h < hosts; h++) {
                long share = messages / hosts + (h < messages % hosts ? 1 : 0);
                FloodHost host = new FloodHost(InetAddress.getByName("127.0.0." + (2 + h)), port, share, ratePerHost, kits, h);
                senders.add(host);
                host.start();
            }
            long next = start + sampleSeconds * 1_000_000_000L;
            while (senders.stream().anyMatch(FloodHost::sending) && server.isAlive()) {
                long wait = Math.min(next - System.nanoTime(), 20_000_000L);
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                if (System.nanoTime() >= next) {
                    next += sampleSeconds * 1_000_000_000L;
                    Sample s = sample(server.pid(), (System.nanoTime() - start) / 1e9,
                            senders.stream().mapToLong(FloodHost::sent).sum(), port, performer, gcLog);
                    samples.add(s);
                    print(s);
                }
            }
            floodSeconds = (senders.stream().mapToLong(FloodHost::finishedAt).max().orElse(start) - start) / 1e9;
            long sent = senders.stream().mapToLong(FloodHost::sent).sum();
            System.out.printf(Locale.ROOT, "flood: %d /kit/load sent in %.1f s (%.0f/s) from %d hosts%n", sent, floodSeconds,
                    sent / floodSeconds, hosts);
            mid.join(); // its answer, before the checks after the flood
            Thread.sleep(5_000); // the last queued loads finish and their replies come back
            Sample last = sample(server.pid(), (System.nanoTime() - start) / 1e9, sent, port, performer, gcLog);
            samples.add(last);
            print(last);
            checks.put("server alive after the flood", String.valueOf(server.isAlive()));
            checks.put("/status answered after the flood", String.valueOf(!last.status().isEmpty()));
            List<Object> mine = request(performer, port, "/kit/load", "mine", 60);
            checks.put("performer's /kit/load mine after the flood", String.valueOf(mine));
        } finally {
            if (mid != null) {
                mid.join();
            }
            senders.forEach(FloodHost::stop);
            for (FloodHost h : senders) {
                h.join(5_000);
            }
            server.destroy(); // SIGTERM: a clean stop
            if (!server.waitFor(60, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
            exit = server.waitFor();
        }
        String log = Files.readString(serverLog);
        checks.put("exit status after SIGTERM", Integer.toString(exit));
        checks.put("OutOfMemoryError in serve's log", String.valueOf(log.contains("OutOfMemoryError")));
        boolean ok = checks.get("server alive after the flood").equals("true")
                && checks.get("/status answered after the flood").equals("true")
                && checks.get("performer's /kit/load mine after the flood").equals("[/done, /kit/load, mine]")
                && exit == 0 && !log.contains("OutOfMemoryError");
        write(out, samples, senders, checks, ok, messages, hosts, ratePerHost, kits, heap, floodSeconds,
                mid == null ? "not sent" : mid.result(), (System.nanoTime() - started) / 1e9);
        System.out.println("flood: " + (ok ? "every check held" : "A CHECK FAILED") + "; report: " + out.resolve("flood.md"));
        return ok;
    }

    private static Sample sample(long pid, double seconds, long sent, int port, DatagramSocket socket, Path gcLog)
            throws IOException {
        long heap = ProcessSample.heapAfterGc(pid, gcLog);
        long rss = -1;
        int threads = -1;
        Path proc = Path.of("/proc", Long.toString(pid), "status");
        if (Files.exists(proc)) {
            for (String line : Files.readAllLines(proc, StandardCharsets.UTF_8)) {
                if (line.startsWith("VmRSS:")) {
                    rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
                } else if (line.startsWith("Threads:")) {
                    threads = Integer.parseInt(line.replaceAll("[^0-9]", ""));
                }
            }
        }
        long drops = kernelDrops(port);
        return new Sample(seconds, sent, heap, rss, threads, drops, status(socket, port));
    }

    private static void print(Sample s) {
        System.out.printf(Locale.ROOT, "flood %6.0f s: sent %d, heap after GC %d MiB, rss %d MiB, threads %d,"
                        + " kernel drops %d, status %s%n", s.seconds(), s.sent(), s.heapAfterGcMib(), s.rssKib() / 1024,
                s.threads(), s.kernelDrops(), s.status().isEmpty() ? "NO REPLY" : s.status());
    }

    /** Datagrams the kernel dropped on the UDP socket bound to {@code port} (its receive buffer was full). */
    static long kernelDrops(int port) throws IOException {
        String hexPort = String.format(Locale.ROOT, ":%04X", port);
        long drops = 0;
        for (String line : Files.readAllLines(Path.of("/proc/net/udp"), StandardCharsets.US_ASCII)) {
            String[] f = line.trim().split("\\s+");
            if (f.length > 12 && f[1].endsWith(hexPort)) {
                drops += Long.parseLong(f[f.length - 1]);
            }
        }
        return drops;
    }

    /** {@code /status} from {@code socket}: the head numbers and every name/count pair; empty if no reply in 5 s. */
    static Map<String, Double> status(DatagramSocket socket, int port) throws IOException {
        byte[] q = new OscMessageWriter(64).begin("/status", "").toByteArray();
        Map<String, Double> out = new LinkedHashMap<>();
        socket.setSoTimeout(5_000);
        for (int attempt = 0; attempt < 3 && out.isEmpty(); attempt++) {
            socket.send(new DatagramPacket(q, q.length, InetAddress.getLoopbackAddress(), port));
            byte[] buf = new byte[65_536];
            for (int tries = 0; tries < 20; tries++) {
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException e) {
                    break;
                }
                OscMessageView m = OscMessageView.create(128);
                if (m.wrapChecked(buf, 0, p.getLength(), 256) != null || !m.address().equals("/status.reply")) {
                    continue; // a late reply to something else
                }
                for (int i = 0; i < STATUS_HEAD.length && i < m.argCount(); i++) {
                    out.put(STATUS_HEAD[i], m.number(i));
                }
                for (int i = STATUS_HEAD.length; i + 1 < m.argCount(); i += 2) {
                    if (m.isString(i) && m.isNumber(i + 1)) {
                        out.put(m.string(i), m.number(i + 1));
                    }
                }
                break;
            }
        }
        return out;
    }

    /** Sends {@code address s arg} and waits up to {@code seconds} for the reply about {@code address}. */
    static List<Object> request(DatagramSocket socket, int port, String address, String arg, int seconds)
            throws IOException {
        byte[] q = new OscMessageWriter(256).begin(address, "s").putString(arg).toByteArray();
        socket.setSoTimeout(1_000);
        socket.send(new DatagramPacket(q, q.length, InetAddress.getLoopbackAddress(), port));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        byte[] buf = new byte[4096];
        while (System.nanoTime() < deadline) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            }
            OscMessageView v = OscMessageView.create(16);
            if (v.wrapChecked(buf, 0, p.getLength(), 256) != null || v.argCount() < 1 || !v.isString(0)
                    || !v.string(0).equals(address)) {
                continue;
            }
            List<Object> r = new ArrayList<>();
            r.add(v.address());
            for (int i = 0; i < v.argCount(); i++) {
                r.add(v.isString(i) ? v.string(i) : (Object) v.number(i));
            }
            return r;
        }
        return List.of("no reply in " + seconds + " s");
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

    /** A folder kit of twelve short sines named by class, at {@code level}. */
    private static Path writeKit(Path dir, float level) throws IOException {
        Files.createDirectories(dir);
        String[] names = {"kick", "snare", "rim", "clap", "hihat_closed", "hihat_open", "tom_low", "tom_mid",
            "tom_high", "crash", "ride", "perc"};
        for (int c = 0; c < names.length; c++) {
            float[] x = new float[SR / 2];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (level * Math.exp(-i / (SR * 0.1)) * Math.sin(2 * Math.PI * (60 + 70 * c) * i / SR));
            }
            AudioFiles.writeWav16(dir.resolve(names[c] + ".wav"), x, SR);
        }
        return dir;
    }

    private static void write(Path out, List<Sample> samples, List<FloodHost> hosts, Map<String, String> checks, boolean ok,
                              long messages, int hostCount, int rate, int kits, String heap, double floodSeconds,
                              String performerMid, double totalSeconds) throws IOException {
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("flood.csv"), StandardCharsets.UTF_8))) {
            w.println("seconds,sent,heap_after_gc_mib,rss_kib,threads,kernel_drops,status");
            for (Sample s : samples) {
                w.printf(Locale.ROOT, "%.1f,%d,%d,%d,%d,%d,\"%s\"%n", s.seconds(), s.sent(), s.heapAfterGcMib(), s.rssKib(),
                        s.threads(), s.kernelDrops(), s.status());
            }
        }
        Map<String, Long> replies = new TreeMap<>();
        long sent = 0;
        for (FloodHost h : hosts) {
            sent += h.sent();
            h.replies().forEach((k, v) -> replies.merge(k, v, Long::sum));
        }
        Sample first = samples.get(0);
        Sample last = samples.get(samples.size() - 1);
        try (PrintWriter w = new PrintWriter(Files.newBufferedWriter(out.resolve("flood.md"), StandardCharsets.UTF_8))) {
            w.printf(Locale.ROOT, "# /kit/load flood: %s%n%n", ok ? "every check held" : "A CHECK FAILED");
            w.printf(Locale.ROOT, "- %d of %d `/kit/load` sent (%d kits in turn) from %d hosts (127.0.0.2 on), paced at %s,"
                            + " in %.1f s (%.0f/s); serve with -Xmx%s; whole run %.1f s%n", sent, messages, kits, hostCount,
                    rate == 0 ? "nothing (as fast as the sockets send)" : rate + "/s a host", floodSeconds,
                    sent / Math.max(floodSeconds, 1e-9), heap, totalSeconds);
            w.printf(Locale.ROOT, "- replies the flooding hosts got: %s%n", replies);
            w.printf(Locale.ROOT, "- server's /status.reply at the end: %s%n", last.status());
            w.printf(Locale.ROOT, "- datagrams the kernel dropped on the server's socket: %d%n", last.kernelDrops());
            w.printf(Locale.ROOT, "- heap after GC %d MiB first, %d MiB last, at most %d MiB; RSS %d MiB first, %d MiB last,"
                            + " at most %d MiB; threads %d first, %d last%n",
                    first.heapAfterGcMib(), last.heapAfterGcMib(),
                    samples.stream().mapToLong(Sample::heapAfterGcMib).max().orElse(-1),
                    first.rssKib() / 1024, last.rssKib() / 1024,
                    samples.stream().mapToLong(Sample::rssKib).max().orElse(-1) / 1024, first.threads(), last.threads());
            w.printf(Locale.ROOT, "- the performer's mid-flood `/kit/load mine` (from 127.0.0.1 once half the flood is"
                    + " sent; UDP: sent again every 5 s until answered, at most 12 times; TCP: once, on a connection"
                    + " opened before the flood, OSC 1.0 size-prefixed framing): %s%n", performerMid);
            checks.forEach((k, v) -> w.printf(Locale.ROOT, "- %s: %s%n", k, v));
            w.println();
            w.println("| s | sent | heap after GC MiB | RSS MiB | threads | kernel drops | /status drops |");
            w.println("|---:|---:|---:|---:|---:|---:|---:|");
            for (Sample s : samples) {
                w.printf(Locale.ROOT, "| %.0f | %d | %d | %d | %d | %d | %s |%n", s.seconds(), s.sent(), s.heapAfterGcMib(),
                        s.rssKib() / 1024, s.threads(), s.kernelDrops(),
                        s.status().isEmpty() ? "no reply" : String.format(Locale.ROOT, "%.0f", s.status().get("drops")));
            }
        }
        System.out.println(Files.readString(out.resolve("flood.md")));
    }
}
