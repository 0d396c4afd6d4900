package io.latentkit.osc.dispatch;

import io.latentkit.engine.control.EngineClock;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.osc.DropReason;
import io.latentkit.osc.OscCounters;
import io.latentkit.osc.codec.TimeTags;

/**
 * Maps a bundle's timetag to the engine frame it asks for: {@link EngineProxy#ASAP} for
 * "immediately" (and for bare messages), the clock's mapping otherwise. A past frame is passed on as
 * is (the engine plays it at once and counts it late); one beyond the horizon is refused here and
 * counted.
 *
 * <p>Threading: receiver thread only; allocation-free.
 */
final class TimetagFrames {
    /** Returned for a timetag beyond the scheduling horizon. */
    static final long REFUSED = Long.MAX_VALUE;

    private final EngineClock clock;
    private final OscCounters counters;
    private final long horizonFrames;

    TimetagFrames(EngineClock clock, OscCounters counters, long horizonNanos) {
        this.clock = clock;
        this.counters = counters;
        this.horizonFrames = EngineClock.nanosToFrames(horizonNanos, clock.sampleRateHz());
    }

    EngineClock clock() {
        return clock;
    }

    long frameFor(long timetag) {
        if (timetag == TimeTags.IMMEDIATELY || timetag == 0L) {
            return EngineProxy.ASAP;
        }
        long frame = clock.frameAtEpochNanos(TimeTags.toEpochNanos(timetag));
        if (frame - clock.currentFrame() > horizonFrames) {
            counters.drop(DropReason.BEYOND_HORIZON);
            return REFUSED;
        }
        return frame;
    }
}
