package io.latentkit.presets;

import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.sink.AudioSink;
import io.latentkit.engine.sink.AudioSinkException;
import io.latentkit.core.kit.Kit;

/** Test helper: the real engine rendered offline into memory (the same render code as live). */
public final class OfflineEngine {
    public final Engine engine;
    private final Capture sink = new Capture();

    public OfflineEngine(Kit kit) {
        engine = Engine.create(EngineConfig.defaults(), kit);
    }

    /** Renders {@code frames} frames; returns {left, right}. */
    public float[][] render(int frames) {
        sink.reset(frames);
        try {
            engine.renderOffline(sink, frames);
        } catch (AudioSinkException e) {
            throw new IllegalStateException(e);
        }
        return new float[][] {java.util.Arrays.copyOf(sink.left, frames), java.util.Arrays.copyOf(sink.right, frames)};
    }

    /** Frame position of the engine (frames rendered so far). */
    public long frame() {
        return engine.agent().frame();
    }

    public static double rms(float[] x, int from, int to) {
        double e = 0;
        for (int i = from; i < to; i++) {
            e += (double) x[i] * x[i];
        }
        return Math.sqrt(e / Math.max(1, to - from));
    }

    /**
     * Dominant frequency by counting rising zero crossings over [from, to), with hysteresis at 5%
     * of the peak so that quantisation noise in a fade-out does not count.
     */
    public static double zeroCrossingHz(float[] x, int from, int to, int rateHz) {
        float peak = 0;
        for (int i = from; i < to; i++) {
            peak = Math.max(peak, Math.abs(x[i]));
        }
        float thr = 0.05f * peak;
        int first = -1;
        int last = -1;
        int n = 0;
        boolean armed = false;
        for (int i = from; i < to; i++) {
            if (x[i] < -thr) {
                armed = true;
            } else if (armed && x[i] > thr) {
                armed = false;
                if (first < 0) {
                    first = i;
                }
                last = i;
                n++;
            }
        }
        return n < 2 ? 0 : (double) (n - 1) * rateHz / (last - first);
    }

    private static final class Capture implements AudioSink {
        float[] left = new float[0];
        float[] right = new float[0];
        int pos;

        void reset(int frames) {
            int cap = frames + 4096;
            if (left.length < cap) {
                left = new float[cap];
                right = new float[cap];
            }
            pos = 0;
        }

        @Override
        public void open(int sampleRateHz, int blockFrames) {
        }

        @Override
        public void write(float[] interleaved, int frames) {
            for (int i = 0; i < frames && pos < left.length; i++, pos++) {
                left[pos] = interleaved[2 * i];
                right[pos] = interleaved[2 * i + 1];
            }
        }

        @Override
        public long deadlineMisses() {
            return 0;
        }

        @Override
        public String describe() {
            return "memory";
        }

        @Override
        public void close() {
        }
    }
}
