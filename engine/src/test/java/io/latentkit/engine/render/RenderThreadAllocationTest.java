package io.latentkit.engine.render;

import com.sun.management.ThreadMXBean;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.DrumClass;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.testsupport.TestKits;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.control.Stage;
import io.latentkit.engine.sequence.Pattern;
import io.latentkit.engine.sequence.SequencerProxy;
import io.latentkit.engine.control.TelemetryHandler;
import io.latentkit.engine.sink.NullSink;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Pad;
import io.latentkit.core.kit.PadParam;
import io.latentkit.core.kit.Sample;
import io.latentkit.core.kit.Strike;
import io.latentkit.core.kit.VelocityLayer;
import io.latentkit.testsupport.QuietJit;
import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;

/**
 * The render thread allocates nothing: the engine runs in real time on its own thread (null sink,
 * wall-clock paced) with 64 voices sounding (mono and stereo, at unit pitch and pitched: through the
 * interpolator on pads whose pitch keeps changing, from its pre-pitched copy on a pad whose pitch
 * stays, with the engine's copier building copies meanwhile; a layered
 * pad among them, a pad drawing its sample at random, hats choked in one direction) and a producer
 * publishing about a thousand control events a second (triggers with tags, parameter changes
 * including pitch, tempo changes, syncs), while a consumer drains telemetry. After two seconds live
 * (and the engine's own JIT warm-up before it) and once the JIT has been quiet for two seconds, the
 * render thread's allocated bytes over more than ten seconds of rendered audio must be exactly zero.
 *
 * <p>Without the engine's warm-up this test found 1 to 6 KB per run: not allocations in the render
 * code (with C1 only it measured zero) but the optimising compiler's de-optimisations and call-site
 * re-resolution when it first compiled the render path several seconds into the live run.
 */
class RenderThreadAllocationTest {
    private static final int SR = 48_000;

    @Test
    void renderThreadAllocatesZeroBytesOverTenSecondsWithSixtyFourVoicesAndSteadyControl() throws Exception {
        EngineConfig config = EngineConfig.defaults().withVoices(64);
        // 30-second sounds keep every voice sounding for the whole test. Every path of the voice is
        // exercised: pads 0-5 mono, 6-11 stereo; odd pads pitched (interpolating loops), even pads
        // at unit pitch, and pitch changes keep arriving during the measured window.
        Engine engine = Engine.create(config, withLayeredPads(mixedKit()));
        ThreadMXBean threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);

        EngineProxy proxy = engine.proxy();
        for (int i = 0; i < 64; i++) {
            proxy.trigger(i % DrumClass.COUNT, 0.8f, EngineProxy.ASAP);
        }
        // The sequencer plays a dense two-bar chain throughout (a step on some pad every fourth
        // tick), with swing, while the producer edits cells, mutes rows and queues pattern loads.
        SequencerProxy seq = new SequencerProxy(proxy);
        Pattern dense = new Pattern().bars(2);
        for (int t = 0; t < dense.lengthTicks(); t += 4) {
            dense.set((t / 4) % DrumClass.COUNT, t, 0.5f);
        }
        proxy.stage(new Stage(null).pattern(dense).swing(0.3f), EngineProxy.ASAP);
        seq.play(EngineProxy.ASAP);
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong published = new AtomicLong();
        Thread producer = new Thread(() -> {
            long n = 0;
            while (running.get()) {
                long now = engine.clock().currentFrame();
                int pad = (int) (n % DrumClass.COUNT);
                switch ((int) (n % 4)) {
                    case 0 -> proxy.trigger(pad, 0.7f, EngineProxy.ASAP, n + 1);
                    case 1 -> proxy.trigger(pad, 0.5f, now + 500, n + 1);
                    case 2 -> {
                        if (n % 8 == 2) {
                            // Pad 11 keeps its pitch, so its pre-pitched copy is built and played.
                            int tuned = (pad | 1) == 11 ? 9 : pad | 1;
                            proxy.setPadParam(tuned, PadParam.PITCH, (n % 25) - 12.5f, now + 100);
                        } else {
                            proxy.setPadParam(pad, PadParam.PAN, (n % 21) / 10f - 1f, now + 100);
                        }
                    }
                    default -> {
                        if (n % 40 == 3) {
                            proxy.setTempo(100f + n % 60, EngineProxy.ASAP);
                        } else if (n % 8 == 7) {
                            seq.cell(pad, (int) (n % 256), (n % 3) / 2f, now + 50);
                        } else if (n % 40 == 11) {
                            seq.mute(pad, n % 80 == 11, EngineProxy.ASAP);
                        } else if (n % 400 == 15) {
                            // Built on this thread; the render thread copies it at the next bar line.
                            proxy.stage(new Stage(null).pattern(dense), EngineProxy.ASAP);
                        } else {
                            proxy.sync(n);
                        }
                    }
                }
                published.incrementAndGet();
                n++;
                LockSupport.parkNanos(1_000_000L); // about a thousand events per second
            }
        }, "test-producer");
        AtomicLong telemetryRecords = new AtomicLong();
        TelemetryHandler counting = new TelemetryHandler() {
            @Override
            public void onVoiceStarted(long tag, int pad, long frame) {
                telemetryRecords.incrementAndGet();
            }

            @Override
            public void onSynced(long id, long frame) {
                telemetryRecords.incrementAndGet();
            }
        };
        Thread consumer = new Thread(() -> {
            while (running.get()) {
                engine.telemetry().poll(counting, 1_000);
                LockSupport.parkNanos(2_000_000L);
            }
        }, "test-telemetry");

        engine.start(new NullSink(256));
        try {
            producer.start();
            consumer.start();
            long tid = engine.renderThread().getId();
            // Warm-up: class loading and JIT compilation happen here, not in the measured window.
            // Two seconds live, then until the JIT has been quiet for two seconds (the measured
            // window must not see the optimising compiler replace or de-optimise render code: that
            // is what the rare 176-byte failures were).
            waitForFrames(engine, 2L * SR);
            long quietAfterMs = QuietJit.await(30_000, 2_000);
            long compileMsBefore = ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
            long before = threads.getThreadAllocatedBytes(tid);
            long framesBefore = engine.counters().framePosition();
            long eventsBefore = published.get();
            // Read between blocks from another thread: a count that is only ever incremented, so a
            // stale read can only make the figure smaller.
            long stepsBefore = engine.agent().sequencer().stepsPlayed();
            long copiesBefore = engine.agent().pitchedCopies().copiesUsed();
            waitForFrames(engine, framesBefore + 10L * SR + SR / 2);
            long after = threads.getThreadAllocatedBytes(tid);
            long compileMsDuring = ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - compileMsBefore;
            long frames = engine.counters().framePosition() - framesBefore;
            long events = published.get() - eventsBefore;
            long stepsDuring = engine.agent().sequencer().stepsPlayed() - stepsBefore;
            long copiesDuring = engine.agent().pitchedCopies().copiesUsed() - copiesBefore;

            assertTrue(frames >= 10L * SR, "rendered " + frames + " frames");
            assertTrue(events > 2_000, "control events during the window: " + events);
            assertTrue(engine.counters().activeVoices() >= 64, "voices sounding (stolen ones may still be fading): " + engine.counters().activeVoices());
            assertTrue(telemetryRecords.get() > 1_000, "telemetry flowed: " + telemetryRecords.get());
            assertTrue(stepsDuring > 100, "sequencer steps during the window: " + stepsDuring);
            assertTrue(copiesDuring > 10, "voices started from pre-pitched copies during the window: " + copiesDuring);
            assertEquals(0L, engine.renderErrors(), "render loop errors");
            assertEquals(0L, after - before, "bytes allocated by the render thread over " + frames + " frames (JIT quiet "
                    + "after " + quietAfterMs + " ms of waiting; " + compileMsDuring + " ms of compilation during the window)");
        } finally {
            running.set(false);
            producer.join();
            consumer.join();
            engine.close();
        }
    }

    private static Kit mixedKit() {
        Pad[] pads = new Pad[DrumClass.COUNT];
        for (int i = 0; i < pads.length; i++) {
            // Pad 11's 5 s is short enough to be pre-pitched (PitchedCopies); the rest are not.
            int seconds = i == 11 ? 5 : 30;
            float[] l = TestKits.sine(seconds * SR, 50 + 20 * i, 0.01f, SR);
            Sample s = i < 6 ? Sample.mono("mono" + i, l, SR)
                    : Sample.stereo("stereo" + i, l, TestKits.sine(seconds * SR, 70 + 20 * i, 0.01f, SR), SR);
            pads[i] = new Pad(DrumClass.ofPad(i), VelocityLayer.of(s));
            if (i % 2 == 1) {
                pads[i].set(PadParam.PITCH, -3.5f); // below unit pitch: the 30 s outlast the test
            }
        }
        return new Kit("mixed", SR, pads);
    }

    /**
     * {@code base} with a layered kick (two voices per hit at their own pans), a snare that draws
     * its alternative at random, and hats choked in one direction (SFZ {@code off_by}).
     */
    private static Kit withLayeredPads(Kit base) {
        Pad[] pads = new Pad[DrumClass.COUNT];
        for (int i = 0; i < pads.length; i++) {
            pads[i] = base.pad(i);
        }
        Sample kick = base.pad(DrumClass.KICK).layer(0).sample(0);
        Sample snare = base.pad(DrumClass.SNARE).layer(0).sample(0);
        pads[DrumClass.KICK.pad()] = new Pad(DrumClass.KICK, VelocityLayer.cycling(0f, 1f,
                new Strike(new Sample[] {kick, snare}, new float[] {-0.3f, 0.3f}), Strike.of(kick)));
        pads[DrumClass.SNARE.pad()] = new Pad(DrumClass.SNARE, VelocityLayer.random(0f, 1f, new float[] {1f, 2f},
                Strike.of(snare), new Strike(new Sample[] {snare, kick}, new float[2])));
        pads[DrumClass.HIHAT_CLOSED.pad()].set(PadParam.CHOKE, 1);
        pads[DrumClass.HIHAT_CLOSED.pad()].offBy(0);
        pads[DrumClass.HIHAT_OPEN.pad()].set(PadParam.CHOKE, 2);
        pads[DrumClass.HIHAT_OPEN.pad()].offBy(1);
        return new Kit(base.name(), base.sampleRateHz(), pads);
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
