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
 * bytes over {@link #WINDOW_SECONDS} seconds (issue 14's figure: 60 s of continuous morphing) must
 * be exactly zero; the run's deadline misses are printed beside it (a figure, not asserted: the
 * machine is shared). Runs in the latent-morph-allocation execution (a JVM of its own with the
 * server's JIT flags), apart from the engine's other allocation proof, so that neither measures
 * through the other's compilations.
 */
class LiveSampleMorphAllocationTest {
    private static final int SR = 48_000;
    private static final int[] MORPHING = {DrumClass.SNARE.pad(), DrumClass.PERC.pad()};
    /** The measured window, in seconds of rendered audio. */
    static final int WINDOW_SECONDS = 60;
    /** Length of the long tones: the warm-up, the quiet-JIT wait (at most 30 s) and the window, with room. */
    private static final int TONE_SECONDS = 150;
    /** Frames of rendered audio between two hits of the morphing pads, at least (30 ms). */
    private static final long HIT_EVERY_FRAMES = 30L * SR / 1000;

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
        // Counted, not kept: 6,000 retired sounds of 0.4 s would hold half a gigabyte.
        AtomicLong retired = new AtomicLong();
        engine.onRetiredSample(s -> retired.incrementAndGet());
        Thread morpher = new Thread(() -> {
            long n = 0;
            long lastHitFrame = Long.MIN_VALUE;
            while (running.get()) {
                int pad = MORPHING[(int) (n % MORPHING.length)];
                // A fresh sound per move, as each decode is: 0.4 s of a decaying tone.
                Sample next = n % 50 == 49 ? null : Sample.mono("morph" + n,
                        TestKits.sine((int) (0.4 * SR), 150 + (n % 40) * 10, 0.05f, SR), SR);
                Stage stage = new Stage(null).padSample(pad, next);
                engine.commands().publish(() -> stage, EngineProxy.ASAP).whenComplete((st, err) -> {
                    (err == null ? applied : failed).incrementAndGet();
                });
                // A hit at most every 30 ms of rendered audio: paced by the wall clock, a render
                // thread held off its core on a loaded machine would start a backlog of hits in one
                // block, and more than the pool's 32 spare voices would steal the long ones.
                long frame = engine.counters().framePosition();
                if (n % 3 == 0 && next != null && frame - lastHitFrame >= HIT_EVERY_FRAMES) {
                    proxy.trigger(pad, 0.9f, EngineProxy.ASAP);
                    lastHitFrame = frame;
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
            long retiredBefore = retired.get();
            long missesBefore = engine.counters().deadlineMisses();
            long compileBefore = QuietJit.compilationMs();
            long minVoices = Long.MAX_VALUE;
            while (engine.counters().framePosition() < framesBefore + (long) WINDOW_SECONDS * SR) {
                waitForFrames(engine, Math.min(engine.counters().framePosition() + SR / 2,
                        framesBefore + (long) WINDOW_SECONDS * SR));
                minVoices = Math.min(minVoices, engine.counters().activeVoices());
            }
            long after = threads.getThreadAllocatedBytes(tid);
            long frames = engine.counters().framePosition() - framesBefore;
            long appliedDuring = applied.get() - appliedBefore;
            long movesDuring = moves.get() - movesBefore;
            long misses = engine.counters().deadlineMisses() - missesBefore;
            System.out.printf("latent morph allocation: %d B over %.1f s rendered, %d moves, %d live samples swapped in, "
                    + "%d retired, fewest voices sounding %d, %d deadline misses (%s), JIT quiet after %d ms, "
                    + "%d ms compiling in the window%n", after - before, frames / (double) SR, movesDuring, appliedDuring,
                    retired.get() - retiredBefore, minVoices, misses, engine.counters().missCauses().describe(),
                    quietAfterMs, QuietJit.compilationMs() - compileBefore);

            // At least half the intended 100 moves a second, however loaded the machine.
            long least = 50L * WINDOW_SECONDS;
            assertTrue(movesDuring > least, "moves during the window: " + movesDuring);
            assertTrue(appliedDuring > least, "live samples swapped in during the window: " + appliedDuring);
            assertEquals(0L, failed.get(), "refused or lost stages");
            assertTrue(retired.get() - retiredBefore > least, "replaced samples came back once silent: "
                    + (retired.get() - retiredBefore));
            assertTrue(minVoices >= 64, "voices sounding throughout the window, fewest: " + minVoices);
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

    /**
     * Every pad one long tone (shared: 16 of them would take 460 MB), half of the pads pitched down
     * (so they play the pitched voice path, and longer), so the 64 voices outlast the test's waits.
     */
    private static Kit longKit() {
        Pad[] pads = new Pad[DrumClass.COUNT];
        Sample s = Sample.mono("long", TestKits.sine(TONE_SECONDS * SR, 110, 0.01f, SR), SR);
        for (int i = 0; i < pads.length; i++) {
            pads[i] = new Pad(DrumClass.ofPad(i), VelocityLayer.of(s));
            if (i % 2 == 1) {
                pads[i].set(PadParam.PITCH, -3.5f);
            }
        }
        return new Kit("long", SR, pads);
    }

    private static void waitForFrames(Engine engine, long frame) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (engine.counters().framePosition() < frame) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("render thread stalled at frame " + engine.counters().framePosition());
            }
            Thread.sleep(50);
        }
    }
}
