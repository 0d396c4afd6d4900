package io.latentkit.testsupport;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * Waits for the JIT to go quiet before an allocation proof measures: a window that sees the
 * optimising compiler replace or de-optimise render code can see the render thread allocate a few
 * hundred bytes (de-optimisation and call-site re-resolution), which says nothing about the code.
 * Every render-thread allocation test waits here, so none measures through a compilation.
 *
 * <p>Threading: any thread; it only reads the JVM's compilation MXBean.
 */
public final class QuietJit {
    private QuietJit() {
    }

    /**
     * Waits until the JVM's total compilation time has not changed for {@code quietMs}, at most
     * {@code maxMs}; returns how long it waited. A JIT that keeps compiling past the bound is not
     * hidden: callers report {@link #compilationMs()} over their window in the assertion message.
     */
    public static long await(long maxMs, long quietMs) throws InterruptedException {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        long start = System.nanoTime();
        long last = jit.getTotalCompilationTime();
        long quietSince = System.nanoTime();
        while ((System.nanoTime() - start) / 1_000_000 < maxMs) {
            Thread.sleep(100);
            long now = jit.getTotalCompilationTime();
            if (now != last) {
                last = now;
                quietSince = System.nanoTime();
            } else if ((System.nanoTime() - quietSince) / 1_000_000 >= quietMs) {
                break;
            }
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    /** The JVM's total compilation time so far, in milliseconds. */
    public static long compilationMs() {
        return ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
    }
}
