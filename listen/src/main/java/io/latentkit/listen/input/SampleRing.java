package io.latentkit.listen.input;

import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The live input's samples, mono at the input rate, in a pre-allocated ring indexed by absolute
 * input frame: frame {@code n} lives at {@code n & mask} until it is overwritten {@link #capacity()}
 * frames later. One writer (the input agent) appends; readers (the listen agent, a capture of the
 * last seconds) copy any range still held.
 *
 * <p>Threading: {@link #write} by one producer thread only; {@link #written} and {@link #copy} from
 * any thread. The writer stores the samples, then publishes the new end with an ordered write, so
 * a reader that sees the end sees the samples before it. A copy can race with the writer lapping
 * the ring; {@link #copy} says so by returning {@code false}, and the caller drops or retries.
 * Neither side allocates or locks.
 */
public final class SampleRing {
    private final float[] samples;
    private final int mask;
    private final AtomicLong written = new AtomicLong();

    /** A ring of at least {@code minFrames} frames (rounded up to a power of two). */
    public SampleRing(int minFrames) {
        if (minFrames < 2 || minFrames > 1 << 28) {
            throw new IllegalArgumentException("ring of 2.." + (1 << 28) + " frames, not " + minFrames);
        }
        int size = Integer.highestOneBit(minFrames - 1) << 1;
        samples = new float[size];
        mask = size - 1;
    }

    /** Frames the ring holds. */
    public int capacity() {
        return samples.length;
    }

    /** Frames written since the start: frames {@code [written - capacity, written)} are held. */
    public long written() {
        return written.get();
    }

    /** The oldest frame still held. */
    public long oldest() {
        return Math.max(0L, written.get() - samples.length);
    }

    /** Appends {@code frames} samples of {@code from} starting at {@code offset}. Producer thread only. */
    public void write(float[] from, int offset, int frames) {
        long w = written.get();
        final float[] s = samples;
        final int m = mask;
        for (int i = 0; i < frames; i++) {
            s[(int) ((w + i) & m)] = from[offset + i];
        }
        // Ordered store: the samples above become visible no later than the new end.
        written.lazySet(w + frames);
    }

    /**
     * Copies frames {@code [frame, frame + frames)} into {@code into[offset..]}. Returns
     * {@code false} (the copy is unusable) when part of the range was not yet written or has been
     * overwritten, including by the writer while copying.
     */
    public boolean copy(long frame, float[] into, int offset, int frames) {
        if (frames > samples.length || frame < 0 || frame + frames > written.get()) {
            return false;
        }
        final float[] s = samples;
        final int m = mask;
        for (int i = 0; i < frames; i++) {
            into[offset + i] = s[(int) ((frame + i) & m)];
        }
        // Keeps the plain reads above from moving below the re-read of the end: if the writer has
        // since lapped the start of the range, some of what was copied may be newer samples.
        VarHandle.loadLoadFence();
        return written.get() - samples.length <= frame;
    }
}
