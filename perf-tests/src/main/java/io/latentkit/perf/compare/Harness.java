package io.latentkit.perf.compare;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * What every part of one comparison run shares: the options, the work folder, the report's
 * targets and GC rows, and how a Java child process is started.
 *
 * <p>Threading: the main thread only.
 */
final class Harness {
    /** bin/latentkit's flags for `serve` on JDK 17 (generational ZGC is added there on 21-22 only). */
    static final List<String> SERVE_JVM_FLAGS = List.of("-XX:+UseZGC", "-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch",
            "-XX:PerMethodTrapLimit=0", "-XX:PerBytecodeTrapLimit=0");

    final CompareOptions o;
    final Path work;
    /** Rows of the targets table: target, measured, verdict. */
    final List<String[]> targets = new ArrayList<>();
    /** Rows of part 5: run, render-thread bytes, longest pause, pauses. */
    final List<String[]> gcRows = new ArrayList<>();
    final String javaBin = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    final String cp = System.getProperty("java.class.path");

    Harness(CompareOptions o) {
        this.o = o;
        this.work = o.work;
    }

    Proc javaChild(Path base, String main, boolean pin, List<String> jvmArgs, long timeoutS, String... args)
            throws IOException, InterruptedException {
        Path log = Path.of(base + ".log");
        Path gc = Path.of(base + ".gc.log");
        Files.deleteIfExists(gc);
        List<String> cmd = new ArrayList<>();
        if (pin) {
            cmd.addAll(List.of("taskset", "-c", o.core));
        }
        cmd.add(javaBin);
        cmd.addAll(List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED", "-Xlog:gc:file="
                + gc.toAbsolutePath()));
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", cp, main));
        cmd.addAll(Arrays.asList(args));
        return Proc.run(cmd, log, timeoutS, false);
    }

    void gcRow(String what, Proc p) throws IOException {
        gcRow(what, p, p.log().resolveSibling(p.log().getFileName().toString().replace(".log", ".gc.log")));
    }

    void gcRow(String what, Proc p, Path gcLog) throws IOException {
        double[] gc = Proc.gcPauses(gcLog);
        String bytes = p.result().getOrDefault("render_thread_alloc_bytes",
                p.result().getOrDefault("render_thread_alloc_bytes_total", "—"));
        String pause = Double.isNaN(gc[0]) ? "no log" : gc[1] == 0 ? "no pause" : String.format(Locale.ROOT, "%.2f ms",
                gc[0]);
        gcRows.add(new String[] {what, bytes, pause, String.format(Locale.ROOT, "%.0f", gc[1])});
    }

    static int freePort() throws IOException {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static String us(String ns) {
        return String.format(Locale.ROOT, "%.1f", Long.parseLong(ns) / 1000.0);
    }

    static String ratio(double r) {
        return Double.isNaN(r) ? "n/a" : String.format(Locale.ROOT, "%.2f×", r);
    }

    static void log(String s) {
        System.err.println("[compare " + LocalTime.now().withNano(0) + "] " + s);
    }
}
