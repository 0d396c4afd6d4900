package io.latentkit.engine.sink;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * An offline sink that keeps everything rendered in memory, left and right channel, growing as
 * needed: for offline bounces that post-process the whole take, and for tests that assert on the
 * rendered samples.
 *
 * <p>Threading: the thread that renders (offline); read it from that thread, or after rendering
 * stopped.
 */
public final class MemorySink implements AudioSink {
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

    /** Frames rendered so far. */
    public int frames() {
        return frames;
    }

    public float left(int frame) {
        return left[frame];
    }

    public float right(int frame) {
        return right[frame];
    }

    /** A copy of the left channel's frames {@code [from, to)}. */
    public float[] left(int from, int to) {
        return Arrays.copyOfRange(left, from, to);
    }

    /** A copy of the right channel's frames {@code [from, to)}. */
    public float[] right(int from, int to) {
        return Arrays.copyOfRange(right, from, to);
    }

    /** Frames at which the left channel is non-zero, from {@code from} on, in order. */
    public int[] nonZeroFrames(int from) {
        return IntStream.range(from, frames).filter(i -> left[i] != 0f).toArray();
    }

    /** Forgets everything rendered so far. */
    public void clear() {
        frames = 0;
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
