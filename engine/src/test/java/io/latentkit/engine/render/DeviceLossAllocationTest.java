package io.latentkit.engine.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import io.latentkit.testsupport.QuietJit;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.sink.RecoveringJavaSoundSink;
import io.latentkit.engine.sink.fault.FaultyMixer;
import io.latentkit.engine.sink.fault.FaultyMixer.Fault;
import io.latentkit.testsupport.TestKits;
import java.lang.management.ManagementFactory;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The render thread allocates nothing while its audio device stalls, throws, is unplugged and
 * comes back (the recovering sink's loss detection and null pacing run on the render thread). Runs
 * in the {@code device-loss-allocation} surefire execution, in a JVM of its own with the server's
 * JIT flags, as {@link RenderThreadAllocationTest} does in its own.
 */
class DeviceLossAllocationTest {
    private static final int SR = 48_000;

    @AfterEach
    void plugBackIn() {
        FaultyMixer.INSTANCE.fault(Fault.NONE);
    }

    @Test
    void renderThreadAllocatesZeroBytesThroughDeviceLossAndRecovery() throws Exception {
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        Engine engine = Engine.create(EngineConfig.defaults(), TestKits.kit(SR, pad -> TestKits.sine(120 * SR, 220, 0.2f, SR)));
        RecoveringJavaSoundSink sink = new RecoveringJavaSoundSink(FaultyMixer.NAME, 256);
        engine.start(sink);
        try {
            long tid = engine.renderThread().getId();
            engine.proxy().trigger(0, 1f, 1L);
            // Warm-up: losses of each kind and their recoveries, so that every path has run and been
            // compiled before the measured window. Two rounds left C2 still recompiling the render
            // loop's sink paths in the measured round about one run in two under load (96 B, the
            // re-resolution signature of the engine's own test); six leave it done.
            for (int round = 0; round < 6; round++) {
                Thread.sleep(1_000);
                for (Fault f : new Fault[] {Fault.STALL, Fault.THROW, Fault.UNPLUGGED}) {
                    cycle(engine, sink, f);
                }
            }
            long quietAfterMs = QuietJit.await(30_000, 2_000);
            long before = threads.getThreadAllocatedBytes(tid);
            long nullBefore = sink.nullBlocks();
            long lossesBefore = sink.losses();
            long framesBefore = engine.counters().framePosition();
            for (Fault f : new Fault[] {Fault.STALL, Fault.THROW, Fault.UNPLUGGED}) {
                cycle(engine, sink, f);
            }
            long after = threads.getThreadAllocatedBytes(tid);
            assertTrue(sink.losses() >= lossesBefore + 3, "three losses in the window: " + (sink.losses() - lossesBefore));
            assertTrue(sink.nullBlocks() > nullBefore + 300, "blocks into nothing: " + (sink.nullBlocks() - nullBefore));
            assertTrue(engine.counters().framePosition() > framesBefore + SR, "rendered on");
            assertEquals(0L, engine.renderErrors(), "render loop errors");
            assertEquals(0L, after - before, "bytes allocated by the render thread through three device losses (JIT "
                    + "quiet after " + quietAfterMs + " ms)");
        } finally {
            engine.close();
        }
    }

    private static void cycle(Engine engine, RecoveringJavaSoundSink sink, Fault f) throws InterruptedException {
        long losses = sink.losses();
        long reopens = sink.reopens();
        FaultyMixer.INSTANCE.fault(f);
        await(() -> sink.losses() > losses);
        long nulls = sink.nullBlocks();
        await(() -> sink.nullBlocks() > nulls + 100);
        FaultyMixer.INSTANCE.fault(Fault.NONE);
        await(() -> sink.playing() && sink.reopens() > reopens);
        Thread.sleep(300);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(2);
        }
    }
}
