package io.latentkit.web.ws;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latentkit.osc.transport.PacketInbox;
import io.latentkit.osc.transport.TokenBucket;
import io.latentkit.web.WebCounters;
import io.latentkit.web.WebCounters.Count;
import io.latentkit.web.http.Admission;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;

/**
 * One OSCQuery WebSocket connection (the console's or any OSCQuery client's). Text messages are the
 * proposal's JSON commands ({@code {"COMMAND":"LISTEN","DATA":"/pad/kick/gain"}} and {@code IGNORE});
 * binary messages are OSC packets, handed to the OSC receiver thread through its inbox and routed
 * exactly as UDP packets, with this session as the peer that replies and telemetry go to. Every
 * message takes a token of the session's own bucket; a session that sends faster than its rate is
 * closed (policy violation), which costs nobody else anything.
 *
 * <p>Threading: Jetty calls one method at a time per session (auto-demanding: the next message is
 * read after the previous call returned); {@link #peer()} and {@link #listening()} from any thread.
 */
public final class OscQuerySession implements Session.Listener.AutoDemanding {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Listeners listeners;
    private final PacketInbox inbox;
    private final WebCounters counters;
    private final Admission.Host host;
    private final InetAddress address;
    private final long maxPendingBytes;
    private final LongSupplier nanoClock;
    private final TokenBucket bucket;
    private final Set<String> listening = ConcurrentHashMap.newKeySet();
    private volatile WsPeer peer;

    OscQuerySession(Listeners listeners, PacketInbox inbox, WebCounters counters, Admission.Host host,
                    InetAddress address, double messagesPerSecond, double burst, long maxPendingBytes,
                    LongSupplier nanoClock) {
        this.listeners = listeners;
        this.inbox = inbox;
        this.counters = counters;
        this.host = host;
        this.address = address;
        this.maxPendingBytes = maxPendingBytes;
        this.nanoClock = nanoClock;
        this.bucket = new TokenBucket(messagesPerSecond, burst, nanoClock.getAsLong());
    }

    @Override
    public void onWebSocketOpen(Session session) {
        peer = new WsPeer(session, address, counters, maxPendingBytes);
        counters.count(Count.SESSIONS_OPENED);
        listeners.open(this);
    }

    @Override
    public void onWebSocketText(String text) {
        if (!admit()) {
            return;
        }
        String command;
        String data;
        try {
            JsonNode o = JSON.readTree(text);
            command = o.path("COMMAND").asText("");
            data = o.path("DATA").asText("");
        } catch (IOException e) {
            counters.count(Count.COMMANDS_REFUSED);
            return;
        }
        boolean ok = switch (command) {
            case "LISTEN" -> listeners.listen(this, data);
            case "IGNORE" -> listeners.ignore(this, data);
            default -> false;
        };
        if (!ok) {
            counters.count(Count.COMMANDS_REFUSED);
        }
    }

    @Override
    public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
        try {
            if (!admit()) {
                return;
            }
            byte[] packet = new byte[payload.remaining()];
            payload.get(packet);
            if (!inbox.offer(packet, packet.length, peer, nanoClock.getAsLong())) {
                counters.count(Count.PACKETS_REFUSED);
            }
        } finally {
            callback.succeed();
        }
    }

    /** Takes one token; a session over its rate is cut off. */
    private boolean admit() {
        counters.count(Count.MESSAGES_IN);
        boolean ok;
        synchronized (bucket) {
            ok = bucket.tryTake(nanoClock.getAsLong());
        }
        if (!ok) {
            peer.cutOff(Count.FLOOD_CUTOFFS, "over the message rate");
        }
        return ok;
    }

    @Override
    public void onWebSocketClose(int statusCode, String reason, Callback callback) {
        try {
            if (statusCode == StatusCode.MESSAGE_TOO_LARGE) {
                counters.count(Count.OVERSIZE_CUTOFFS);
            }
            end();
        } finally {
            callback.succeed();
        }
    }

    @Override
    public void onWebSocketError(Throwable cause) {
        // Jetty closes the session after an error (a message over the size caps among them) and then
        // reports the close; nothing to add here but not to leak the session if it does not.
        WsPeer p = peer;
        if (p != null && !p.isOpen()) {
            end();
        }
    }

    private boolean ended;

    private synchronized void end() {
        if (ended) {
            return;
        }
        ended = true;
        listeners.close(this);
        host.closeSession();
        counters.count(Count.SESSIONS_CLOSED);
    }

    /** The session as an OSC peer ({@code null} before it opened). */
    public WsPeer peer() {
        return peer;
    }

    /** The addresses this session follows (live view). */
    Set<String> listening() {
        return listening;
    }
}
