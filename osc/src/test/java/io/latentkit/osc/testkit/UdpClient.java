package io.latentkit.osc.testkit;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.latentkit.osc.codec.OscMessageView;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/** A UDP OSC client socket on loopback (optionally on a given local address such as 127.0.0.3). */
public final class UdpClient implements AutoCloseable {
    private final DatagramSocket socket;
    private final InetSocketAddress server;

    public UdpClient(int serverPort) {
        this("127.0.0.1", serverPort);
    }

    public UdpClient(String localAddress, int serverPort) {
        try {
            socket = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            socket.setSoTimeout(20_000);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server = new InetSocketAddress(InetAddress.getLoopbackAddress(), serverPort);
    }

    public int localPort() {
        return socket.getLocalPort();
    }

    public void send(byte[] packet) {
        try {
            socket.send(new DatagramPacket(packet, packet.length, server));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Receives one reply as "address typetags arg..." text (fails after 20 s). */
    public String receive() {
        byte[] buf = new byte[65_536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            fail("no reply within 20 s");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return describe(buf, p.getLength());
    }

    /** Receives one reply if one arrives within {@code timeoutMs}, else {@code null}. */
    public String poll(int timeoutMs) {
        byte[] buf = new byte[65_536];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            int before = socket.getSoTimeout();
            socket.setSoTimeout(timeoutMs);
            try {
                socket.receive(p);
            } finally {
                socket.setSoTimeout(before);
            }
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return describe(buf, p.getLength());
    }

    /** Receives replies until one starts with {@code prefix}; returns it. */
    public String receiveStartingWith(String prefix) {
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String s = receive();
            if (s.startsWith(prefix)) {
                return s;
            }
            seen.add(s);
        }
        return fail("no reply starting with " + prefix + "; saw " + seen);
    }

    /** Text form of one OSC message: address, tags and arguments separated by spaces. */
    public static String describe(byte[] buf, int len) {
        OscMessageView m = OscMessageView.create(64);
        assertNull(m.wrapChecked(buf, 0, len, 256), "reply is well formed");
        StringBuilder sb = new StringBuilder(m.address()).append(' ').append(m.typeTags());
        for (int i = 0; i < m.argCount(); i++) {
            sb.append(' ');
            char t = m.type(i);
            if (t == 's' || t == 'S') {
                sb.append(m.string(i));
            } else if (t == 'f') {
                sb.append(m.floatArg(i));
            } else {
                sb.append(m.longArg(i));
            }
        }
        return sb.toString();
    }

    @Override
    public void close() {
        socket.close();
    }
}
