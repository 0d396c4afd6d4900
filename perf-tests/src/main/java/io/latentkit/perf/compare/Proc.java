package io.latentkit.perf.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs one child process to completion with its output in a log file, and reads back what the
 * harness needs: exit status, wall time, the {@code /usr/bin/time} line (user and system CPU) and
 * the child's {@code RESULT k=v} line; for Java children, the longest GC pause in their
 * {@code -Xlog:gc} file.
 *
 * <p>Threading: the orchestrator thread.
 *
 * @param rc exit status ({@code -1} when killed at the time limit)
 * @param wallNs wall time from start to exit
 * @param cpuS user + system CPU seconds from {@code /usr/bin/time}, or NaN when not wrapped
 * @param result the child's RESULT values (empty when none)
 * @param log the log file (stdout and stderr)
 * @param tail the log's last lines, for failure messages
 */
public record Proc(int rc, long wallNs, double cpuS, Map<String, String> result, Path log, String tail) {
    /** Children still running, stopped by a shutdown hook if the orchestrator is interrupted. */
    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> LIVE.forEach(p -> {
            p.descendants().forEach(ProcessHandle::destroy);
            p.destroy();
        }), "compare-children-stop"));
    }

    /** Tracks {@code p} until it exits, so that an interrupted run leaves no peer behind. */
    static Process track(Process p) {
        LIVE.add(p);
        p.onExit().thenRun(() -> LIVE.remove(p));
        return p;
    }

    private static final Pattern TIME = Pattern.compile("^TIME ([0-9.]+) ([0-9.]+) ([0-9.]+)$", Pattern.MULTILINE);
    private static final Pattern PAUSE = Pattern.compile("Pause.*?([0-9]+(?:\\.[0-9]+)?)ms\\s*$", Pattern.MULTILINE);

    /** Runs {@code cmd}; {@code timed} prefixes {@code /usr/bin/time}. */
    public static Proc run(List<String> cmd, Path log, long timeoutS, boolean timed) throws IOException,
            InterruptedException {
        List<String> full = new ArrayList<>();
        if (timed) {
            // timeout(1) inside time(1): a peer past its limit is killed, and its CPU still counted.
            full.addAll(List.of("/usr/bin/time", "-f", "TIME %e %U %S", "timeout", "-k", "5", Long.toString(timeoutS)));
        }
        full.addAll(cmd);
        Files.createDirectories(log.getParent());
        Files.writeString(log, "$ " + String.join(" ", full) + "\n", StandardCharsets.UTF_8);
        ProcessBuilder pb = new ProcessBuilder(full).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        long t0 = System.nanoTime();
        Process p = track(pb.start());
        p.getOutputStream().close();
        boolean done = p.waitFor(timeoutS + 15, TimeUnit.SECONDS);
        long wall = System.nanoTime() - t0;
        int rc;
        if (!done) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            rc = -1;
        } else {
            rc = p.exitValue();
        }
        String text = Files.readString(log, StandardCharsets.ISO_8859_1);
        double cpu = Double.NaN;
        Matcher m = TIME.matcher(text);
        while (m.find()) {
            cpu = Double.parseDouble(m.group(2)) + Double.parseDouble(m.group(3));
        }
        return new Proc(rc, wall, cpu, parseResult(text), log, tail(text, 6));
    }

    /** The values of the last {@code RESULT} line in {@code text}. */
    public static Map<String, String> parseResult(String text) {
        Map<String, String> r = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("RESULT")) {
                r.clear();
                for (String kv : line.substring(6).trim().split(" ")) {
                    int eq = kv.indexOf('=');
                    if (eq > 0) {
                        r.put(kv.substring(0, eq), kv.substring(eq + 1));
                    }
                }
            }
        }
        return r;
    }

    /** Longest pause in a {@code -Xlog:gc} file in ms and the number of pauses: {max, count}. */
    public static double[] gcPauses(Path gcLog) throws IOException {
        if (!Files.exists(gcLog)) {
            return new double[] {Double.NaN, 0};
        }
        Matcher m = PAUSE.matcher(Files.readString(gcLog, StandardCharsets.ISO_8859_1));
        double max = 0;
        int n = 0;
        while (m.find()) {
            max = Math.max(max, Double.parseDouble(m.group(1)));
            n++;
        }
        return new double[] {max, n};
    }

    public boolean ok() {
        return rc == 0;
    }

    static String tail(String text, int lines) {
        String[] all = text.strip().split("\n");
        StringBuilder b = new StringBuilder();
        for (int i = Math.max(0, all.length - lines); i < all.length; i++) {
            b.append(all[i].strip()).append(i + 1 < all.length ? " / " : "");
        }
        return b.toString();
    }
}
