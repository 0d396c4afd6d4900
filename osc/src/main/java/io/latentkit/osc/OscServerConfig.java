package io.latentkit.osc;

import io.latentkit.osc.codec.OscLimits;
import io.latentkit.osc.transport.Cidr;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Settings of the OSC surface, with the command-line options {@code --osc-port}, {@code --osc-bind}
 * and {@code --osc-allow}. A bind to anything but loopback requires an allowlist, so the server is
 * never open to a network by accident.
 *
 * <p>Immutable; any thread.
 *
 * @param bindAddress where UDP and TCP listen (default 127.0.0.1)
 * @param port the port for both (default 9000; 0 picks a free one)
 * @param allow hosts allowed to send; empty means everyone, legal only on a loopback bind
 * @param limits size caps per packet
 * @param horizonNanos how far ahead a bundle timetag may lie (default 60 s)
 * @param ratePerSecondPerHost packets per second each source host may send (default 20 000)
 * @param rateBurstPerHost packets a host may send at once above that rate (default 2 000)
 * @param notifyLeaseNanos how long a {@code /notify 1} subscription lasts without renewal (default 30 s)
 * @param maxSubscribers telemetry subscribers at once (default 32)
 * @param telemetryIntervalNanos time between meter sends to subscribers (default 33 ms, ~30 Hz)
 * @param maxTcpConnections TCP connections at once (default 64)
 * @param receiveBufferBytes UDP socket receive buffer requested from the OS (default 4 MiB)
 * @param tcp TCP connection limits: per-host cap and idle and slow-frame timeouts
 * @param work the per-host budget of receiver-thread time, charged by the measured cost of each packet
 */
public record OscServerConfig(InetAddress bindAddress, int port, List<Cidr> allow, OscLimits limits,
                              long horizonNanos, double ratePerSecondPerHost, double rateBurstPerHost,
                              long notifyLeaseNanos, int maxSubscribers, long telemetryIntervalNanos,
                              int maxTcpConnections, int receiveBufferBytes, TcpLimits tcp, WorkBudget work) {

    public static final int DEFAULT_PORT = 9000;

    /**
     * Limits on accepted TCP connections. Immutable.
     *
     * @param maxPerHost connections one source host may hold at once (default 16 of the 64)
     * @param idleNanos a connection that delivers no complete packet for this long is closed (default 60 s;
     *     a client that holds a connection sends {@code /version} or renews {@code /notify} meanwhile)
     * @param frameNanos a packet begun must be complete within this long, or the connection is closed as
     *     a slow client (default 5 s)
     */
    public record TcpLimits(int maxPerHost, long idleNanos, long frameNanos) {
        public TcpLimits {
            if (maxPerHost < 1 || idleNanos <= 0 || frameNanos <= 0) {
                throw new IllegalArgumentException("TCP limits out of range");
            }
        }

        public static TcpLimits defaults() {
            return new TcpLimits(16, 60_000_000_000L, 5_000_000_000L);
        }
    }

    /**
     * How the receiver thread's time is shared between source hosts: every admitted packet is charged
     * what its decoding, matching and handling measurably cost, and each host's budget refills at an
     * equal share of the thread among the hosts that sent anything in the last {@code activeNanos}
     * (one host alone has all of it), up to {@code burstNanos}. A host in debt is refused before
     * parsing, which costs next to nothing, so an expensive sender (patterned addresses cost ~15x an
     * exact one) cannot crowd out another host. Immutable.
     *
     * @param burstNanos work a host may spend at once above its share (default 20 ms)
     * @param activeNanos how recently a host must have sent to count as sharing (default 1 s)
     */
    public record WorkBudget(long burstNanos, long activeNanos) {
        public WorkBudget {
            if (burstNanos <= 0 || activeNanos <= 0) {
                throw new IllegalArgumentException("OSC work budget out of range");
            }
        }

        public static WorkBudget defaults() {
            return new WorkBudget(20_000_000L, 1_000_000_000L);
        }
    }

    /** The settings before TCP limits and work budgets existed; those take their defaults. */
    public OscServerConfig(InetAddress bindAddress, int port, List<Cidr> allow, OscLimits limits,
                           long horizonNanos, double ratePerSecondPerHost, double rateBurstPerHost,
                           long notifyLeaseNanos, int maxSubscribers, long telemetryIntervalNanos,
                           int maxTcpConnections, int receiveBufferBytes) {
        this(bindAddress, port, allow, limits, horizonNanos, ratePerSecondPerHost, rateBurstPerHost, notifyLeaseNanos,
                maxSubscribers, telemetryIntervalNanos, maxTcpConnections, receiveBufferBytes, TcpLimits.defaults(),
                WorkBudget.defaults());
    }

    public OscServerConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        allow = List.copyOf(allow);
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(tcp, "tcp");
        Objects.requireNonNull(work, "work");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--osc-port must be 0..65535, got " + port);
        }
        if (!bindAddress.isLoopbackAddress() && allow.isEmpty()) {
            throw new IllegalArgumentException("--osc-bind " + bindAddress.getHostAddress()
                    + " is not loopback: give --osc-allow CIDR,... to say which hosts may send");
        }
        if (horizonNanos <= 0 || ratePerSecondPerHost <= 0 || rateBurstPerHost < 1 || notifyLeaseNanos <= 0
                || maxSubscribers < 1 || telemetryIntervalNanos <= 0 || maxTcpConnections < 1
                || receiveBufferBytes < 1024) {
            throw new IllegalArgumentException("OSC settings out of range");
        }
    }

    /** Loopback, port 9000, defaults as documented on the record. */
    public static OscServerConfig defaults() {
        return new OscServerConfig(InetAddress.getLoopbackAddress(), DEFAULT_PORT, List.of(), OscLimits.defaults(),
                60_000_000_000L, 20_000, 2_000, 30_000_000_000L, 32, 33_000_000L, 64, 4 * 1024 * 1024);
    }

    /**
     * The configuration the {@code serve} options ask for; {@code null} arguments keep the defaults.
     *
     * @param port {@code --osc-port}
     * @param bind {@code --osc-bind}: an IP address literal ({@code 0.0.0.0} for every interface)
     * @param allowCsv {@code --osc-allow}: comma-separated CIDRs or addresses
     * @throws IllegalArgumentException with a one-line reason (exit code 2)
     */
    public static OscServerConfig fromOptions(Integer port, String bind, String allowCsv) {
        OscServerConfig d = defaults();
        InetAddress address = d.bindAddress();
        if (bind != null) {
            address = parseLiteral(bind.trim());
        }
        List<Cidr> allow = new ArrayList<>();
        if (allowCsv != null) {
            for (String part : allowCsv.split(",")) {
                if (!part.isBlank()) {
                    allow.add(Cidr.parse(part));
                }
            }
        }
        return new OscServerConfig(address, port == null ? d.port() : port, allow, d.limits(), d.horizonNanos(),
                d.ratePerSecondPerHost(), d.rateBurstPerHost(), d.notifyLeaseNanos(), d.maxSubscribers(),
                d.telemetryIntervalNanos(), d.maxTcpConnections(), d.receiveBufferBytes());
    }

    private static InetAddress parseLiteral(String s) {
        boolean literal = s.indexOf(':') >= 0 || (!s.isEmpty() && s.chars().allMatch(c -> c == '.' || Character.isDigit(c)));
        if (!literal) {
            throw new IllegalArgumentException("--osc-bind must be an IP address, got '" + s + "'");
        }
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--osc-bind must be an IP address, got '" + s + "'");
        }
    }

    public OscServerConfig withPort(int p) {
        return new OscServerConfig(bindAddress, p, allow, limits, horizonNanos, ratePerSecondPerHost, rateBurstPerHost,
                notifyLeaseNanos, maxSubscribers, telemetryIntervalNanos, maxTcpConnections, receiveBufferBytes, tcp, work);
    }

    public OscServerConfig withAllow(List<Cidr> a) {
        return new OscServerConfig(bindAddress, port, a, limits, horizonNanos, ratePerSecondPerHost, rateBurstPerHost,
                notifyLeaseNanos, maxSubscribers, telemetryIntervalNanos, maxTcpConnections, receiveBufferBytes, tcp, work);
    }

    public OscServerConfig withRate(double perSecond, double burst) {
        return new OscServerConfig(bindAddress, port, allow, limits, horizonNanos, perSecond, burst,
                notifyLeaseNanos, maxSubscribers, telemetryIntervalNanos, maxTcpConnections, receiveBufferBytes, tcp, work);
    }

    public OscServerConfig withNotifyLeaseNanos(long lease) {
        return new OscServerConfig(bindAddress, port, allow, limits, horizonNanos, ratePerSecondPerHost, rateBurstPerHost,
                lease, maxSubscribers, telemetryIntervalNanos, maxTcpConnections, receiveBufferBytes, tcp, work);
    }

    public OscServerConfig withTelemetryIntervalNanos(long interval) {
        return new OscServerConfig(bindAddress, port, allow, limits, horizonNanos, ratePerSecondPerHost, rateBurstPerHost,
                notifyLeaseNanos, maxSubscribers, interval, maxTcpConnections, receiveBufferBytes, tcp, work);
    }

    public OscServerConfig withTcp(TcpLimits t) {
        return new OscServerConfig(bindAddress, port, allow, limits, horizonNanos, ratePerSecondPerHost, rateBurstPerHost,
                notifyLeaseNanos, maxSubscribers, telemetryIntervalNanos, maxTcpConnections, receiveBufferBytes, t, work);
    }

    public OscServerConfig withWork(WorkBudget w) {
        return new OscServerConfig(bindAddress, port, allow, limits, horizonNanos, ratePerSecondPerHost, rateBurstPerHost,
                notifyLeaseNanos, maxSubscribers, telemetryIntervalNanos, maxTcpConnections, receiveBufferBytes, tcp, w);
    }

    public OscServerConfig withLimits(OscLimits l) {
        return new OscServerConfig(bindAddress, port, allow, l, horizonNanos, ratePerSecondPerHost, rateBurstPerHost,
                notifyLeaseNanos, maxSubscribers, telemetryIntervalNanos, maxTcpConnections, receiveBufferBytes, tcp, work);
    }
}
