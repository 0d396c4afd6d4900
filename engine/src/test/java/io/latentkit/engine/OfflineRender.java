package io.latentkit.engine;

import io.latentkit.engine.render.RenderAgent;

/** Renders an engine block by block on the test's thread, collecting the interleaved output. */
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

    /** The first index at which {@code x} is non-zero, or -1. */
    public static int firstNonZero(float[] x) {
        for (int i = 0; i < x.length; i++) {
            if (x[i] != 0f) {
                return i;
            }
        }
        return -1;
    }

    /** The largest absolute difference between neighbouring samples in {@code [from, to)}. */
    public static float largestStep(float[] x, int from, int to) {
        float max = 0f;
        for (int i = Math.max(1, from); i < to; i++) {
            max = Math.max(max, Math.abs(x[i] - x[i - 1]));
        }
        return max;
    }
}
