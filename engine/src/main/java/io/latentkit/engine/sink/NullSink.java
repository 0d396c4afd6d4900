package io.latentkit.engine.sink;

import java.util.concurrent.locks.LockSupport;

/**
 * Discards audio at the pace of a sound card with a buffer of {@code bufferFrames}, so that a
 * headless host renders in real time. It behaves like a device: it starts playing once the first
 * buffer's worth of frames is written, the render thread may then run ahead by the buffer and
 * waits; a block that arrives after the emulated buffer has run dry is a deadline miss, after which
 * the device clock restarts from that moment (as a real device's does).
 *
 * <p>Threading: see {@link AudioSink}. {@link #write} parks the render thread only for pacing.
 */
public final class NullSink implements AudioSink {
    private final int bufferFrames;
    private final String why;
    private int sampleRateHz;
    private long startNanos;
    /** Frames written since the device started (after priming, counting the primed buffer). */
    private long framesWritten;
    private boolean started;
    private volatile long misses;

    /** A null sink that emulates a device buffer of {@code bufferFrames} frames. */
    public NullSink(int bufferFrames) {
        this(bufferFrames, "no audio device");
    }

    /**
     * As {@link #NullSink(int)}, saying why there is no sound in {@link #describe()} (e.g.
     * "--audio-out none", "no audio device").
     */
    public NullSink(int bufferFrames, String why) {
        this.why = why;
        if (bufferFrames < 1) {
            throw new IllegalArgumentException("buffer must be at least one frame, got " + bufferFrames);
        }
        this.bufferFrames = bufferFrames;
    }

    @Override
    public void open(int sampleRateHz, int blockFrames) {
        this.sampleRateHz = sampleRateHz;
    }

    @Override
    public void write(float[] interleaved, int frames) {
        if (!started) {
            // Like a device, start playing once the buffer is primed; until then nothing waits.
            framesWritten += frames;
            if (framesWritten >= bufferFrames) {
                startNanos = System.nanoTime();
                started = true;
            }
            return;
        }
        long now = System.nanoTime();
        // The emulated device has played this many frames by now.
        long played = (now - startNanos) * sampleRateHz / 1_000_000_000L;
        if (played > framesWritten) {
            misses++;
            // Restart the device clock: as if it had paused, empty, until this block arrived.
            startNanos = now - framesWritten * 1_000_000_000L / sampleRateHz;
        }
        framesWritten += frames;
        // Wait while more than a buffer's worth of frames is queued ahead of the device.
        long wakeAt = startNanos + (framesWritten - bufferFrames) * 1_000_000_000L / sampleRateHz;
        long wait;
        while ((wait = wakeAt - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    @Override
    public long deadlineMisses() {
        return misses;
    }

    @Override
    public String describe() {
        return "null (" + why + "; wall-clock paced, " + bufferFrames + "-frame buffer)";
    }

    @Override
    public int latencyFrames() {
        return bufferFrames;
    }

    @Override
    public void close() {
        // Nothing to release.
    }
}
