package io.latentkit.perf.compare;

/**
 * Part 5, GC and render-thread allocation: the rows every Java child of the other parts left in
 * {@link Harness#gcRows}. Threading: the main thread only.
 */
final class GcPart {
    private GcPart() {
    }

    static void write(Harness h, StringBuilder md) {
        md.append("## 5. GC and render-thread allocation\n\n");
        md.append("Every Java child runs with `-Xlog:gc:file=…` (the default collector, except the deadline server, "
                + "which runs with `bin/latentkit serve`'s flags: ZGC, 1 GiB pre-touched heap, trap limits 0); longest "
                + "pause and number of pauses from that log. Render-thread bytes: the thread that renders (latentkit: "
                + "the render loop's thread, including the score feeding in part 1, which publishes into the ring "
                + "without allocating; Gervill: the thread reading its stream).\n\n");
        md.append("| run | render-thread bytes | longest GC pause | GC pauses |\n|---|---|---|---|\n");
        for (String[] r : h.gcRows) {
            md.append("| ").append(String.join(" | ", r)).append(" |\n");
        }
        md.append('\n');
    }
}
