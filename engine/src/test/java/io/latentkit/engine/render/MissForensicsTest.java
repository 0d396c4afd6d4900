package io.latentkit.engine.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Pad;
import io.latentkit.core.kit.PadParam;
import io.latentkit.core.kit.Sample;
import io.latentkit.core.kit.VelocityLayer;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.sink.NullSink;
import io.latentkit.testsupport.TestKits;
import org.junit.jupiter.api.Test;

/** Deadline misses are attributed to a cause, off the render thread. */
class MissForensicsTest {
    private static final int SR = 48_000;
    private static final long BLOCK_NS = 1_333_333L;

    private final MissForensics f = new MissForensics(new EngineCounters(SR, () -> 0L), BLOCK_NS, () -> -1L);

    @Test
    void anEngineShortOfCpuTimeIsTheCauseElseTheLargestOutsideShare() {
        assertEquals(MissCauses.Cause.SCHEDULING, f.cause(0, 8_000_000, 0, 0));
        assertEquals(MissCauses.Cause.STEAL, f.cause(0, 1_000_000, 5_000_000, 0));
        assertEquals(MissCauses.Cause.GC, f.cause(0, 0, 0, 20_000_000));
        assertEquals(MissCauses.Cause.RENDER, f.cause(9_000_000, 1_000_000, 0, 0));
        assertEquals(MissCauses.Cause.RENDER, f.cause(2_000_000, 30_000_000, 0, 0),
                "short of CPU even with a core of its own");
        assertEquals(MissCauses.Cause.UNEXPLAINED, f.cause(0, 50_000, 0, 0), "under a tenth of a block");
    }

    @Test
    void wallRenderTimeInflatedByAPauseOrAPreemptionIsNotBlamedOnTheEngine() {
        // A block that took 25 ms of wall time because a 20 ms GC pause stopped it in the middle.
        assertEquals(MissCauses.Cause.GC, f.causeFromWallTime(25_000_000, 0, 0, 20_000_000));
        // A block preempted for 10 ms of its 11.
        assertEquals(MissCauses.Cause.SCHEDULING, f.causeFromWallTime(11_000_000, 10_000_000, 0, 0));
        assertEquals(MissCauses.Cause.RENDER, f.causeFromWallTime(11_000_000, 1_000_000, 0, 0));
    }

    @Test
    void anEngineThatCannotRenderInTimeHasItsMissesAttributedToRender() throws Exception {
        // 16,384 pitched stereo voices: each block needs about three times its budget of CPU time
        // (about 3.5 ns per voice and frame), however the machine schedules the thread.
        int voices = 16_384;
        Pad[] pads = new Pad[DrumClass.COUNT];
        for (int p = 0; p < pads.length; p++) {
            float[] l = TestKits.sine(20 * SR, 100 + 10 * p, 0.001f, SR);
            pads[p] = new Pad(DrumClass.ofPad(p), VelocityLayer.of(Sample.stereo("s" + p, l, l.clone(), SR)));
        }
        Engine engine = Engine.create(EngineConfig.defaults().withVoices(voices), new Kit("stereo", SR, pads));
        engine.warmupBlocks(0);
        for (int p = 0; p < DrumClass.COUNT; p++) {
            engine.proxy().setPadParam(p, PadParam.PITCH, -1.5f, EngineProxy.ASAP);
        }
        for (int i = 0; i < voices; i++) {
            while (!engine.proxy().trigger(i % DrumClass.COUNT, 0.5f, EngineProxy.ASAP)) {
                engine.agent().renderBlock(); // let the ring drain before it is running
            }
        }
        engine.start(new NullSink(256));
        try {
            long deadline = System.nanoTime() + 60_000_000_000L;
            MissCauses causes = engine.counters().missCauses();
            while (causes.attributed() < 20 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            long render = causes.count(MissCauses.Cause.RENDER);
            assertTrue(causes.attributed() >= 20, "misses attributed: " + causes.describe());
            assertTrue(render * 2 > causes.attributed(), "mostly the engine's own: " + causes.describe()
                    + "; voices " + engine.counters().activeVoices() + ", over budget "
                    + engine.counters().overBudgetNanos() / 1e6 + " ms in " + engine.counters().overBudgetBlocks()
                    + " blocks of " + engine.counters().blocksRendered() + ", ring drops "
                    + engine.counters().ringFullDrops());
        } finally {
            engine.close();
        }
    }
}
