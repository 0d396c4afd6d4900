package io.latentkit.engine;

import io.latentkit.engine.render.RenderAgent;

/**
 * Renders an engine block by block on the caller's thread into memory (tests, offline bounce).
 *
 * <p>Threading: the caller's thread only, on an engine that does not run in real time.
 */
public final class OfflineRender {
    private OfflineRender() {
    }

    /** Renders {@code frames} frames (whole blocks) and returns them as left/right channels. */
    public static float[][] render(Engine engine, int frames) {
        RenderAgent agent = engine.agent();
        int block = engine.config().blockFrames();
        int blocks = (frames + block - 1) / block;
        float[][] lr = new float[2][blocks * block];
        for (int b = 0; b < blocks; b++) {
            float[] out = agent.renderBlock();
            for (int i = 0; i < block; i++) {
                lr[0][b * block + i] = out[2 * i];
                lr[1][b * block + i] = out[2 * i + 1];
            }
        }
        return lr;
    }

}
