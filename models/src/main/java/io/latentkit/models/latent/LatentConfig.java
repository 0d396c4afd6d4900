package io.latentkit.models.latent;

/**
 * How the latent pads serve moves.
 *
 * <p>Immutable; any thread.
 *
 * @param gridSize points per side of each latent pad's pre-decoded grid ({@code --latent-grid N});
 *     0 for none
 * @param cacheEntries exact decodes kept for revisited positions ({@code --latent-cache N}), about
 *     128 KB each at 48 kHz
 * @param positionSteps positions per axis are snapped to {@code k / positionSteps}, so that a
 *     position always decodes to the same sound and nearby moves share a cached decode
 * @param seed seed of {@code /latent/generate}'s random points and of {@code random} anchors
 * @param promptReplies whether the pads' own thread completes their stages as soon as the render
 *     thread applied them (within {@link StageWatcher#POLL_NANOS}), rather than leaving it to the
 *     engine's housekeeping (see {@link StageWatcher}); on by default, off only to measure it
 */
public record LatentConfig(int gridSize, int cacheEntries, int positionSteps, long seed, boolean promptReplies) {
    /** Grid sides accepted: 2..33 (33 x 33 decodes is about 140 MB per pad). */
    public static final int MAX_GRID = 33;
    public static final int MAX_CACHE = 4096;
    public static final int DEFAULT_CACHE = 128;
    public static final int DEFAULT_STEPS = 128;

    public LatentConfig {
        if (gridSize != 0 && (gridSize < 2 || gridSize > MAX_GRID)) {
            throw new IllegalArgumentException("--latent-grid must be 0 (off) or 2.." + MAX_GRID + ", got " + gridSize);
        }
        if (cacheEntries < 0 || cacheEntries > MAX_CACHE) {
            throw new IllegalArgumentException("--latent-cache must be 0.." + MAX_CACHE + ", got " + cacheEntries);
        }
        if (positionSteps < 1 || positionSteps > 4096) {
            throw new IllegalArgumentException("position steps must be 1..4096, got " + positionSteps);
        }
    }

    /** No grid, the default cache, positions in 1/128 steps, prompt replies. */
    public static LatentConfig defaults() {
        return new LatentConfig(0, DEFAULT_CACHE, DEFAULT_STEPS, 0x1A7E47L, true);
    }

    public LatentConfig withGrid(int n) {
        return new LatentConfig(n, cacheEntries, positionSteps, seed, promptReplies);
    }

    public LatentConfig withCache(int entries) {
        return new LatentConfig(gridSize, entries, positionSteps, seed, promptReplies);
    }

    public LatentConfig withPromptReplies(boolean on) {
        return new LatentConfig(gridSize, cacheEntries, positionSteps, seed, on);
    }
}
