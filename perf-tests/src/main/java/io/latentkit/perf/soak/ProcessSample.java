package io.latentkit.perf.soak;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One look at the server process from outside: resident memory, heap in use right after a full
 * collection, threads (and the names of latentkit's own), open files, and the numbers its
 * {@code /status.reply} carries.
 *
 * <p>Immutable once taken; any thread.
 *
 * @param seconds seconds since the soak started
 * @param rssKib resident set size ({@code /proc/PID/status} VmRSS)
 * @param heapAfterGcMib heap in use at the end of the collection {@code jcmd GC.run} asks for, as the
 *     server's GC log says it ({@code GC(n) Garbage Collection (Diagnostic Command) 180M(18%)->62M(6%)}:
 *     the 62), or -1 if it could not be read
 * @param threads the process's threads
 * @param latentkitThreads names of the threads whose name starts with {@code latentkit-}
 * @param openFiles entries of {@code /proc/PID/fd}
 * @param status the status reply's numbers: voices, cpu_avg, cpu_peak, misses, late, drops, and
 *     every name/count pair it ends with
 */
public record ProcessSample(double seconds, long rssKib, long heapAfterGcMib, int threads,
                            TreeSet<String> latentkitThreads, int openFiles, Map<String, Double> status) {
    private static final Pattern AFTER_SYSTEM_GC = Pattern.compile(
            "\\((?:System\\.gc\\(\\)|Diagnostic Command)\\) \\d+M\\(\\d+%\\)->(\\d+)M");

    /**
     * Takes a sample of process {@code pid}; {@code status} comes from the caller's OSC query;
     * {@code gcLog} is the file the process logs its collections to ({@code -Xlog:gc:file=...}).
     */
    static ProcessSample take(long pid, double seconds, Map<String, Double> status, Path gcLog) throws IOException {
        Path proc = Path.of("/proc", Long.toString(pid));
        long rss = -1;
        int threads = -1;
        for (String line : Files.readAllLines(proc.resolve("status"), StandardCharsets.UTF_8)) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("[^0-9]", ""));
            } else if (line.startsWith("Threads:")) {
                threads = Integer.parseInt(line.replaceAll("[^0-9]", ""));
            }
        }
        TreeSet<String> names = new TreeSet<>();
        try (Stream<Path> tasks = Files.list(proc.resolve("task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                try {
                    String comm = Files.readString(t.resolve("comm"), StandardCharsets.UTF_8).trim();
                    if (comm.startsWith("latentkit")) {
                        names.add(comm);
                    }
                } catch (IOException gone) {
                    // the thread ended while we looked
                }
            }
        }
        int fds;
        try (Stream<Path> s = Files.list(proc.resolve("fd"))) {
            fds = (int) s.count();
        }
        long heap = heapAfterGc(pid, gcLog);
        return new ProcessSample(seconds, rss, heap, threads, names, fds, new TreeMap<>(status));
    }

    /**
     * Heap in use at the end of a full collection: asks for one through the JDK's jcmd, then reads
     * its result from the GC log (reading the heap afterwards would count what the server
     * allocated in the meantime: tens of MiB while it decodes latent moves).
     */
    public static long heapAfterGc(long pid, Path gcLog) {
        try {
            int before = afterSystemGcs(gcLog).size();
            run(List.of(jcmd(), Long.toString(pid), "GC.run"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                List<Long> after = afterSystemGcs(gcLog);
                if (after.size() > before) {
                    return after.get(after.size() - 1);
                }
                Thread.sleep(20);
            }
            return -1;
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private static List<Long> afterSystemGcs(Path gcLog) throws IOException {
        List<Long> out = new ArrayList<>();
        if (!Files.exists(gcLog)) {
            return out;
        }
        for (String line : Files.readAllLines(gcLog, StandardCharsets.UTF_8)) {
            Matcher m = AFTER_SYSTEM_GC.matcher(line);
            if (m.find()) {
                out.add(Long.parseLong(m.group(1)));
            }
        }
        return out;
    }

    private static String jcmd() {
        return Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    }

    private static String run(List<String> cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(30, TimeUnit.SECONDS);
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
    }
}
