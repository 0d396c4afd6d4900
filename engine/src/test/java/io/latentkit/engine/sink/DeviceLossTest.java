package io.latentkit.engine.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.sink.fault.FaultyLine;
import io.latentkit.engine.sink.fault.FaultyMixer;
import io.latentkit.engine.sink.fault.FaultyMixer.Fault;
import io.latentkit.testsupport.TestKits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The audio device stalls, throws and is unplugged under a running engine, through the real
 * {@code AudioSystem} lookup and a test-scope device ({@link FaultyMixer}) that plays at wall-clock
 * pace like a sound card. The engine must keep rendering (into nothing, counted), and the device
 * must be found again by name and play once it is back. How long detection and resumption took is
 * measured and written to {@code target/reliability/device-loss.txt}, not asserted (the machine is
 * shared); the assertions are on what happened and in what order.
 */
class DeviceLossTest {
    private static final int SR = 48_000;
    private final StringBuilder figures = new StringBuilder();

    @AfterEach
    void plugBackIn() {
        FaultyMixer.INSTANCE.fault(Fault.NONE);
    }

    @Test
    void engineSurvivesAStalledAThrowingAndAnUnpluggedDeviceAndPlaysAgainOnEachReturn() throws Exception {
        Engine engine = Engine.create(EngineConfig.defaults(), TestKits.kit(SR, pad -> TestKits.sine(60 * SR, 220, 0.5f, SR)));
        RecoveringJavaSoundSink sink = new RecoveringJavaSoundSink(FaultyMixer.NAME, 256);
        engine.start(sink);
        try {
            assertEquals(100_000_000L, sink.detectNanos(), "max(2 buffers of 256 frames, 100 ms)");
            engine.proxy().trigger(0, 1f, 1L);
            FaultyLine first = FaultyMixer.INSTANCE.lastLine();
            await("sound on the device", () -> first.nonZeroBytes() > 4 * SR);

            survive(engine, sink, Fault.STALL, "blocked");
            survive(engine, sink, Fault.THROW, "write failed: java.lang.IllegalStateException: device error");
            int linesBefore = FaultyMixer.INSTANCE.linesOpened();
            survive(engine, sink, Fault.UNPLUGGED, "(closed or unplugged)");
            assertTrue(FaultyMixer.INSTANCE.linesOpened() > linesBefore, "reopened by name once plugged back");
            assertEquals(0L, engine.renderErrors(), "render loop errors");
        } finally {
            engine.close();
            Path dir = Path.of("target", "reliability");
            try {
                Files.createDirectories(dir);
                Files.writeString(dir.resolve("device-loss.txt"), figures.toString());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertEquals(false, sink.playing(), "closed");
    }

    private void survive(Engine engine, RecoveringJavaSoundSink sink, Fault fault, String why) {
        long lossesBefore = sink.losses();
        long reopensBefore = sink.reopens();
        long faultAt = System.nanoTime();
        FaultyMixer.INSTANCE.fault(fault);
        await(fault + " detected", () -> sink.losses() > lossesBefore);
        long detected = sink.lostAtNanos() - faultAt;
        assertTrue(sink.lastLoss().contains(why) || fault == Fault.STALL && sink.lastLoss().contains("stalled"),
                "reason: " + sink.lastLoss());

        // Meanwhile the engine keeps rendering, into nothing, and still takes events.
        long nullBefore = sink.nullBlocks();
        long frame = engine.counters().framePosition();
        await("rendering on while the device is gone",
                () -> engine.counters().framePosition() > frame + SR / 2 && sink.nullBlocks() > nullBefore + 100);
        int voices = engine.counters().activeVoices();
        engine.proxy().trigger(1, 1f, 2L);
        await("a hit taken while the device is gone", () -> engine.counters().activeVoices() > voices);
        if (fault == Fault.UNPLUGGED) {
            // While unplugged no line can be opened: the sink keeps trying, with backoff.
            int opened = FaultyMixer.INSTANCE.linesOpened();
            long until = System.nanoTime() + 500_000_000L;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            assertEquals(opened, FaultyMixer.INSTANCE.linesOpened(), "no line while unplugged");
            assertEquals(false, sink.playing());
        }

        long backAt = System.nanoTime();
        FaultyMixer.INSTANCE.fault(Fault.NONE);
        await("playing again after " + fault, () -> sink.playing() && sink.reopens() > reopensBefore
                && FaultyMixer.INSTANCE.lastLine().nonZeroBytes() > 0);
        FaultyLine line = FaultyMixer.INSTANCE.lastLine();
        long resumed = System.nanoTime() - backAt;
        long soundBefore = line.nonZeroBytes();
        await("sound keeps flowing after " + fault, () -> line.nonZeroBytes() > soundBefore + SR);
        figures.append(String.format("%s: detected after %.1f ms (bound %d ms); sound again %.1f ms after the "
                        + "device returned; null blocks so far %d, losses %d, reopens %d%n", fault, detected / 1e6,
                sink.detectNanos() / 1_000_000, resumed / 1e6, sink.nullBlocks(), sink.losses(), sink.reopens()));
    }

    @Test
    void aDeviceThatIsNotThereAtStartIsAOneLineError() {
        FaultyMixer.INSTANCE.fault(Fault.UNPLUGGED);
        AudioSinkException e = assertThrows(AudioSinkException.class,
                () -> new RecoveringJavaSoundSink(FaultyMixer.NAME, 256).open(SR, 64));
        assertEquals("no audio output device named '" + FaultyMixer.NAME + "'", e.getMessage());
    }

    private static void await(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what);
            }
        }
    }
}
