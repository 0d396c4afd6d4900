package io.latentkit.engine.render;

/**
 * How much of its time budget each block took: an average smoothed over about one second and the
 * peak of the last completed one-second window (or of the current one, if larger), as fractions of
 * the block's duration.
 *
 * <p>Threading: render thread only; allocation-free.
 */
final class BlockLoad {
    private final long blockNanos;
    private final int windowBlocks;
    private float average;
    private float peakWindow;
    private float peakPublished;
    private int blocksInWindow;

    BlockLoad(long blockNanos, int windowBlocks) {
        this.blockNanos = blockNanos;
        this.windowBlocks = Math.max(1, windowBlocks);
    }

    /** Accounts one block that took {@code tookNanos}; returns whether it was over budget. */
    boolean record(long tookNanos) {
        float load = (float) tookNanos / blockNanos;
        average += (load - average) * (1f / windowBlocks);
        if (load > peakWindow) {
            peakWindow = load;
        }
        if (++blocksInWindow >= windowBlocks) {
            peakPublished = peakWindow;
            peakWindow = 0f;
            blocksInWindow = 0;
        }
        return tookNanos > blockNanos;
    }

    long blockNanos() {
        return blockNanos;
    }

    float average() {
        return average;
    }

    float peak() {
        return Math.max(peakPublished, peakWindow);
    }
}
