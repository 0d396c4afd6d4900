package io.latentkit.web.ws;

import io.latentkit.osc.transport.OscPeer;
import io.latentkit.web.WebCounters;
import io.latentkit.web.WebCounters.Count;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;

/**
 * A WebSocket session as an OSC peer: OSC replies and telemetry for it (from the OSC receiver
 * thread), LISTEN values and forwards (from the value pump and the OSC receiver) go out as binary
 * messages, each an OSC packet. Sending never blocks: Jetty queues the frame and writes it
 * asynchronously. What is queued and not yet written is bounded; a session over the bound does not
 * read what it is sent, and is closed rather than allowed to hold memory.
 *
 * <p>Threading: any thread. The peer is stable for the life of the session ({@link #retain()} is
 * itself); replies always go back over the WebSocket ({@link #withReplyPort} is itself).
 */
public final class WsPeer implements OscPeer {
    private final Session session;
    private final InetAddress address;
    private final WebCounters counters;
    private final long maxPendingBytes;
    private final AtomicLong pendingBytes = new AtomicLong();
    private final AtomicBoolean cut = new AtomicBoolean();

    WsPeer(Session session, InetAddress address, WebCounters counters, long maxPendingBytes) {
        this.session = session;
        this.address = address;
        this.counters = counters;
        this.maxPendingBytes = maxPendingBytes;
    }

    @Override
    public boolean send(byte[] packet, int offset, int length) {
        byte[] copy = new byte[length];
        System.arraycopy(packet, offset, copy, 0, length);
        return sendOwned(copy);
    }

    /** Sends {@code packet} without copying it; the caller must not change it afterwards. */
    public boolean sendOwned(byte[] packet) {
        if (!isOpen() || !reserve(packet.length)) {
            return false;
        }
        final int n = packet.length;
        session.sendBinary(ByteBuffer.wrap(packet), Callback.from(() -> pendingBytes.addAndGet(-n),
                failure -> pendingBytes.addAndGet(-n)));
        counters.count(Count.MESSAGES_OUT);
        return true;
    }

    /** Sends a JSON text message (OSCQuery's PATH_ADDED and PATH_REMOVED). */
    public boolean sendText(String json) {
        if (!isOpen() || !reserve(json.length())) {
            return false;
        }
        final int n = json.length();
        session.sendText(json, Callback.from(() -> pendingBytes.addAndGet(-n), failure -> pendingBytes.addAndGet(-n)));
        return true;
    }

    private boolean reserve(int n) {
        if (pendingBytes.addAndGet(n) > maxPendingBytes) {
            pendingBytes.addAndGet(-n);
            cutOff(Count.SLOW_READER_CUTOFFS, "not reading what it is sent");
            return false;
        }
        return true;
    }

    /** Closes the session for a reason of its own making (policy violation), counted once. */
    void cutOff(Count why, String reason) {
        if (cut.compareAndSet(false, true)) {
            counters.count(why);
            session.close(StatusCode.POLICY_VIOLATION, reason, Callback.NOOP);
        }
    }

    /** Bytes queued to the session and not yet written. */
    long pendingBytes() {
        return pendingBytes.get();
    }

    @Override
    public OscPeer retain() {
        return this;
    }

    @Override
    public OscPeer withReplyPort(int port) {
        return this; // the reply goes back where the message came from, over the WebSocket
    }

    @Override
    public boolean isOpen() {
        return !cut.get() && session.isOpen();
    }

    @Override
    public InetAddress address() {
        return address;
    }

    @Override
    public String toString() {
        return "ws:" + address.getHostAddress() + "#" + Integer.toHexString(System.identityHashCode(this));
    }
}
