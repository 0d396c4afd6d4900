package io.latentkit.osc.transport;

/**
 * A budget of receiver-thread time for one source host, in nanoseconds: it refills at the host's
 * share (nanoseconds per elapsed nanosecond) up to {@code burstNanos}, and every admitted packet is charged what
 * it measurably cost to handle. A host whose balance is not positive is refused until it refills, so a
 * packet that costs fifteen times another also counts fifteen times against its sender's budget.
 *
 * <p>Threading: receiver thread only. Allocation-free.
 */
final class WorkBucket {
    private final double burstNanos;
    private double balanceNanos;
    private long lastNanos;

    WorkBucket(long burstNanos, long nowNanos) {
        this.burstNanos = burstNanos;
        this.balanceNanos = burstNanos;
        this.lastNanos = nowNanos;
    }

    /** Whether the host may have another packet handled now, its budget refilled at {@code share} since last asked. */
    boolean admits(long nowNanos, double share) {
        long elapsed = nowNanos - lastNanos;
        if (elapsed > 0) {
            balanceNanos = Math.min(burstNanos, balanceNanos + elapsed * share);
            lastNanos = nowNanos;
        }
        return balanceNanos > 0;
    }

    /** Charges the cost of a handled packet (the balance may go into debt, which is paid back first). */
    void charge(long costNanos) {
        if (costNanos > 0) {
            balanceNanos -= costNanos;
        }
    }

    /** The balance now, in nanoseconds (negative: in debt). */
    double balanceNanos() {
        return balanceNanos;
    }
}
