package io.latentkit.perf.compare;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Part 6, isolation: the deadline test of part 2 (256 voices, 1,000 OSC hits a second) once per
 * isolation measure, each on its own, at each buffer: none, the render thread pinned, SCHED_FIFO,
 * mlockall, fewer JVM helper threads, all of {@code --realtime auto}, and the JACK sink on a
 * private JACK dummy server; scsynth on the same kind of JACK server under the same stream. Every
 * latentkit miss is given with its cause (the engine's forensics).
 *
 * <p>Threading: the main thread, plus the hit sender's.
 */
final class IsolationPart {
    /** Variant name → extra JVM flags and DeadlineServer arguments. */
    static final Map<String, List<String>> VARIANTS = new LinkedHashMap<>();

    static {
        VARIANTS.put("off", List.of("isolation=off"));
        VARIANTS.put("pin", List.of("isolation=pin"));
        VARIANTS.put("fifo", List.of("isolation=fifo"));
        VARIANTS.put("mlock", List.of("isolation=mlock"));
        VARIANTS.put("helpers", List.of("-XX:ParallelGCThreads=1", "-XX:ConcGCThreads=1", "-XX:CICompilerCount=2",
                "isolation=off"));
        VARIANTS.put("auto", List.of("isolation=auto"));
        VARIANTS.put("jack", List.of("isolation=off"));
        VARIANTS.put("scsynth", List.of());
    }

    private final Harness h;
    private final CompareOptions o;
    private final StringBuilder md;

    IsolationPart(Harness h, StringBuilder md) {
        this.h = h;
        this.o = h.o;
        this.md = md;
    }

    void run() throws Exception {
        Path dir = h.work.resolve("part6");
        Files.createDirectories(dir);
        int voices = 256;
        double warmup = 3.0;
        DeadlinePart deadline = new DeadlinePart(h, new StringBuilder());
        md.append("## 6. Isolation: deadline misses per measure\n\n");
        md.append(String.format(Locale.ROOT, "Part 2's load (%d voices kept sounding by 1,000 UDP `/hit`s a second, "
                + "48 kHz, 64-frame blocks) for %.0f s per row after %.0f s of warm-up, one isolation measure at a "
                + "time. `pin`: the render thread on the last CPU and every other thread of the JVM kept off it; "
                + "`fifo`: the render thread at SCHED_FIFO priority 5; `mlock`: mlockall; `helpers`: "
                + "`-XX:ParallelGCThreads=1 -XX:ConcGCThreads=1 -XX:CICompilerCount=2`; `auto`: pin, fifo and mlock "
                + "(`serve --realtime auto`); `jack`: the engine rendered from the callback of a private "
                + "`jackd --no-realtime -d dummy` with that period (the JACK server scsynth runs on in part 2); "
                + "`scsynth`: scsynth on the same kind of JACK server, its xruns from JACK's log. The null sink "
                + "rows use the buffer as the device buffer. Load average at the start of each row in the last "
                + "column: the machine is shared.%n%n", voices, o.isolationSeconds, warmup));
        md.append("| measure | buffer | misses | by cause (scheduling/steal/render/gc/unexplained) | render p99.99 | max "
                + "| render thread run-queue wait / on-CPU | what it got | load |\n|---|---|---|---|---|---|---|---|---|\n");
        for (int buffer : o.isolationBuffers) {
            for (String v : o.isolationVariants) {
                if (!VARIANTS.containsKey(v)) {
                    md.append("| ").append(v).append(" | ").append(buffer).append(" | unknown measure ||||||| \n");
                    continue;
                }
                String load = Machine.loadAvg();
                Harness.log("part 6: " + v + " at " + buffer + " frames, load " + load);
                Path run = dir.resolve(v + "-" + buffer);
                if (v.equals("scsynth")) {
                    String table = deadline.deadlineScsynth(run, voices, warmup, o.isolationSeconds, buffer);
                    md.append("| scsynth | ").append(buffer).append(" | ").append(scsynthXruns(table))
                            .append(" JACK xruns | — | — | — | — | jackd --no-realtime, dummy | ").append(load)
                            .append(" |\n");
                    continue;
                }
                List<String> extra = new ArrayList<>(VARIANTS.get(v));
                Process jackd = null;
                if (v.equals("jack")) {
                    String name = "lkiso" + ProcessHandle.current().pid() + "b" + buffer;
                    jackd = Proc.track(new ProcessBuilder("jackd", "-n", name, "--no-realtime", "-d", "dummy", "-r",
                            "48000", "-p", Integer.toString(buffer)).redirectErrorStream(true)
                            .redirectOutput(Path.of(run + "-jackd.log").toFile())
                            .start());
                    Thread.sleep(1500);
                    extra.add("jack=" + name);
                }
                Map<String, String> r;
                try {
                    r = deadline.deadlineLatentkit(run, voices, warmup, o.isolationSeconds, buffer, extra);
                } finally {
                    if (jackd != null) {
                        jackd.destroy();
                        jackd.waitFor(5, TimeUnit.SECONDS);
                    }
                }
                if (!r.containsKey("p50_ns")) {
                    md.append("| ").append(v).append(" | ").append(buffer).append(" | failed: ")
                            .append(r.getOrDefault("error", r.toString()).replace('|', '/').replace('\n', ' '))
                            .append(" |||||| ").append(load).append(" |\n");
                    continue;
                }
                md.append(String.format(Locale.ROOT, "| %s | %d | %s | %s/%s/%s/%s/%s | %s µs | %s µs | %s / %s ms | %s | %s |%n",
                        v, buffer, r.get("deadline_misses"), r.get("misses_scheduling"), r.get("misses_steal"),
                        r.get("misses_render"), r.get("misses_gc"), r.get("misses_unexplained"),
                        Harness.us(r.get("p9999_ns")), Harness.us(r.get("max_ns")), r.get("render_runqueue_ms"),
                        r.get("render_oncpu_ms"), r.getOrDefault("isolation", "").replace('_', ' ')
                                + (r.containsKey("jack_render_bytes") ? "; render path " + r.get("jack_render_bytes")
                                        + " B, JACK thread " + r.get("jack_thread_bytes") + " B" : ""), load));
                h.gcRow("latentkit isolation " + v + " at " + buffer + " frames (render thread bytes while measured)",
                        new Proc(0, 0, Double.NaN, r, run.resolve("child.log"), ""), run.resolve("gc.log"));
            }
        }
        md.append('\n');
    }

    private static String scsynthXruns(String table) {
        // The row after the header and separator: | synths | avg | peak | xruns | ...
        String[] lines = table.split("\n");
        if (lines.length < 3 || !lines[2].startsWith("|")) {
            return "n/a (" + table.lines().findFirst().orElse("") + ")";
        }
        String[] cells = lines[2].split("\\|");
        return cells.length > 4 ? cells[4].trim() : "n/a";
    }

    static List<String> variantNames() {
        return new ArrayList<>(VARIANTS.keySet());
    }
}
