package io.latentkit.engine.render;

import io.latentkit.engine.control.Telemetry;

/**
 * The engine's tempo clock: where the next beat falls, and a telemetry record for every beat as
 * rendering passes it. A tempo change keeps the phase within the current beat.
 *
 * <p>Threading: render thread only; allocation-free.
 */
final class BeatClock {
    private final int sampleRateHz;
    private float tempoBpm = 120f;
    private double framesPerBeat;
    private double nextBeatFrame;
    private long beatIndex;

    BeatClock(int sampleRateHz) {
        this.sampleRateHz = sampleRateHz;
        this.framesPerBeat = 60.0 * sampleRateHz / tempoBpm;
    }

    float tempoBpm() {
        return tempoBpm;
    }

    /** Sets the tempo at frame {@code at}: the next beat moves in proportion. */
    void setTempo(float bpm, long at) {
        tempoBpm = bpm;
        double newFramesPerBeat = 60.0 * sampleRateHz / bpm;
        double remaining = (nextBeatFrame - at) / framesPerBeat;
        nextBeatFrame = at + remaining * newFramesPerBeat;
        framesPerBeat = newFramesPerBeat;
    }

    /** Publishes every beat before {@code upTo}. */
    void advance(long upTo, Telemetry telemetry) {
        while (nextBeatFrame < upTo) {
            telemetry.publishBeat(beatIndex++, (long) Math.ceil(nextBeatFrame));
            nextBeatFrame += framesPerBeat;
        }
    }
}
