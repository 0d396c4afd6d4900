package io.latentkit.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import io.latentkit.core.DrumClass;
import io.latentkit.models.InferenceWorker;
import io.latentkit.models.Models;
import io.latentkit.web.WebCounters.Count;
import io.latentkit.web.testkit.Browsers;
import io.latentkit.web.testkit.WebRig;
import io.latentkit.testsupport.QuietJit;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The render thread still allocates nothing with three browsers (three Chromium processes) on the
 * console, each following the meters and every value, hitting pads twenty times a second and turning
 * a knob ten times a second through the console's own link. Measured as the engine's own proof is:
 * after two seconds live and a quiet JIT, the render thread's allocated bytes over ten seconds of
 * rendered audio must be zero; and the same with a latent pad being dragged from one of them. Runs
 * in a JVM of its own with the launcher's JIT flags (web/pom.xml).
 */
class RenderAllocationWithConsolesTest {
    private static final int SR = WebRig.RATE_HZ;
    private static final int CLAP = DrumClass.CLAP.pad();

    @Test
    void renderThreadAllocatesZeroBytesWithThreeConsolesFollowingMetersAndPlaying() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported());
        threads.setThreadAllocatedMemoryEnabled(true);
        try (WebRig rig = new WebRig(); Playwright pw = Browsers.playwright()) {
            List<Browser> browsers = new ArrayList<>();
            try {
                measure(rig, pw, browsers, threads, false);
            } finally {
                for (Browser b : browsers) {
                    b.close();
                }
            }
        }
    }

    /**
     * As above with latent pads (the shipped VAE on an inference worker): the first console also
     * drags the clap pad's latent XY pad (a move to a new position every 20 ms through the panel's own
     * move, with reply ids), so decoded sounds keep reaching the render thread as staged pad samples
     * while the clap is hit among the others.
     */
    @Test
    void renderThreadAllocatesZeroBytesWithThreeConsolesAndALatentPadBeingDragged() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        threads.setThreadAllocatedMemoryEnabled(true);
        try (InferenceWorker worker = new InferenceWorker(Models.loadDefault());
             WebRig rig = WebRig.withLatent(worker, null); Playwright pw = Browsers.playwright()) {
            List<Browser> browsers = new ArrayList<>();
            try {
                measure(rig, pw, browsers, threads, true);
            } finally {
                for (Browser b : browsers) {
                    b.close();
                }
            }
        }
    }

    private static void measure(WebRig rig, Playwright pw, List<Browser> browsers,
                                com.sun.management.ThreadMXBean threads, boolean drag) throws Exception {
        {
            List<Page> pages = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Browser b = Browsers.chromium(pw);
                browsers.add(b);
                Page p = b.newPage();
                p.navigate(rig.base() + "/console");
                p.waitForSelector("body[data-ready=true].online");
                pages.add(p);
            }
            String pads = drag ? "['kick','snare','hihat_closed','clap']" : "['kick','snare','hihat_closed']";
            for (Page p : pages) {
                p.evaluate("() => { const l = window.latentkit.link; let n = 0; window.meterHits = 0;"
                        + " l.on('/meter/l', a => { if (a[0] > 0) window.meterHits++; });"
                        + " const pads = " + pads + ";"
                        + " setInterval(() => l.hit('/hit/' + pads[n++ % pads.length], 0.6), 50);"
                        + " setInterval(() => l.send('/pad/snare/pitch', 'f', [Math.round(Math.random() * 8 - 4)]), 100); }");
            }
            if (drag) {
                Page p = pages.get(0);
                p.click(".pad[data-pad=clap]");
                p.evaluate("() => { const lat = window.latentkit.panels.latent; let t = 0;"
                        + " lat.move(" + CLAP + ", 0.5, 0.5);"
                        + " setInterval(() => { t += 0.02; lat.move(" + CLAP + ", 0.5 + 0.45 * Math.sin(t * 2.3),"
                        + " 0.5 + 0.45 * Math.cos(t * 1.7)); }, 20); }");
                p.waitForSelector(".xy[data-pad='" + CLAP + "'][data-active='1']");
            }
            long tid = rig.engine.renderThread().getId();
            waitForFrames(rig, rig.engine.counters().framePosition() + 2L * SR);
            long quietAfterMs = QuietJit.await(30_000, 2_000);
            long before = threads.getThreadAllocatedBytes(tid);
            long framesBefore = rig.engine.counters().framePosition();
            long outBefore = rig.web.counters().get(Count.MESSAGES_OUT);
            long inBefore = rig.web.counters().get(Count.MESSAGES_IN);
            long soundsBefore = drag ? sounds(rig) : 0;
            waitForFrames(rig, framesBefore + 10L * SR + SR / 2);
            long after = threads.getThreadAllocatedBytes(tid);
            long frames = rig.engine.counters().framePosition() - framesBefore;
            long out = rig.web.counters().get(Count.MESSAGES_OUT) - outBefore;
            long in = rig.web.counters().get(Count.MESSAGES_IN) - inBefore;
            for (Page p : pages) {
                assertTrue(((Number) p.evaluate("window.meterHits")).intValue() > 10, "every console's meter moved");
            }
            if (drag) {
                long served = sounds(rig) - soundsBefore;
                assertTrue(served >= 20, "decoded sounds served to the render thread during the window: " + served
                        + " (" + rig.latent.stats() + ")");
                assertEquals(0L, rig.latent.stats().failures(), rig.latent.stats().toString());
            }
            assertEquals(3, rig.web.counters().sessionsOpen(), "three consoles connected throughout");
            assertTrue(in > 3 * 10 * 25, "messages from the consoles during the window: " + in);
            assertTrue(out > 3 * 10 * 60, "messages to the consoles (meters, values, replies): " + out);
            assertEquals(0L, rig.engine.renderErrors());
            assertEquals(0L, after - before, "bytes allocated by the render thread over " + frames
                    + " frames with three consoles" + (drag ? " and a latent pad dragged" : "")
                    + " (JIT quiet after " + quietAfterMs + " ms)");
        }
    }

    /** Sounds the latent agent handed to the render thread (cache hits and exact decodes). */
    private static long sounds(WebRig rig) {
        return rig.latent.stats().cacheHits() + rig.latent.stats().exactDecodes() + rig.latent.stats().gridHits();
    }

    private static void waitForFrames(WebRig rig, long frame) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (rig.engine.counters().framePosition() < frame) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("render thread stalled at frame " + rig.engine.counters().framePosition());
            }
            Thread.sleep(50);
        }
    }
}
