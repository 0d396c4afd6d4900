package io.latentkit.osc.testkit;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** A nanosecond clock that moves only when a test says so: rate limits and leases become deterministic. */
public final class ManualNanoClock implements LongSupplier {
    private final AtomicLong now = new AtomicLong(1_000_000_000_000L);

    @Override
    public long getAsLong() {
        return now.get();
    }

    public void advanceNanos(long nanos) {
        now.addAndGet(nanos);
    }
}
