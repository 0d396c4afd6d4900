package io.latentkit.osc.transport;

import io.latentkit.osc.codec.Slip;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * One accepted TCP connection: its stream framer, a bounded outbound buffer for replies and the
 * per-source rate budget it shares with its host. Replies that do not fit the outbound buffer (a peer
 * that stopped reading) are dropped, never waited for.
 *
 * <p>Threading: receiver thread only.
 */
final class TcpConnection implements OscPeer {
    private final SocketChannel channel;
    private final InetSocketAddress remote;
    private final DatagramChannel udp;
    private final ByteBuffer udpSendBuffer;
    final StreamFramer framer;
    final ByteBuffer readBuffer;
    private final ByteBuffer out;
    private final byte[] slipScratch;
    final SourceTable.Source source;
    /** Its selection key, set at registration. */
    SelectionKey key;
    /** Rate-limit clock time of the last complete packet (or of the accept). */
    long lastFrameNanos;
    /** When the packet now in progress began, or {@code Long.MIN_VALUE} between packets. */
    long partialSinceNanos = Long.MIN_VALUE;
    /** Set by the receiver when a read completed at least one packet. */
    boolean completedFrame;

    TcpConnection(SocketChannel channel, InetSocketAddress remote, int maxFrameBytes, DatagramChannel udp,
                  ByteBuffer udpSendBuffer, SourceTable.Source source) {
        this.channel = channel;
        this.remote = remote;
        this.udp = udp;
        this.udpSendBuffer = udpSendBuffer;
        this.framer = new StreamFramer(maxFrameBytes);
        this.readBuffer = ByteBuffer.allocate(16 * 1024);
        this.out = ByteBuffer.allocate(64 * 1024);
        this.slipScratch = new byte[2 * 8192 + 2];
        this.source = source;
    }

    SocketChannel channel() {
        return channel;
    }

    @Override
    public boolean send(byte[] packet, int offset, int length) {
        if (!channel.isOpen()) {
            return false;
        }
        if (framer.framing() == StreamFramer.Framing.SLIP) {
            if (2 * length + 2 > slipScratch.length) {
                return false;
            }
            int n = Slip.encode(packet, offset, length, slipScratch, 0);
            if (n > out.remaining()) {
                return false;
            }
            out.put(slipScratch, 0, n);
        } else {
            if (length + 4 > out.remaining()) {
                return false;
            }
            out.putInt(length).put(packet, offset, length);
        }
        flush();
        return true;
    }

    /** Writes what the socket takes now; the rest waits for the next duty cycle. */
    void flush() {
        if (out.position() == 0) {
            return;
        }
        out.flip();
        try {
            channel.write(out);
        } catch (IOException e) {
            close();
        }
        out.compact();
    }

    boolean hasPendingOutput() {
        return out.position() > 0;
    }

    void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing a broken connection: nothing left to do with it.
        }
    }

    @Override
    public OscPeer retain() {
        return this;
    }

    @Override
    public OscPeer withReplyPort(int port) {
        return new UdpPeer(udp, udpSendBuffer, new InetSocketAddress(remote.getAddress(), port));
    }

    @Override
    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public InetAddress address() {
        return remote.getAddress();
    }

    @Override
    public String toString() {
        return "tcp:" + remote;
    }
}
