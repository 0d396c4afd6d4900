package io.latentkit.perf.compare;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Part 4, ring handoff: the engine's control ring against JDK queues between two threads, and
 * the JMH publish cost.
 *
 * <p>Threading: the main thread only.
 */
final class HandoffPart {
    private final Harness h;
    private final CompareOptions o;
    private final StringBuilder md;

    HandoffPart(Harness h, StringBuilder md) {
        this.h = h;
        this.o = h.o;
        this.md = md;
    }

    void run() throws Exception {
        Path dir = h.work.resolve("part4");
        Files.createDirectories(dir);
        md.append("## 4. Ring handoff\n\n");
        md.append("Producer → consumer thread, one trigger per event. Latency: a producer publishes every 10 µs "
                + "(busy-paced) an event stamped with `System.nanoTime()`; the consumer spins on the queue (Disruptor: "
                + "the engine's `ControlRing` through `EngineProxy`, drained with its `EventPoller`, as the render "
                + "thread does; `ArrayBlockingQueue` drained by `poll()` spinning and by blocking `take()`; "
                + "`ConcurrentLinkedQueue` by `poll()`) and records now − stamp in an HdrHistogram. Queue messages "
                + "are allocated per event (a record with the trigger's fields); the ring's events are pre-allocated. "
                + "Bytes per event from `ThreadMXBean.getThreadAllocatedBytes` on each side.\n\n");
        String[] kinds = {"disruptor", "abq_poll", "abq_take", "clq_poll"};
        Map<String, List<Double>> p50 = new LinkedHashMap<>();
        Map<String, List<Double>> p99 = new LinkedHashMap<>();
        Map<String, List<Double>> p9999 = new LinkedHashMap<>();
        Map<String, String> bytes = new LinkedHashMap<>();
        for (String k : kinds) {
            p50.put(k, new ArrayList<>());
            p99.put(k, new ArrayList<>());
            p9999.put(k, new ArrayList<>());
        }
        for (int run = 1; run <= o.runs; run++) {
            Harness.log("part 4: handoff run " + run);
            Proc p = h.javaChild(dir.resolve("handoff-" + run), "io.latentkit.perf.compare.RingHandoff", false, List.of(),
                    300, "events=" + o.handoffEvents, "intervalNs=10000");
            if (!p.ok()) {
                md.append("handoff run ").append(run).append(" failed: ").append(p.tail()).append("\n\n");
                continue;
            }
            h.gcRow("ring handoff run " + run + " (all queues)", p);
            for (String k : kinds) {
                p50.get(k).add(Double.parseDouble(p.result().get(k + "_p50_ns")) / 1000);
                p99.get(k).add(Double.parseDouble(p.result().get(k + "_p99_ns")) / 1000);
                p9999.get(k).add(Double.parseDouble(p.result().get(k + "_p9999_ns")) / 1000);
                bytes.put(k, p.result().get(k + "_producer_bytes_per_event") + " / "
                        + p.result().get(k + "_consumer_bytes_per_event"));
            }
        }
        md.append("| queue | handoff p50 µs | p99 µs | p99.99 µs | bytes/event producer / consumer (last run) |\n"
                + "|---|---|---|---|---|\n");
        for (String k : kinds) {
            md.append("| ").append(k).append(" | ").append(Stats.spread(p50.get(k), "%.2f")).append(" | ")
                    .append(Stats.spread(p99.get(k), "%.2f")).append(" | ").append(Stats.spread(p9999.get(k), "%.1f"))
                    .append(" | ").append(bytes.getOrDefault(k, "n/a")).append(" |\n");
        }
        double d99 = Stats.median(p99.get("disruptor"));
        double abqPoll = Stats.median(p99.get("abq_poll"));
        double abqTake = Stats.median(p99.get("abq_take"));
        String measured = String.format(Locale.ROOT, "p99 %.2f µs vs ABQ %.2f µs (poll, %.0f×) / %.2f µs (take, %.0f×)",
                d99, abqPoll, abqPoll / d99, abqTake, abqTake / d99);
        double worst = Math.min(abqPoll / d99, abqTake / d99);
        double best = Math.max(abqPoll / d99, abqTake / d99);
        h.targets.add(new String[] {"ring handoff p99 ≥ 100× better than ArrayBlockingQueue", measured,
            worst >= 100 ? "met (both consumers)" : best >= 100 ? String.format(Locale.ROOT,
                    "met against one ABQ consumer (%.0f×), missed against the other (%.1f× of the 100× asked)", best, worst)
                    : String.format(Locale.ROOT, "missed: best ratio %.2f× against the 100× asked (a factor %.0f short)",
                    best, 100 / best)});
        Harness.log("part 4: JMH publish cost");
        Path csv = dir.resolve("jmh.csv").toAbsolutePath();
        List<String> jmh = new ArrayList<>(List.of("RingPublishBenchmark", "-f", "1"));
        jmh.addAll(Arrays.asList(o.jmh.split(" ")));
        jmh.addAll(List.of("-prof", "gc", "-rf", "csv", "-rff", csv.toString()));
        Proc p = h.javaChild(dir.resolve("jmh"), "org.openjdk.jmh.Main", false, List.of(), 900, jmh.toArray(new String[0]));
        md.append("\nPublish cost (JMH `RingPublishBenchmark`, `").append(o.jmh)
                .append("`, one producer, a consumer thread draining continuously; `-prof gc`):\n\n");
        if (p.ok() && Files.exists(csv)) {
            md.append("| queue | ns per publish (± 99.9% CI) | B/op (gc.alloc.rate.norm) |\n|---|---|---|\n");
            Map<String, String[]> rows = new LinkedHashMap<>();
            for (String line : Files.readAllLines(csv)) {
                String[] c = line.split(",");
                if (c.length < 8 || c[0].startsWith("\"Benchmark")) {
                    continue;
                }
                String name = c[0].replace("\"", "");
                String q = c[c.length - 1].replace("\"", "");
                String[] row = rows.computeIfAbsent(q, x -> new String[] {"", ""});
                if (name.endsWith("publish")) {
                    row[0] = String.format(Locale.ROOT, "%.1f ± %.1f", Double.parseDouble(c[4]), parseOr(c[5]));
                } else if (name.endsWith("gc.alloc.rate.norm")) {
                    row[1] = String.format(Locale.ROOT, "%.1f", Double.parseDouble(c[4]));
                }
            }
            rows.forEach((q, row) -> md.append("| ").append(q).append(" | ").append(row[0]).append(" | ").append(row[1])
                    .append(" |\n"));
        } else {
            md.append("JMH run failed: ").append(p.tail()).append('\n');
        }
        md.append('\n');
    }

    private static double parseOr(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }
}
