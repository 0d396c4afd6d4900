package io.latentkit.listen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.DefaultKit;
import io.latentkit.core.kit.Kit;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.control.TelemetryHandler;
import io.latentkit.engine.sink.NullSink;
import io.latentkit.listen.input.FileSource;
import io.latentkit.testsupport.QuietJit;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The render thread still allocates nothing with listen mode running: the engine renders in real
 * time (null sink, wall-clock paced) while listen mode hears a groove played in at real-time pace
 * (four hits a second), classifies every hit with the shipped models and triggers its drum at
 * onset + L, and a consumer drains telemetry. Runs in its own JVM (see listen/pom.xml), like the
 * engine's own allocation test.
 */
class ListenRenderThreadAllocationTest {
    private static final int SR = 48_000;

    @Test
    void renderThreadAllocatesZeroBytesOverTenSecondsWhileListenModeTriggersHits() throws Exception {
        Kit kit = DefaultKit.create(SR);
        DrumClass[] cycle = {DrumClass.KICK, DrumClass.HIHAT_CLOSED, DrumClass.SNARE, DrumClass.HIHAT_CLOSED};
        float[] groove = new float[SR * 90];
        for (int i = 0; i < 350; i++) {
            float[] s = kit.pad(cycle[i % cycle.length]).pick(1f).left();
            TestSignals.mix(groove, s, SR / 2 + (long) i * SR / 4);
        }
        Engine engine = Engine.create(EngineConfig.defaults(), DefaultKit.create(SR));
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong started = new AtomicLong();
        TelemetryHandler counting = new TelemetryHandler() {
            @Override
            public void onVoiceStarted(long tag, int pad, long frame) {
                started.incrementAndGet();
            }
        };
        Thread consumer = new Thread(() -> {
            while (running.get()) {
                engine.telemetry().poll(counting, 1_000);
                LockSupport.parkNanos(2_000_000L);
            }
        }, "test-telemetry");
        engine.start(new NullSink(256));
        ListenMode mode = null;
        try {
            consumer.start();
            // The serve default: the latency measured at start, on the model thread, while the engine plays.
            mode = ListenMode.start(ListenConfig.auto(), FileSource.of(groove), engine);
            mode.ready().get(120, TimeUnit.SECONDS);
            assertFalse(mode.config().autoLatency(), "the latency was chosen before the models were installed");
            long tid = engine.renderThread().getId();
            Thread.sleep(2_500); // hits flowing
            // The measured window must not see the optimising compiler replace or de-optimise
            // render code (what the engine's test found as rare 96..176-byte failures): wait until
            // the JIT has been quiet for two seconds.
            long quietAfterMs = QuietJit.await(30_000, 2_000);
            long compileMsBefore = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
            long before = threads.getThreadAllocatedBytes(tid);
            long framesBefore = engine.counters().framePosition();
            long triggeredBefore = mode.counters().triggered();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (engine.counters().framePosition() < framesBefore + 10L * SR + SR / 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            long after = threads.getThreadAllocatedBytes(tid);
            long compileMsDuring = ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - compileMsBefore;
            long frames = engine.counters().framePosition() - framesBefore;
            long triggered = mode.counters().triggered() - triggeredBefore;

            assertTrue(frames >= 10L * SR, "rendered " + frames + " frames");
            assertTrue(triggered >= 30, "listen mode triggered " + triggered + " hits during the window");
            assertTrue(started.get() >= 30, "voices started: " + started.get());
            assertEquals(0L, engine.renderErrors(), "render loop errors");
            assertEquals(0L, after - before, "bytes allocated by the render thread over " + frames + " frames (JIT quiet after "
                    + quietAfterMs + " ms of waiting; " + compileMsDuring + " ms of compilation during the window)");
        } finally {
            running.set(false);
            consumer.join();
            if (mode != null) {
                mode.close();
            }
            engine.close();
        }
    }

}
