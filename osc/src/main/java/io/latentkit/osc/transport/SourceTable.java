package io.latentkit.osc.transport;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-source-host admission: the allowlist verdict, the packet-rate and work budgets and the TCP
 * connection count of each host that sent
 * anything, decided once per host and then looked up. Both checks run before a packet is parsed.
 *
 * <p>Threading: receiver thread only. Allocation happens only the first time a host is seen; the
 * table is bounded (it is cleared when full, which at worst refills a flooder's budget once).
 */
final class SourceTable {
    /** Admission state of one host. */
    static final class Source {
        final boolean allowed;
        final TokenBucket bucket;
        final WorkBucket work;
        /** Open TCP connections from this host. */
        int tcpConnections;
        /** Work clock of the last packet or connection from this host. */
        long lastSeenNanos;
        /** Whether the host is in the active set that shares the thread. */
        boolean active;

        Source(boolean allowed, TokenBucket bucket, WorkBucket work) {
            this.allowed = allowed;
            this.bucket = bucket;
            this.work = work;
        }
    }

    private static final int MAX_SOURCES = 4096;
    /** Hosts counted as sharing the thread at most (a larger crowd shares as if it were this many). */
    private static final int MAX_ACTIVE = 64;
    private static final long SWEEP_NANOS = 100_000_000L;

    private final List<Cidr> allow;
    private final double ratePerSecond;
    private final double burst;
    private final long workBurstNanos;
    private final long activeNanos;
    private final Source[] active = new Source[MAX_ACTIVE];
    private int activeCount;
    private long lastSweepNanos;
    private final Map<InetAddress, Source> sources = new HashMap<>();
    private InetAddress lastAddress;
    private Source lastSource;

    SourceTable(List<Cidr> allow, double ratePerSecond, double burst, long workBurstNanos, long activeNanos) {
        this.allow = List.copyOf(allow);
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.workBurstNanos = workBurstNanos;
        this.activeNanos = activeNanos;
    }

    /**
     * The host's admission state.
     *
     * @param nowNanos the rate-limit clock
     * @param workNanos the work clock ({@link System#nanoTime()}: budgets of thread time run on real time)
     */
    Source lookup(InetAddress address, long nowNanos, long workNanos) {
        // Most traffic comes from one host in a row; JDK 17 also hands back the same address object
        // for repeated datagrams from one source, so this check usually avoids hashing.
        if (address == lastAddress) {
            return seen(lastSource, workNanos);
        }
        Source s = sources.get(address);
        if (s == null) {
            if (sources.size() >= MAX_SOURCES) {
                sources.clear();
            }
            s = new Source(isAllowed(address), new TokenBucket(ratePerSecond, burst, nowNanos),
                    new WorkBucket(workBurstNanos, workNanos));
            sources.put(address, s);
        }
        lastAddress = address;
        lastSource = s;
        return seen(s, workNanos);
    }

    /** Marks {@code s} active now, and forgets hosts silent for longer than the active window. */
    private Source seen(Source s, long workNanos) {
        s.lastSeenNanos = workNanos;
        if (!s.active && activeCount < MAX_ACTIVE) {
            s.active = true;
            active[activeCount++] = s;
        }
        if (workNanos - lastSweepNanos > SWEEP_NANOS) {
            lastSweepNanos = workNanos;
            for (int i = activeCount - 1; i >= 0; i--) {
                if (workNanos - active[i].lastSeenNanos > activeNanos) {
                    active[i].active = false;
                    active[i] = active[--activeCount];
                    active[activeCount] = null;
                }
            }
        }
        return s;
    }

    /** Each active host's share of the receiver thread: all of it for one host, half each for two. */
    double workShare() {
        return 1.0 / Math.max(1, activeCount);
    }

    private boolean isAllowed(InetAddress address) {
        if (allow.isEmpty()) {
            return true; // only possible on a loopback bind (checked by the configuration)
        }
        for (Cidr c : allow) {
            if (c.contains(address)) {
                return true;
            }
        }
        return false;
    }
}
