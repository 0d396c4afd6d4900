package io.latentkit.perf.compare;

import io.latentkit.engine.sink.AudioSink;

/**
 * An offline sink that keeps only a running checksum of what it receives (so the render cannot be
 * optimised away) and never waits: the engine's own null sink is paced by the wall clock, and the
 * WAV sink would add disk writes the peers' timings do not all share equally.
 *
 * <p>Threading: the rendering thread only.
 */
public final class DiscardSink implements AudioSink {
    private double checksum;

    @Override
    public void open(int sampleRateHz, int blockFrames) {
    }

    @Override
    public void write(float[] interleaved, int frames) {
        // One sample per block is enough to keep the write observable.
        checksum += interleaved[0];
    }

    @Override
    public long deadlineMisses() {
        return 0;
    }

    @Override
    public String describe() {
        return "discard (offline, unpaced)";
    }

    @Override
    public void close() {
    }

    public double checksum() {
        return checksum;
    }
}
