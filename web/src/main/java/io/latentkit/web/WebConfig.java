package io.latentkit.web;

import io.latentkit.osc.transport.Cidr;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Settings of the web surface (OSCQuery over HTTP and WebSocket, and the console), with the
 * command-line options {@code --http-port}, {@code --http-bind}, {@code --http-allow} and
 * {@code --mdns}. As for OSC, a bind to anything but loopback requires an allowlist, so the console
 * is never open to a network by accident.
 *
 * <p>Immutable; any thread.
 *
 * @param bindAddress where HTTP and WebSocket listen (default 127.0.0.1)
 * @param port the port for both (default 9080; 0 picks a free one)
 * @param allow hosts allowed to connect; empty means everyone, legal only on a loopback bind
 * @param requestsPerSecondPerHost HTTP requests and WebSocket upgrades each host may make per second (default 200)
 * @param requestBurstPerHost requests a host may make at once above that rate (default 100)
 * @param messagesPerSecondPerSession WebSocket messages each session may send per second (default 2 000);
 *     a session that sends faster is closed
 * @param messageBurstPerSession messages a session may send at once above that rate (default 500)
 * @param maxConnections TCP connections at once, HTTP and WebSocket together (default 64)
 * @param maxSessionsPerHost WebSocket sessions one host may hold at once (default 16)
 * @param maxBinaryBytes largest binary (OSC) WebSocket message (default 64 KiB, the OSC packet cap)
 * @param maxTextBytes largest text (JSON command) WebSocket message (default 4 KiB)
 * @param maxPendingSendBytes bytes queued to one session and not yet written; beyond it the session
 *     is closed as not reading (default 1 MiB)
 * @param listenIntervalNanos time between value snapshots pushed to LISTENers (default 33 ms, ~30 Hz)
 * @param mdns whether to advertise {@code _oscjson._tcp} and {@code _osc._udp} (needs a non-loopback bind)
 * @param name the host name OSCQuery's {@code HOST_INFO} and mDNS give (default "latentkit")
 */
public record WebConfig(InetAddress bindAddress, int port, List<Cidr> allow, double requestsPerSecondPerHost,
                        double requestBurstPerHost, double messagesPerSecondPerSession, double messageBurstPerSession,
                        int maxConnections, int maxSessionsPerHost, int maxBinaryBytes, int maxTextBytes,
                        long maxPendingSendBytes, long listenIntervalNanos, boolean mdns, String name) {

    public static final int DEFAULT_PORT = 9080;

    public WebConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        allow = List.copyOf(allow);
        Objects.requireNonNull(name, "name");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--http-port must be 0..65535, got " + port);
        }
        if (!bindAddress.isLoopbackAddress() && allow.isEmpty()) {
            throw new IllegalArgumentException("--http-bind " + bindAddress.getHostAddress()
                    + " is not loopback: give --http-allow CIDR,... to say which hosts may connect");
        }
        if (mdns && bindAddress.isLoopbackAddress()) {
            throw new IllegalArgumentException("--mdns advertises on a network: it needs --http-bind beyond loopback");
        }
        if (requestsPerSecondPerHost <= 0 || requestBurstPerHost < 1 || messagesPerSecondPerSession <= 0
                || messageBurstPerSession < 1 || maxConnections < 1 || maxSessionsPerHost < 1 || maxBinaryBytes < 16
                || maxTextBytes < 64 || maxPendingSendBytes < 1024 || listenIntervalNanos <= 0) {
            throw new IllegalArgumentException("web settings out of range");
        }
    }

    /** Loopback, port 9080, defaults as documented on the record. */
    public static WebConfig defaults() {
        return new WebConfig(InetAddress.getLoopbackAddress(), DEFAULT_PORT, List.of(), 200, 100, 2_000, 500, 64, 16,
                64 * 1024, 4 * 1024, 1024 * 1024, 33_000_000L, false, "latentkit");
    }

    /**
     * The configuration the {@code serve} options ask for; {@code null} arguments keep the defaults.
     *
     * @throws IllegalArgumentException with a one-line reason (exit code 2)
     */
    public static WebConfig fromOptions(Integer port, String bind, String allowCsv, boolean mdns) {
        WebConfig d = defaults();
        InetAddress address = bind == null ? d.bindAddress() : parseLiteral(bind.trim());
        List<Cidr> allow = new ArrayList<>();
        if (allowCsv != null) {
            for (String part : allowCsv.split(",")) {
                if (!part.isBlank()) {
                    allow.add(Cidr.parse(part));
                }
            }
        }
        return new WebConfig(address, port == null ? d.port() : port, allow, d.requestsPerSecondPerHost(),
                d.requestBurstPerHost(), d.messagesPerSecondPerSession(), d.messageBurstPerSession(), d.maxConnections(),
                d.maxSessionsPerHost(), d.maxBinaryBytes(), d.maxTextBytes(), d.maxPendingSendBytes(),
                d.listenIntervalNanos(), mdns, d.name());
    }

    private static InetAddress parseLiteral(String s) {
        boolean literal = s.indexOf(':') >= 0 || (!s.isEmpty() && s.chars().allMatch(c -> c == '.' || Character.isDigit(c)));
        if (!literal) {
            throw new IllegalArgumentException("--http-bind must be an IP address, got '" + s + "'");
        }
        try {
            return InetAddress.getByName(s);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("--http-bind must be an IP address, got '" + s + "'");
        }
    }

    public WebConfig withPort(int p) {
        return new WebConfig(bindAddress, p, allow, requestsPerSecondPerHost, requestBurstPerHost,
                messagesPerSecondPerSession, messageBurstPerSession, maxConnections, maxSessionsPerHost, maxBinaryBytes,
                maxTextBytes, maxPendingSendBytes, listenIntervalNanos, mdns, name);
    }

    public WebConfig withBind(InetAddress a, List<Cidr> allowed) {
        return new WebConfig(a, port, allowed, requestsPerSecondPerHost, requestBurstPerHost,
                messagesPerSecondPerSession, messageBurstPerSession, maxConnections, maxSessionsPerHost, maxBinaryBytes,
                maxTextBytes, maxPendingSendBytes, listenIntervalNanos, mdns, name);
    }

    public WebConfig withMessageRate(double perSecond, double burst) {
        return new WebConfig(bindAddress, port, allow, requestsPerSecondPerHost, requestBurstPerHost, perSecond, burst,
                maxConnections, maxSessionsPerHost, maxBinaryBytes, maxTextBytes, maxPendingSendBytes,
                listenIntervalNanos, mdns, name);
    }

    public WebConfig withRequestRate(double perSecond, double burst) {
        return new WebConfig(bindAddress, port, allow, perSecond, burst, messagesPerSecondPerSession,
                messageBurstPerSession, maxConnections, maxSessionsPerHost, maxBinaryBytes, maxTextBytes,
                maxPendingSendBytes, listenIntervalNanos, mdns, name);
    }

    public WebConfig withLimits(int connections, int sessionsPerHost, int binaryBytes) {
        return new WebConfig(bindAddress, port, allow, requestsPerSecondPerHost, requestBurstPerHost,
                messagesPerSecondPerSession, messageBurstPerSession, connections, sessionsPerHost, binaryBytes,
                maxTextBytes, maxPendingSendBytes, listenIntervalNanos, mdns, name);
    }
}
