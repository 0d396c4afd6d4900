package io.latentkit.server;

import io.latentkit.web.WebConfig;
import picocli.CommandLine.Option;

/**
 * {@code serve}'s options for the web console and OSCQuery: {@code --http-port}, {@code --http-bind},
 * {@code --http-allow}, {@code --mdns} and {@code --no-http}.
 *
 * <p>Threading: picocli fills it on the main thread; read there.
 */
public final class WebOptions {
    @Option(names = "--http-port", paramLabel = "PORT",
            description = "Web console and OSCQuery port (HTTP and WebSocket). Default: 9080.")
    Integer port;

    @Option(names = "--http-bind", paramLabel = "ADDRESS",
            description = "Address the web console listens on. Default: 127.0.0.1; any other needs --http-allow.")
    String bind;

    @Option(names = "--http-allow", paramLabel = "CIDR,...",
            description = "Hosts allowed to connect when bound beyond loopback, e.g. 192.168.1.0/24.")
    String allow;

    @Option(names = "--mdns", description = "Advertise OSCQuery (_oscjson._tcp) and OSC (_osc._udp) over mDNS; "
            + "needs --http-bind beyond loopback.")
    boolean mdns;

    @Option(names = "--no-http", description = "No web console and no OSCQuery.")
    boolean disabled;

    /** Whether {@code --no-http} turned the web surface off. */
    public boolean disabled() {
        return disabled;
    }

    /**
     * The configuration asked for.
     *
     * @throws UsageException with a one-line reason
     */
    public WebConfig toConfig() {
        try {
            return WebConfig.fromOptions(port, bind, allow, mdns);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
