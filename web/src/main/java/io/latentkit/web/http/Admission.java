package io.latentkit.web.http;

import io.latentkit.osc.transport.Cidr;
import io.latentkit.osc.transport.TokenBucket;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Per-host admission for the web surface, the same rules as OSC's: the {@code --http-allow} list
 * (OSC's {@link Cidr} networks; empty means everyone, legal only on a loopback bind), a token bucket
 * per host for requests and WebSocket upgrades, and a count of each host's open sessions. Decided
 * once per host, then looked up.
 *
 * <p>Threading: any thread (Jetty's request threads). Each host's bucket is used under its own lock;
 * the table is bounded (cleared when full, which at worst refills a flooder's budget once).
 */
public final class Admission {
    private static final int MAX_HOSTS = 4096;

    /** What admission knows of one host. */
    public static final class Host {
        final boolean allowed;
        private final TokenBucket bucket;
        final AtomicInteger sessions = new AtomicInteger();

        Host(boolean allowed, TokenBucket bucket) {
            this.allowed = allowed;
            this.bucket = bucket;
        }

        /** Whether the host is on the allowlist. */
        public boolean allowed() {
            return allowed;
        }

        /** Takes one request token; false when the host is over its rate. */
        public boolean take(long nowNanos) {
            synchronized (bucket) {
                return bucket.tryTake(nowNanos);
            }
        }

        /** Claims a session slot if fewer than {@code max} are open. */
        public boolean openSession(int max) {
            while (true) {
                int n = sessions.get();
                if (n >= max) {
                    return false;
                }
                if (sessions.compareAndSet(n, n + 1)) {
                    return true;
                }
            }
        }

        public void closeSession() {
            sessions.decrementAndGet();
        }
    }

    private final List<Cidr> allow;
    private final double ratePerSecond;
    private final double burst;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<InetAddress, Host> hosts = new ConcurrentHashMap<>();

    public Admission(List<Cidr> allow, double ratePerSecond, double burst, LongSupplier nanoClock) {
        this.allow = List.copyOf(allow);
        this.ratePerSecond = ratePerSecond;
        this.burst = burst;
        this.nanoClock = nanoClock;
    }

    /** The admission state of {@code address}, created on first sight. */
    public Host host(InetAddress address) {
        Host h = hosts.get(address);
        if (h == null) {
            if (hosts.size() >= MAX_HOSTS) {
                hosts.clear();
            }
            h = hosts.computeIfAbsent(address,
                    a -> new Host(isAllowed(a), new TokenBucket(ratePerSecond, burst, nanoClock.getAsLong())));
        }
        return h;
    }

    public long now() {
        return nanoClock.getAsLong();
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
