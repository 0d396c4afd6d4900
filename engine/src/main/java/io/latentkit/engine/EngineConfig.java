package io.latentkit.engine;

/**
 * Engine settings fixed at start: rates, sizes and bounds. Every array the render thread uses is
 * sized from these values before the first block.
 *
 * <p>Immutable; any thread.
 *
 * @param sampleRateHz engine and output rate: 44100, 48000 (default) or 96000
 * @param blockFrames frames per internal block, 16..4096 (default 64)
 * @param voices voices that may sound at once before the oldest is stolen (default 256)
 * @param ringSize control ring slots, a power of two (default 8192)
 * @param maxEventsPerBlock control events drained from the ring per block; the rest wait for the
 *     next block so that a flood cannot stretch one block past its deadline (default 1024, which
 *     is 768,000 events a second at 48 kHz in 64-frame blocks)
 * @param schedulerCapacity events held for future blocks (default 8192)
 * @param horizonSeconds events further ahead than this are refused and counted (default 60)
 * @param ceilingDbfs output guard ceiling in dBFS (default -0.3)
 * @param fadeMs fade applied when a voice is stolen or choked (default 3 ms)
 * @param kitCrossfadeMs fade of the old kit's voices when a kit is swapped (default 20 ms)
 */
public record EngineConfig(
        int sampleRateHz,
        int blockFrames,
        int voices,
        int ringSize,
        int maxEventsPerBlock,
        int schedulerCapacity,
        double horizonSeconds,
        double ceilingDbfs,
        double fadeMs,
        double kitCrossfadeMs) {

    public static final int DEFAULT_RATE_HZ = 48_000;
    public static final int DEFAULT_BLOCK_FRAMES = 64;
    public static final int DEFAULT_VOICES = 256;

    public EngineConfig {
        if (sampleRateHz != 44_100 && sampleRateHz != 48_000 && sampleRateHz != 96_000) {
            throw new IllegalArgumentException("sample rate must be 44100, 48000 or 96000 Hz, got " + sampleRateHz);
        }
        if (blockFrames < 16 || blockFrames > 4096) {
            throw new IllegalArgumentException("block must be 16..4096 frames, got " + blockFrames);
        }
        if (voices < 1 || voices > 16_384) {
            throw new IllegalArgumentException("voices must be 1..16384, got " + voices);
        }
        if (ringSize < 64 || Integer.bitCount(ringSize) != 1) {
            throw new IllegalArgumentException("ring size must be a power of two >= 64, got " + ringSize);
        }
        if (maxEventsPerBlock < 1 || maxEventsPerBlock > ringSize) {
            throw new IllegalArgumentException("events per block must be 1..ring size, got " + maxEventsPerBlock);
        }
        if (schedulerCapacity < 16) {
            throw new IllegalArgumentException("scheduler capacity must be >= 16, got " + schedulerCapacity);
        }
        if (!(horizonSeconds > 0 && horizonSeconds <= 3600)) {
            throw new IllegalArgumentException("horizon must be in (0, 3600] s, got " + horizonSeconds);
        }
        if (!(ceilingDbfs <= 0 && ceilingDbfs >= -40)) {
            throw new IllegalArgumentException("ceiling must be -40..0 dBFS, got " + ceilingDbfs);
        }
        if (!(fadeMs >= 0.1 && fadeMs <= 100)) {
            throw new IllegalArgumentException("fade must be 0.1..100 ms, got " + fadeMs);
        }
        if (!(kitCrossfadeMs >= 0.1 && kitCrossfadeMs <= 1000)) {
            throw new IllegalArgumentException("kit crossfade must be 0.1..1000 ms, got " + kitCrossfadeMs);
        }
    }

    /** 48 kHz, 64-frame blocks, 256 voices, -0.3 dBFS ceiling. */
    public static EngineConfig defaults() {
        return new EngineConfig(DEFAULT_RATE_HZ, DEFAULT_BLOCK_FRAMES, DEFAULT_VOICES, 8192, 1024, 8192, 60.0,
                -0.3, 3.0, 20.0);
    }

    public EngineConfig withSampleRateHz(int hz) {
        return new EngineConfig(hz, blockFrames, voices, ringSize, maxEventsPerBlock, schedulerCapacity,
                horizonSeconds, ceilingDbfs, fadeMs, kitCrossfadeMs);
    }

    public EngineConfig withBlockFrames(int frames) {
        return new EngineConfig(sampleRateHz, frames, voices, ringSize, maxEventsPerBlock, schedulerCapacity,
                horizonSeconds, ceilingDbfs, fadeMs, kitCrossfadeMs);
    }

    public EngineConfig withVoices(int n) {
        return new EngineConfig(sampleRateHz, blockFrames, n, ringSize, maxEventsPerBlock, schedulerCapacity,
                horizonSeconds, ceilingDbfs, fadeMs, kitCrossfadeMs);
    }

    public EngineConfig withCeilingDbfs(double dbfs) {
        return new EngineConfig(sampleRateHz, blockFrames, voices, ringSize, maxEventsPerBlock, schedulerCapacity,
                horizonSeconds, dbfs, fadeMs, kitCrossfadeMs);
    }

    public EngineConfig withRingSize(int slots) {
        return new EngineConfig(sampleRateHz, blockFrames, voices, slots, Math.min(maxEventsPerBlock, slots),
                schedulerCapacity, horizonSeconds, ceilingDbfs, fadeMs, kitCrossfadeMs);
    }

    /** Nanoseconds of audio in one block: the render deadline. */
    public long blockNanos() {
        return blockFrames * 1_000_000_000L / sampleRateHz;
    }

    /** The horizon in frames. */
    public long horizonFrames() {
        return (long) (horizonSeconds * sampleRateHz);
    }

    /** Frames for a duration in milliseconds, at least one. */
    public int framesForMs(double ms) {
        return Math.max(1, (int) Math.round(ms * sampleRateHz / 1000.0));
    }
}
