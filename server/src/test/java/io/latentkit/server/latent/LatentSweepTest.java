package io.latentkit.server.latent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.kit.DefaultKit;
import io.latentkit.core.kit.Kit;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.sink.MemorySink;
import io.latentkit.models.Models;
import io.latentkit.models.latent.VaeLatentSpace;
import io.latentkit.server.demo.LatentSweep;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The demo's latent sweep, rendered alone (no groove) through the real engine and the shipped VAE:
 * each eighth-note hit plays the decode staged for it, so the percussion pad's sound moves from the
 * kit's kick towards its closed hat (the zero-crossing rate of the hits climbs), the rendering is the
 * same bytes twice, and after the sweep the pad plays its own sample again.
 */
class LatentSweepTest {
    private static final int SR = 48_000;
    private static final double BPM = 100.0;
    /** The extra hit after the sweep: late enough for the sweep's last decode to have died away. */
    private static final int AFTER = 2 * SR;
    private static Models models;

    @BeforeAll
    static void loadModels() {
        models = Models.loadDefault();
        assertTrue(models.isAvailable(), "shipped models: " + models.unavailableReason().orElse(""));
    }

    @AfterAll
    static void closeModels() {
        models.close();
    }

    @Test
    void thePadsHitsMoveFromKickTowardsHatAndTheRenderIsTheSameBytesTwice() throws Exception {
        float[] first = render();
        float[] second = render();
        assertArrayEquals(first, second, "two renders of the sweep");

        int hits = LatentSweep.BARS * LatentSweep.HITS_PER_BAR;
        double framesPerHit = 60.0 * SR / BPM * 4.0 / LatentSweep.HITS_PER_BAR;
        double[] centroid = new double[hits];
        for (int i = 0; i < hits; i++) {
            int at = (int) Math.round(i * framesPerHit);
            centroid[i] = crossingsHz(first, at, SR / 20);
            assertTrue(peak(first, at, (int) framesPerHit) > 0.01, "hit " + i + " sounds");
        }
        double kickEnd = mean(centroid, 0, 3);
        double hatEnd = mean(centroid, hits - 3, hits);
        assertTrue(hatEnd > 2 * kickEnd, "zero crossings of the first hits " + kickEnd + " /s, of the last " + hatEnd + " /s");
    }

    @Test
    void afterTheSweepThePadPlaysItsOwnSampleAgain() throws Exception {
        long end = Math.round(LatentSweep.BARS * 60.0 * SR / BPM * 4.0);
        float[] withSweep = render();
        float[] plain = renderPlainHitAt(end + AFTER);
        int at = (int) (end + AFTER);
        float[] a = Arrays.copyOfRange(withSweep, at, at + SR / 4);
        float[] b = Arrays.copyOfRange(plain, at, at + SR / 4);
        assertArrayEquals(b, a, "a hit after the sweep plays the kit's own percussion sample");
    }

    /** The sweep alone plus one more hit {@link #AFTER} frames after it, mono (left), as rendered. */
    private static float[] render() throws Exception {
        Kit kit = DefaultKit.create(SR);
        Engine engine = Engine.create(EngineConfig.defaults(), kit);
        long end = LatentSweep.publish(engine.proxy(), new VaeLatentSpace(models.vae()), kit, 0, BPM, SR,
                engine.config().blockFrames());
        assertTrue(engine.proxy().trigger(LatentSweep.PAD, 0.8f, end + AFTER));
        return renderLeft(engine, end + AFTER + SR);
    }

    private static float[] renderPlainHitAt(long frame) throws Exception {
        Engine engine = Engine.create(EngineConfig.defaults(), DefaultKit.create(SR));
        assertTrue(engine.proxy().trigger(LatentSweep.PAD, 0.8f, frame));
        return renderLeft(engine, frame + SR);
    }

    private static float[] renderLeft(Engine engine, long frames) throws Exception {
        MemorySink sink = new MemorySink();
        try {
            engine.renderOffline(sink, frames);
        } finally {
            engine.close();
        }
        assertEquals(0L, engine.renderErrors());
        return sink.left(0, (int) frames);
    }

    /** Zero crossings per second over {@code n} frames from {@code from}: low for a kick, high for a hat. */
    private static double crossingsHz(float[] x, int from, int n) {
        int crossings = 0;
        for (int i = from + 1; i < Math.min(x.length, from + n); i++) {
            if ((x[i - 1] < 0f) != (x[i] < 0f)) {
                crossings++;
            }
        }
        return crossings * (double) SR / n;
    }

    private static double peak(float[] x, int from, int n) {
        double p = 0;
        for (int i = from; i < Math.min(x.length, from + n); i++) {
            p = Math.max(p, Math.abs(x[i]));
        }
        return p;
    }

    private static double mean(double[] v, int from, int to) {
        double s = 0;
        for (int i = from; i < to; i++) {
            s += v[i];
        }
        return s / (to - from);
    }
}
