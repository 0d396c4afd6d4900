package io.latentkit.engine.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Pad;
import io.latentkit.core.kit.PadParam;
import io.latentkit.core.kit.Sample;
import io.latentkit.core.kit.VelocityLayer;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.control.Stage;
import io.latentkit.engine.sink.NullSink;
import io.latentkit.testsupport.QuietJit;
import io.latentkit.testsupport.TestKits;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The render thread allocates nothing while latent pads morph: the engine runs in real time on its
 * own thread (null sink, wall-clock paced, its own housekeeping retiring replaced samples) with 64
 * voices sounding, while a morphing thread swaps the live samples of two pads as the latent agent
 * does (a staged pad sample through {@code StagedCommands.publish}, 100 moves a second, each a
 * sound made on that thread), hits the morphing pads between moves (new voices start from live
 * samples, old ones keep theirs and retire once silent) and now and then hands a pad back to its
 * kit. After the engine's warm-up, two seconds live and a quiet JIT, the render thread's allocated
 * bytes over ten seconds must be exactly zero. Runs in the render-thread-allocation execution (a
 * JVM of its own with the server's JIT flags).
 */
class LiveSampleMorphAllocationTest {
    private static final int SR = 48_000;
    private static final int[] MORPHING = {DrumClass.SNARE.pad(), DrumClass.PERC.pad()};

    @Test
    void renderThreadAllocatesZeroBytesWhileTwoPadsMorphAHundredTimesASecondUnderSixtyFourVoices() throws Exception {
        // 96 voices: the 64 long ones are never stolen by the morphing pads' short hits (about 13 at a time).
        Engine engine = Engine.create(EngineConfig.defaults().withVoices(96), longKit());
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        EngineProxy proxy = engine.proxy();
        for (int i = 0; i < 64; i++) {
            proxy.trigger(i % DrumClass.COUNT, 0.8f, EngineProxy.ASAP);
        }
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong moves = new AtomicLong();
        AtomicLong applied = new AtomicLong();
        AtomicLong failed = new AtomicLong();
        List<Sample> retired = new ArrayList<>();
        engine.onRetiredSample(s -> {
            synchronized (retired) {
                retired.add(s);
            }
        });
        Thread morpher = new Thread(() -> {
            long n = 0;
            while (running.get()) {
                int pad = MORPHING[(int) (n % MORPHING.length)];
                // A fresh sound per move, as each decode is: 0.4 s of a decaying tone.
                Sample next = n % 50 == 49 ? null : Sample.mono("morph" + n,
                        TestKits.sine((int) (0.4 * SR), 150 + (n % 40) * 10, 0.05f, SR), SR);
                Stage stage = new Stage(null).padSample(pad, next);
                engine.commands().publish(() -> stage, EngineProxy.ASAP).whenComplete((st, err) -> {
                    (err == null ? applied : failed).incrementAndGet();
                });
                if (n % 3 == 0 && next != null) {
                    proxy.trigger(pad, 0.9f, EngineProxy.ASAP);
                }
                moves.incrementAndGet();
                n++;
                LockSupport.parkNanos(10_000_000L); // 100 moves a second
            }
        }, "test-morpher");

        engine.start(new NullSink(256));
        try {
            morpher.start();
            long tid = engine.renderThread().getId();
            waitForFrames(engine, 2L * SR);
            long quietAfterMs = QuietJit.await(30_000, 2_000);
            long before = threads.getThreadAllocatedBytes(tid);
            long framesBefore = engine.counters().framePosition();
            long movesBefore = moves.get();
            long appliedBefore = applied.get();
            waitForFrames(engine, framesBefore + 10L * SR);
            long after = threads.getThreadAllocatedBytes(tid);
            long frames = engine.counters().framePosition() - framesBefore;
            long appliedDuring = applied.get() - appliedBefore;

            assertTrue(moves.get() - movesBefore > 500, "moves during the window: " + (moves.get() - movesBefore));
            assertTrue(appliedDuring > 500, "live samples swapped in during the window: " + appliedDuring);
            assertEquals(0L, failed.get(), "refused or lost stages");
            synchronized (retired) {
                assertTrue(retired.size() > 500, "replaced samples came back once silent: " + retired.size());
            }
            assertEquals(0L, after - before, "bytes allocated by the render thread over " + frames + " frames while "
                    + appliedDuring + " live samples were swapped in (JIT quiet after " + quietAfterMs + " ms)");
            assertTrue(engine.counters().activeVoices() >= 64, "voices sounding: " + engine.counters().activeVoices());
            assertEquals(0L, engine.renderErrors(), "render loop errors");
        } finally {
            running.set(false);
            morpher.join();
            engine.close();
        }
    }

    /** Every pad a 90-second tone, half of them pitched, so the 64 voices outlast the test's waits. */
    private static Kit longKit() {
        Pad[] pads = new Pad[DrumClass.COUNT];
        for (int i = 0; i < pads.length; i++) {
            Sample s = Sample.mono("long" + i, TestKits.sine(90 * SR, 50 + 20 * i, 0.01f, SR), SR);
            pads[i] = new Pad(DrumClass.ofPad(i), VelocityLayer.of(s));
            if (i % 2 == 1) {
                pads[i].set(PadParam.PITCH, -3.5f);
            }
        }
        return new Kit("long", SR, pads);
    }

    private static void waitForFrames(Engine engine, long frame) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (engine.counters().framePosition() < frame) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("render thread stalled at frame " + engine.counters().framePosition());
            }
            Thread.sleep(50);
        }
    }
}
