package io.latentkit.engine.render;

import java.util.function.LongSupplier;

/**
 * Creates {@link EngineCounters} for the engine assembly; the counters' publishing methods stay
 * package-private so that only the render agent writes them.
 *
 * <p>Threading: any thread, at assembly time.
 */
public final class EngineCountersAccess {
    private EngineCountersAccess() {
    }

    public static EngineCounters create(int sampleRateHz, LongSupplier ringFullDrops) {
        return new EngineCounters(sampleRateHz, ringFullDrops);
    }
}
