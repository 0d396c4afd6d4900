package io.latentkit.midi;

import io.latentkit.engine.control.EngineClock;

/**
 * Places a MIDI event on the engine's timeline: its instant on {@link System#nanoTime()} (already
 * mapped from the device's clock by {@link DeviceTimeline}) becomes an engine frame through
 * {@link EngineClock#frameAtNanoTime}, plus the fixed safety latency of
 * {@link MidiConfig#latencyMs}, so that the event reaches the render thread before its block is
 * rendered and plays at its own sample offset inside that block.
 *
 * <p>Immutable; any thread. Allocation-free.
 */
final class EventFrames {
    private final EngineClock clock;
    private final long latencyFrames;

    EventFrames(EngineClock clock, double latencyMs) {
        this.clock = clock;
        this.latencyFrames = Math.round(latencyMs * clock.sampleRateHz() / 1000.0);
    }

    /** The frame an event that happened at {@code eventNanos} plays at. */
    long frameAt(long eventNanos) {
        return clock.frameAtNanoTime(eventNanos) + latencyFrames;
    }

    /** The safety latency in frames. */
    long latencyFrames() {
        return latencyFrames;
    }
}
