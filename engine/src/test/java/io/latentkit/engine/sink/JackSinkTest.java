package io.latentkit.engine.sink;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.management.ThreadMXBean;
import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.PadParam;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.testsupport.QuietJit;
import io.latentkit.testsupport.TestKits;
import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The JACK sink against a real JACK server (jackd2's dummy driver, started privately): the engine
 * renders from JACK's process callback, its ports connect to the server's playback ports, the
 * render path inside the callback allocates nothing, and a server at another rate is refused with
 * one line. Runs in the render-thread JVM of its own (see the pom), with the server's JIT flags.
 */
class JackSinkTest {
    private static final int SR = 48_000;

    @Test
    void engineRendersFromJacksCallbackIntoConnectedPortsWithoutAllocatingOnTheRenderPath() throws Exception {
        try (JackDummyServer server = JackDummyServer.start(SR, 256)) {
            Engine engine = Engine.create(EngineConfig.defaults().withVoices(64),
                    TestKits.kit(SR, pad -> TestKits.sine(30 * SR, 60 + 20 * pad, 0.01f, SR)));
            for (int p = 1; p < DrumClass.COUNT; p += 2) {
                engine.proxy().setPadParam(p, PadParam.PITCH, -2.5f, EngineProxy.ASAP);
            }
            for (int i = 0; i < 64; i++) {
                engine.proxy().trigger(i % DrumClass.COUNT, 0.8f, EngineProxy.ASAP);
            }
            JackSink sink = new JackSink("lk-test", server.name, JackSink.Connect.AUTO, List.of());
            engine.start(sink);
            try {
                assertEquals(256, sink.periodFrames());
                waitForCallbacks(sink, 2 * SR / 256); // two seconds: first-call work done
                // JACK's thread calls the engine only ~190 times a second, so on a busy machine the
                // optimising compiler is still compiling (and re-resolving call sites: 96-176 bytes,
                // the engine test's de-optimisation signature) well after start. Bytes are counted
                // over one-second windows, and only windows in which the JIT compiled nothing are
                // evidence: every one of those must be 0 B, and at least three are required.
                QuietJit.await(30_000, 2_000);
                for (int i = 0; i < 64; i++) { // fresh voices (30 s long) for the windows below
                    engine.proxy().trigger(i % DrumClass.COUNT, 0.8f, EngineProxy.ASAP);
                }
                Thread jackThread = sink.callbackThread();
                assertNotNull(jackThread, "JACK's thread called the engine");
                assertTrue(jackThread != Thread.currentThread());
                long callbacksBefore = sink.callbacks();
                long framesBefore = engine.counters().framePosition();
                int quietWindows = 0;
                int busyWindows = 0;
                long windowsDeadline = System.nanoTime() + 25_000_000_000L;
                while (quietWindows < 5 && System.nanoTime() < windowsDeadline) {
                    long compileBefore = QuietJit.compilationMs();
                    long renderBefore = sink.renderBytes();
                    long windowCallbacks = sink.callbacks();
                    Thread.sleep(1_000);
                    long bytes = sink.renderBytes() - renderBefore;
                    long compiled = QuietJit.compilationMs() - compileBefore;
                    if (compiled == 0) {
                        quietWindows++;
                        assertEquals(0L, bytes, "bytes the render path allocated inside " + (sink.callbacks() - windowCallbacks)
                                + " callbacks of a window in which the JIT compiled nothing");
                    } else {
                        busyWindows++;
                    }
                }
                assertTrue(quietWindows >= 3, "windows without JIT activity: " + quietWindows + " (with: " + busyWindows + ")");
                long callbacks = sink.callbacks() - callbacksBefore;
                long frames = engine.counters().framePosition() - framesBefore;
                // The dummy driver paces by the wall clock: about 187 callbacks a second.
                assertTrue(callbacks > 120L * (quietWindows + busyWindows), "callbacks: " + callbacks);
                assertEquals(callbacks * 256, frames, 512, "every callback rendered its period, nothing more");
                assertTrue(engine.counters().activeVoices() >= 64, "voices sounding: " + engine.counters().activeVoices());
                assertEquals(0L, engine.renderErrors());
                // jack_lsp (jackd2's own client) lists each port with its connections indented below it.
                String lsp = server.run("jack_lsp", "-c");
                assertTrue(lsp.contains("lk-test:out_l\n   system:playback_1\n"), lsp);
                assertTrue(lsp.contains("lk-test:out_r\n   system:playback_2\n"), lsp);
                assertFalse(sink.isShutDown());
                // For the record (the report quotes it): JNA's own callback dispatch does allocate.
                System.out.printf("JACK sink: %d callbacks, render path 0 B, JACK thread %d B in all (%.0f B per "
                        + "callback, JNA's dispatch), xruns %d%n", sink.callbacks(), sink.callbackBytes(),
                        sink.callbackBytes() / (double) sink.callbacks(), sink.deadlineMisses());
                assertTrue(threadsAllocatedSupported());
            } finally {
                engine.close();
            }
        }
    }

    @Test
    void aServerAtAnotherRateIsRefusedWithOneLine() throws Exception {
        try (JackDummyServer server = JackDummyServer.start(44_100, 256)) {
            JackSink sink = new JackSink("lk-rate", server.name, JackSink.Connect.NONE, List.of());
            AudioSinkException e = assertThrows(AudioSinkException.class, () -> sink.open(SR, 64));
            assertEquals("JACK server runs at 44100 Hz, latentkit at 48000 Hz: start latentkit with --rate 44100",
                    e.getMessage());
        }
    }

    @Test
    void noServerIsAOneLineOpenFailure() {
        JackSink sink = new JackSink("lk-none", "lk-no-such-server-" + ProcessHandle.current().pid(),
                JackSink.Connect.AUTO, List.of());
        AudioSinkException e = assertThrows(AudioSinkException.class, () -> sink.open(SR, 64));
        assertTrue(e.getMessage().startsWith("no JACK server 'lk-no-such-server-"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    private static boolean threadsAllocatedSupported() {
        return ((ThreadMXBean) ManagementFactory.getThreadMXBean()).isThreadAllocatedMemorySupported();
    }

    private static void waitForCallbacks(JackSink sink, long n) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (sink.callbacks() < n) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("JACK called " + sink.callbacks() + " times in 30 s");
            }
            Thread.sleep(20);
        }
    }
}
