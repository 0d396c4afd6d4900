package io.latentkit.osc.transport;

import java.net.InetAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-source-host admission: the allowlist verdict and the rate budget of each host that sent
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

        Source(boolean allowed, TokenBucket bucket) {
            this.allowed = allowed;
            this.bucket = bucket;
        }
    }

    private static final int MAX_SOURCES = 4096;

    private final List<Cidr> allow;
    private final double ratePerSecond;
    private final double burst;
    private final Map<InetAddress, Source> sources = new HashMap<>();
    private InetAddress lastAddress;
    private Source lastSource;

    SourceTable(List<Cidr> allow, double ratePerSecond, double burst) {
        this.allow = List.copyOf(allow);
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
    }

    Source lookup(InetAddress address, long nowNanos) {
        // Most traffic comes from one host in a row; JDK 17 also hands back the same address object
        // for repeated datagrams from one source, so this check usually avoids hashing.
        if (address == lastAddress) {
            return lastSource;
        }
        Source s = sources.get(address);
        if (s == null) {
            if (sources.size() >= MAX_SOURCES) {
                sources.clear();
            }
            s = new Source(isAllowed(address), new TokenBucket(ratePerSecond, burst, nowNanos));
            sources.put(address, s);
        }
        lastAddress = address;
        lastSource = s;
        return s;
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
