package io.latentkit.osc.testkit;

import io.latentkit.engine.sink.AudioSink;
import java.util.Arrays;

/** An offline sink that keeps everything rendered, left and right, for assertions. */
public final class CaptureSink implements AudioSink {
    private float[] left = new float[1 << 16];
    private float[] right = new float[1 << 16];
    private int frames;

    @Override
    public void open(int sampleRateHz, int blockFrames) {
    }

    @Override
    public void write(float[] interleaved, int n) {
        if (frames + n > left.length) {
            left = Arrays.copyOf(left, Math.max(left.length * 2, frames + n));
            right = Arrays.copyOf(right, left.length);
        }
        for (int i = 0; i < n; i++) {
            left[frames + i] = interleaved[2 * i];
            right[frames + i] = interleaved[2 * i + 1];
        }
        frames += n;
    }

    public int frames() {
        return frames;
    }

    public float left(int frame) {
        return left[frame];
    }

    /** Frames at which the left channel is non-zero, after {@code from}, in order. */
    public int[] nonZeroFrames(int from) {
        return java.util.stream.IntStream.range(from, frames).filter(i -> left[i] != 0f).toArray();
    }

    @Override
    public long deadlineMisses() {
        return 0;
    }

    @Override
    public String describe() {
        return "capture";
    }

    @Override
    public void close() {
    }
}
