package io.latentkit.web.ws;

import io.latentkit.osc.transport.PacketInbox;
import io.latentkit.web.WebConfig;
import io.latentkit.web.WebCounters;
import io.latentkit.web.WebCounters.Count;
import io.latentkit.web.http.Admission;
import io.latentkit.web.http.AdmissionHandler;
import java.net.InetAddress;
import java.net.URI;
import java.util.Locale;
import java.util.function.LongSupplier;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.server.WebSocketCreator;

/**
 * Decides each WebSocket upgrade (the request already passed admission): a browser's upgrade must
 * come from a page of this server (its {@code Origin} names the host the request was sent to;
 * native OSCQuery clients send none), and a host may hold at most
 * {@link WebConfig#maxSessionsPerHost()} sessions. Refusals are 403 and 503.
 *
 * <p>Threading: Jetty's request threads; any number at once.
 */
public final class SessionFactory implements WebSocketCreator {
    private final WebConfig config;
    private final Admission admission;
    private final Listeners listeners;
    private final PacketInbox inbox;
    private final WebCounters counters;
    private final LongSupplier nanoClock;

    public SessionFactory(WebConfig config, Admission admission, Listeners listeners, PacketInbox inbox,
                          WebCounters counters, LongSupplier nanoClock) {
        this.config = config;
        this.admission = admission;
        this.listeners = listeners;
        this.inbox = inbox;
        this.counters = counters;
        this.nanoClock = nanoClock;
    }

    @Override
    public Object createWebSocket(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        String host = request.getHeaders().get(HttpHeader.HOST);
        if (origin != null && !sameSite(origin, host)) {
            counters.count(Count.BAD_HOST);
            Response.writeError(request, response, callback, 403, "cross-site WebSocket refused");
            return null;
        }
        InetAddress from = AdmissionHandler.remote(request);
        Admission.Host h = admission.host(from);
        if (!h.openSession(config.maxSessionsPerHost())) {
            counters.count(Count.TOO_MANY_SESSIONS);
            Response.writeError(request, response, callback, 503, "too many sessions from this host");
            return null;
        }
        return new OscQuerySession(listeners, inbox, counters, h, from, config.messagesPerSecondPerSession(),
                config.messageBurstPerSession(), config.maxPendingSendBytes(), nanoClock);
    }

    /** Whether the page at {@code origin} was served by the host the request names. */
    static boolean sameSite(String origin, String hostHeader) {
        if (hostHeader == null) {
            return false;
        }
        try {
            URI u = URI.create(origin.trim());
            if (u.getHost() == null) {
                return false;
            }
            String authority = u.getPort() < 0 ? u.getHost() : u.getHost() + ":" + u.getPort();
            return authority.toLowerCase(Locale.ROOT).equals(hostHeader.trim().toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
