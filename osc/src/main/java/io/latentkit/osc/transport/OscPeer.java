package io.latentkit.osc.transport;

import java.net.InetAddress;

/**
 * Where a packet came from and where its replies go: a UDP source address or a TCP connection.
 *
 * <p>Threading: receiver thread only. The peer handed to a handler for the packet being dispatched may
 * be a reused object; call {@link #retain()} to keep it beyond that call (subscriptions, pending
 * replies).
 */
public interface OscPeer {
    /** Sends one OSC packet to the peer, framed for its transport. Never blocks; false if not sent. */
    boolean send(byte[] packet, int offset, int length);

    /** A stable peer equal to this one, safe to keep after the current packet. */
    OscPeer retain();

    /**
     * A peer on the same host that receives replies over UDP on {@code port} (for clients such as
     * TouchDesigner and {@code oscdump} that listen on a fixed port other than the one they send from).
     * Replies never go to another host, so the server cannot be used to reflect traffic elsewhere.
     */
    OscPeer withReplyPort(int port);

    /** False once a TCP connection has closed; UDP peers are always open. */
    boolean isOpen();

    /** The peer's host address. */
    InetAddress address();
}
