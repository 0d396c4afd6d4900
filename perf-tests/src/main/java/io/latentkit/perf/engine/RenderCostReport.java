package io.latentkit.perf.engine;

import java.util.Collection;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Runs {@link RenderBenchmark} and prints, per voice count and mode: ns per block, ns per
 * voice-sample, and how many such voices one core renders in real time at 48 kHz with 64-frame
 * blocks (the block's 1,333,333 ns budget divided by the cost of one voice for one block).
 *
 * <p>Usage: {@code perf-tests/bench io.latentkit.perf.engine.RenderCostReport}.
 */
public final class RenderCostReport {
    private RenderCostReport() {
    }

    public static void main(String[] args) throws Exception {
        Options opts = new OptionsBuilder().include(RenderBenchmark.class.getSimpleName()).build();
        Collection<RunResult> results = new Runner(opts).run();
        double budgetNs = 1e9 * RenderBenchmark.BLOCK / RenderBenchmark.SR;
        System.out.println();
        System.out.printf("%-15s %7s %14s %12s %18s %22s%n", "mode", "voices", "ns/block", "+-", "ns/voice-sample",
                "voices per core (RT)");
        for (RunResult r : results) {
            int voices = Integer.parseInt(r.getParams().getParam("voices"));
            String mode = r.getParams().getParam("mode");
            // Single-shot batches: the score is the time of one batch.
            double ns = r.getPrimaryResult().getScore() / RenderBenchmark.BATCH_BLOCKS;
            double err = r.getPrimaryResult().getScoreError() / RenderBenchmark.BATCH_BLOCKS;
            double perVoiceSample = ns / (voices * (double) RenderBenchmark.BLOCK);
            double perCore = budgetNs / (ns / voices);
            System.out.printf("%-15s %7d %14.0f %12.0f %18.3f %22.0f%n", mode, voices, ns, err, perVoiceSample, perCore);
        }
    }
}
