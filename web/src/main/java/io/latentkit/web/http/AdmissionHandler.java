package io.latentkit.web.http;

import io.latentkit.web.WebCounters;
import io.latentkit.web.WebCounters.Count;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.Locale;
import java.util.Set;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The first handler of every request: the host's allowlist verdict (403), its request rate (429)
 * and the {@code Host} header (403 unless it names this machine by an address, {@code localhost} or
 * one of its names: a page on another site that re-points its DNS name at this machine cannot
 * reach it), before anything is parsed further.
 *
 * <p>Threading: Jetty's request threads; any number at once.
 */
public final class AdmissionHandler extends Handler.Wrapper {
    private final Admission admission;
    private final WebCounters counters;
    private final Set<String> hostNames;

    /**
     * @param hostNames lower-case names (besides IP literals and {@code localhost}) the {@code Host}
     *     header may give
     */
    public AdmissionHandler(Admission admission, WebCounters counters, Set<String> hostNames, Handler next) {
        super(next);
        this.admission = admission;
        this.counters = counters;
        this.hostNames = Set.copyOf(hostNames);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        InetAddress from = remote(request);
        Admission.Host host = from == null ? null : admission.host(from);
        if (host == null || !host.allowed()) {
            counters.count(Count.NOT_ALLOWED);
            Response.writeError(request, response, callback, 403, "not allowed");
            return true;
        }
        if (!host.take(admission.now())) {
            counters.count(Count.RATE_LIMITED);
            Response.writeError(request, response, callback, 429, "too many requests");
            return true;
        }
        if (!hostHeaderNamesUs(request.getHeaders().get(HttpHeader.HOST))) {
            counters.count(Count.BAD_HOST);
            Response.writeError(request, response, callback, 403, "unknown Host");
            return true;
        }
        counters.count(Count.REQUESTS);
        return super.handle(request, response, callback);
    }

    /** The remote host of a request, or {@code null}. */
    public static InetAddress remote(Request request) {
        SocketAddress a = request.getConnectionMetaData().getRemoteSocketAddress();
        return a instanceof InetSocketAddress ? ((InetSocketAddress) a).getAddress() : null;
    }

    boolean hostHeaderNamesUs(String hostHeader) {
        if (hostHeader == null) {
            return true; // HTTP/1.0 clients; nothing names another site
        }
        String h = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[")) {
            return h.indexOf(']') > 0; // an IPv6 literal
        }
        int colon = h.lastIndexOf(':');
        String name = colon >= 0 ? h.substring(0, colon) : h;
        if (name.isEmpty() || name.equals("localhost") || hostNames.contains(name)) {
            return true;
        }
        return name.chars().allMatch(c -> c == '.' || Character.isDigit(c)); // an IPv4 literal
    }
}
