package io.latentkit.web;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latentkit.core.namespace.Namespace;
import io.latentkit.osc.OscServer;
import io.latentkit.web.WebCounters.Count;
import io.latentkit.web.http.Admission;
import io.latentkit.web.http.AdmissionHandler;
import io.latentkit.web.http.OscQueryAnswers;
import io.latentkit.web.http.WebHandler;
import io.latentkit.web.ws.Listeners;
import io.latentkit.web.ws.MessageForwarder;
import io.latentkit.web.ws.SessionFactory;
import io.latentkit.web.ws.ValuePump;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.eclipse.jetty.http.pathmap.ServletPathSpec;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.io.IOException;
import java.net.UnknownHostException;

/**
 * The web surface of {@code latentkit serve}: one HTTP port (Jetty 12) with OSCQuery's answers at
 * every path, its WebSocket at {@code /}, and the console at {@code /console}, all generated from the
 * control namespace. Binary OSC from WebSocket sessions goes to the OSC server's receiver thread and is
 * routed as UDP is; LISTEN values come from the value pump's snapshots; messages to followed methods
 * come from the OSC dispatcher's observer. With {@code --mdns} the port is advertised as
 * {@code _oscjson._tcp} and the OSC port as {@code _osc._udp}.
 *
 * <p>Threading: {@link #start} and {@link #close} from any thread (one at a time); Jetty's pool
 * ({@code latentkit-web-*}, at most {@value #MAX_THREADS} threads) serves requests and sessions.
 */
public final class WebServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebServer.class);
    static final int MAX_THREADS = 16;

    private final WebConfig config;
    private final WebCounters counters = new WebCounters();
    private final Server jetty;
    private final ServerConnector connector;
    private final ValuePump pump;
    private final OscServer osc;
    private final Listeners listeners;
    private MdnsAdvertiser mdns;

    private WebServer(WebConfig config, OscServer osc, Supplier<Namespace> namespace, LongSupplier nanoClock) {
        this.config = config;
        this.osc = osc;
        QueuedThreadPool pool = new QueuedThreadPool(MAX_THREADS, 2);
        pool.setName("latentkit-web");
        pool.setDaemon(true);
        jetty = new Server(pool);
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setRequestHeaderSize(8 * 1024);
        connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(config.bindAddress().getHostAddress());
        connector.setPort(config.port());
        connector.setIdleTimeout(30_000);
        jetty.addConnector(connector);
        jetty.addBean(new NetworkConnectionLimit(config.maxConnections(), connector));

        listeners = new Listeners(namespace.get());
        Admission admission = new Admission(config.allow(), config.requestsPerSecondPerHost(),
                config.requestBurstPerHost(), nanoClock);
        OscQueryAnswers answers = new OscQueryAnswers(namespace, this::hostInfo);
        ContextHandler context = new ContextHandler("/");
        SessionFactory sessions = new SessionFactory(config, admission, listeners, osc.inbox(), counters, nanoClock);
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(jetty, context, container -> {
            container.setMaxBinaryMessageSize(config.maxBinaryBytes());
            container.setMaxTextMessageSize(config.maxTextBytes());
            container.setMaxFrameSize(Math.max(config.maxBinaryBytes(), config.maxTextBytes()));
            container.setIdleTimeout(Duration.ofMinutes(10));
            container.setMaxOutgoingFrames(4_096);
            // OSCQuery's WebSocket lives at the root, exactly ("" is the servlet spec's context root).
            container.addMapping(new ServletPathSpec(""), sessions);
        });
        ws.setHandler(new WebHandler(answers));
        context.setHandler(ws);
        jetty.setHandler(new AdmissionHandler(admission, counters, hostNames(), context));
        jetty.setStopTimeout(2_000);
        pump = new ValuePump(listeners, namespace, config.listenIntervalNanos(), osc.controlThreads());
    }

    /**
     * Binds and starts serving {@code namespace} (read at every request and snapshot, so a swapped
     * namespace shows at once) next to {@code osc}, whose receiver thread routes the WebSocket's OSC.
     *
     * @throws UncheckedIOException when the port cannot be bound (the message says which)
     */
    public static WebServer start(WebConfig config, OscServer osc, Supplier<Namespace> namespace) {
        return start(config, osc, namespace, System::nanoTime);
    }

    /** As {@link #start(WebConfig, OscServer, Supplier)}; {@code nanoClock} drives rate limits. */
    public static WebServer start(WebConfig config, OscServer osc, Supplier<Namespace> namespace,
                                  LongSupplier nanoClock) {
        WebServer s = new WebServer(config, osc, namespace, nanoClock);
        try {
            s.jetty.start();
        } catch (Exception e) {
            try {
                s.jetty.stop();
            } catch (Exception ignored) {
                // the bind failure is the error worth reporting
            }
            throw new UncheckedIOException("cannot listen for HTTP on " + config.bindAddress().getHostAddress() + ":"
                    + config.port() + ": " + e.getMessage(), new IOException(e));
        }
        osc.observer(new MessageForwarder(s.listeners, s.counters, nanoClock));
        s.pump.start();
        if (config.mdns()) {
            s.mdns = MdnsAdvertiser.start(config.bindAddress(), config.name(), s.port(), osc.port());
        }
        LOG.info("web console and OSCQuery on http://{}:{}/console", config.bindAddress().getHostAddress(), s.port());
        return s;
    }

    /** The bound port. */
    public int port() {
        return connector.getLocalPort();
    }

    public WebConfig config() {
        return config;
    }

    public WebCounters counters() {
        return counters;
    }

    /** Where the console is, e.g. {@code http://127.0.0.1:9080/console}. */
    public String consoleUrl() {
        String host = config.bindAddress().isAnyLocalAddress() ? "127.0.0.1" : config.bindAddress().getHostAddress();
        if (host.indexOf(':') >= 0) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + port() + "/console";
    }

    /** Whether mDNS advertises this server. */
    public boolean advertised() {
        return mdns != null;
    }

    /** OSCQuery's HOST_INFO: name, supported attributes, where OSC and the WebSocket are. */
    ObjectNode hostInfo() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("NAME", config.name());
        ObjectNode ext = o.putObject("EXTENSIONS");
        for (String a : new String[] {"ACCESS", "VALUE", "RANGE", "DESCRIPTION", "UNIT", "CLIPMODE", "LISTEN",
            "PATH_ADDED", "PATH_REMOVED"}) {
            ext.put(a, true);
        }
        for (String a : new String[] {"TAGS", "EXTENDED_TYPE", "CRITICAL", "OVERLOADS", "HTML", "PATH_CHANGED",
            "PATH_RENAMED"}) {
            ext.put(a, false);
        }
        InetSocketAddress oscAt = osc.localAddress();
        if (!oscAt.getAddress().isAnyLocalAddress()) {
            o.put("OSC_IP", oscAt.getAddress().getHostAddress());
        }
        o.put("OSC_PORT", osc.port());
        o.put("OSC_TRANSPORT", "UDP");
        if (!config.bindAddress().isAnyLocalAddress()) {
            o.put("WS_IP", config.bindAddress().getHostAddress());
        }
        o.put("WS_PORT", port());
        return o;
    }

    /** Names the Host header may give besides addresses and localhost: this machine's. */
    private static Set<String> hostNames() {
        Set<String> names = new HashSet<>();
        try {
            String h = InetAddress.getLocalHost().getHostName().toLowerCase(Locale.ROOT);
            names.add(h);
            names.add(h + ".local");
        } catch (UnknownHostException e) {
            LOG.debug("no local host name", e);
        }
        return names;
    }

    /** Stops advertising, the value pump and Jetty (sessions are closed). */
    @Override
    public void close() {
        if (mdns != null) {
            mdns.close();
        }
        osc.observer(null);
        pump.close();
        try {
            jetty.stop();
        } catch (Exception e) {
            LOG.warn("stopping the web server: {}", e.toString());
        }
    }

    /** Counts one (for the session factory's refusals). */
    void count(Count c) {
        counters.count(c);
    }
}
