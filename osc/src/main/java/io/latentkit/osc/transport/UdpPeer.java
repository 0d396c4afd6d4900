package io.latentkit.osc.transport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.Objects;

/**
 * A UDP peer: replies go to its socket address through the server's own UDP channel (so they come
 * from the port the client sent to). Equal when the socket addresses are equal.
 *
 * <p>Threading: receiver thread only.
 */
final class UdpPeer implements OscPeer {
    private final DatagramChannel channel;
    private final ByteBuffer sendBuffer;
    private InetSocketAddress target;

    UdpPeer(DatagramChannel channel, ByteBuffer sendBuffer, InetSocketAddress target) {
        this.channel = channel;
        this.sendBuffer = sendBuffer;
        this.target = target;
    }

    /** Re-points the reused per-packet peer; allocation-free. */
    void target(InetSocketAddress t) {
        this.target = t;
    }

    InetSocketAddress target() {
        return target;
    }

    @Override
    public boolean send(byte[] packet, int offset, int length) {
        if (length > sendBuffer.capacity()) {
            return false;
        }
        sendBuffer.clear();
        sendBuffer.put(packet, offset, length).flip();
        try {
            return channel.send(sendBuffer, target) > 0;
        } catch (IOException | RuntimeException e) {
            // A reply that cannot be sent (peer gone, ICMP unreachable) is dropped, never fatal.
            return false;
        }
    }

    @Override
    public OscPeer retain() {
        return new UdpPeer(channel, sendBuffer, target);
    }

    @Override
    public OscPeer withReplyPort(int port) {
        return new UdpPeer(channel, sendBuffer, new InetSocketAddress(target.getAddress(), port));
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public InetAddress address() {
        return target.getAddress();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof UdpPeer && ((UdpPeer) o).target.equals(target);
    }

    @Override
    public int hashCode() {
        return Objects.hashCode(target);
    }

    @Override
    public String toString() {
        return "udp:" + target;
    }
}
