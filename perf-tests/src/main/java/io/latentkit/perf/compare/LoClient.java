package io.latentkit.perf.compare;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Part 3's liblo client ({@code src/main/c/lo_latency.c}): compiled at run time with the host's
 * {@code cc} against Debian's {@code liblo-dev} (nothing is installed), run against latentkit or
 * scsynth, and its raw per-trigger lines summarised. The Java fallback client writes the same raw
 * format, so both are summarised alike.
 *
 * <p>Raw line: {@code mode seq status send_to_reply_us reply_after_target_us frame target}, mode
 * {@code imm|ts}, status {@code ok|lost|fail}, "-" where a field does not apply.
 *
 * <p>Threading: static methods, any thread.
 */
final class LoClient {
    /** The C source, relative to the repository root (the orchestrator's working directory). */
    static final Path SOURCE = Path.of("perf-tests", "src", "main", "c", "lo_latency.c");

    private LoClient() {
    }

    /**
     * Compiles the client into {@code dir}; returns the binary, or {@code null} with the reason
     * appended to {@code why} (no {@code cc}, no {@code lo/lo.h}, or the compiler's message).
     */
    static Path compile(Path dir, StringBuilder why) throws IOException, InterruptedException {
        Path cc = onPath("cc");
        if (cc == null) {
            why.append("no `cc` on PATH (Debian: gcc)");
            return null;
        }
        if (!Files.exists(Path.of("/usr/include/lo/lo.h"))) {
            why.append("no /usr/include/lo/lo.h (Debian: liblo-dev)");
            return null;
        }
        // From the repository root (the orchestrator) or from perf-tests/ (its tests).
        Path src = SOURCE.toAbsolutePath();
        if (!Files.exists(src)) {
            src = SOURCE.subpath(1, SOURCE.getNameCount()).toAbsolutePath();
        }
        if (!Files.exists(src)) {
            why.append("client source ").append(SOURCE).append(" not found (run from the repository root)");
            return null;
        }
        Files.createDirectories(dir);
        Path bin = dir.resolve("lo_latency");
        Proc p = Proc.run(List.of(cc.toString(), "-O2", "-o", bin.toString(), src.toString(), "-llo"),
                dir.resolve("lo_latency-cc.log"), 120, false);
        if (p.rc() != 0 || !Files.isExecutable(bin)) {
            why.append("`cc ... -llo` failed: ").append(p.tail().replace('\n', ' ').trim());
            return null;
        }
        return bin;
    }

    private static Path onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String d : path.split(":")) {
            Path p = Path.of(d.isEmpty() ? "." : d, tool);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    /** Summary of a raw file: per mode n, lost, fail, percentiles; frame accuracy where reported. */
    static Map<String, String> summarise(Path raw) throws IOException {
        List<String> lines = Files.readAllLines(raw);
        Map<String, String> r = new LinkedHashMap<>();
        for (String mode : List.of("imm", "ts")) {
            List<Long> rtt = new ArrayList<>();
            List<Long> after = new ArrayList<>();
            long n = 0;
            long lost = 0;
            long fail = 0;
            long framed = 0;
            long exact = 0;
            long maxErr = 0;
            String failReason = "";
            for (String l : lines) {
                String[] f = l.trim().split(" ", 8);
                if (f.length < 7 || !f[0].equals(mode)) {
                    continue;
                }
                n++;
                switch (f[2]) {
                    case "lost" -> lost++;
                    case "fail" -> {
                        fail++;
                        failReason = f.length > 7 ? f[7] : "";
                    }
                    default -> {
                        rtt.add(nanos(f[3]));
                        if (!f[4].equals("-")) {
                            after.add(nanos(f[4]));
                        }
                        if (!f[6].equals("-") && Long.parseLong(f[6]) >= 0) {
                            long err = Math.abs(Long.parseLong(f[5]) - Long.parseLong(f[6]));
                            framed++;
                            exact += err == 0 ? 1 : 0;
                            maxErr = Math.max(maxErr, err);
                        }
                    }
                }
            }
            long[] a = sorted(rtt);
            r.put(mode + "_n", Long.toString(n));
            r.put(mode + "_lost", Long.toString(lost));
            r.put(mode + "_fail", Long.toString(fail));
            if (fail > 0) {
                r.put(mode + "_fail_reason", failReason);
            }
            r.put(mode + "_p50_us", LatencyProbe.us(LatencyProbe.percentile(a, 50)));
            r.put(mode + "_p99_us", LatencyProbe.us(LatencyProbe.percentile(a, 99)));
            r.put(mode + "_max_us", LatencyProbe.us(LatencyProbe.percentile(a, 100)));
            if (!after.isEmpty()) {
                long[] b = sorted(after);
                r.put(mode + "_after_target_min_us", LatencyProbe.us(LatencyProbe.percentile(b, 0)));
                r.put(mode + "_after_target_p50_us", LatencyProbe.us(LatencyProbe.percentile(b, 50)));
                r.put(mode + "_after_target_p99_us", LatencyProbe.us(LatencyProbe.percentile(b, 99)));
                r.put(mode + "_after_target_max_us", LatencyProbe.us(LatencyProbe.percentile(b, 100)));
                r.put(mode + "_before_target", Long.toString(Arrays.stream(b).filter(x -> x < 0).count()));
            }
            if (framed > 0) {
                r.put(mode + "_exact_frames", exact + "/" + framed);
                r.put(mode + "_max_frame_error", Long.toString(maxErr));
            }
        }
        return r;
    }

    private static long nanos(String us) {
        return Math.round(Double.parseDouble(us) * 1000.0);
    }

    private static long[] sorted(List<Long> xs) {
        long[] a = new long[xs.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = xs.get(i);
        }
        Arrays.sort(a);
        return a;
    }

    /** One raw line, in the C client's format (for the Java fallback client). */
    static String line(String mode, int seq, String status, double rttUs, Double afterUs, Long frame, Long target) {
        if (!status.equals("ok")) {
            return mode + " " + seq + " " + status + " - - - -";
        }
        return String.format(Locale.ROOT, "%s %d ok %.1f %s %s %s", mode, seq, rttUs,
                afterUs == null ? "-" : String.format(Locale.ROOT, "%.1f", afterUs),
                frame == null ? "-" : frame.toString(), target == null ? "-" : target.toString());
    }
}
