package io.latentkit.presets;

import io.latentkit.core.kit.Kit;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.OfflineRender;
import io.latentkit.testsupport.Signals;

/**
 * Test helper: the real engine rendered offline into memory (the same render code as live), through
 * engine's {@link OfflineRender} and test-support's {@link Signals}.
 */
public final class OfflineEngine {
    public final Engine engine;

    public OfflineEngine(Kit kit) {
        engine = Engine.create(EngineConfig.defaults(), kit);
    }

    /** Renders {@code frames} frames; returns {left, right}. */
    public float[][] render(int frames) {
        return OfflineRender.render(engine, frames);
    }

    /** Frame position of the engine (frames rendered so far). */
    public long frame() {
        return engine.agent().frame();
    }

    public static double rms(float[] x, int from, int to) {
        return Signals.rms(x, from, to);
    }

    /** Dominant frequency by rising zero crossings, see {@link Signals#zeroCrossingHz}. */
    public static double zeroCrossingHz(float[] x, int from, int to, int rateHz) {
        return Signals.zeroCrossingHz(x, from, to, rateHz);
    }
}
