package io.latentkit.osc.testkit;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Arrays;

/** A TCP OSC client on loopback that writes raw bytes and reads SLIP or length-prefixed replies. */
public final class TcpClient implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    public TcpClient(int port) {
        this("127.0.0.1", port);
    }

    public TcpClient(String localAddress, int port) {
        try {
            socket = new Socket();
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
            socket.setSoTimeout(20_000);
            socket.setTcpNoDelay(true);
            out = socket.getOutputStream();
            in = socket.getInputStream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void write(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one SLIP frame (skipping empty ones) and describes it. */
    public String receiveSlip() {
        try {
            byte[] buf = new byte[65_536];
            int n = 0;
            boolean escaped = false;
            while (true) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed");
                }
                if (b == 0xC0) {
                    if (n > 0) {
                        return UdpClient.describe(Arrays.copyOf(buf, n), n);
                    }
                    continue;
                }
                if (escaped) {
                    b = b == 0xDC ? 0xC0 : 0xDB;
                    escaped = false;
                } else if (b == 0xDB) {
                    escaped = true;
                    continue;
                }
                buf[n++] = (byte) b;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads one length-prefixed packet and describes it. */
    public String receivePrefixed() {
        try {
            DataInputStream d = new DataInputStream(in);
            int n = d.readInt();
            byte[] b = new byte[n];
            d.readFully(b);
            return UdpClient.describe(b, n);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether the server closed the connection (read returns end of stream). */
    public boolean closedByServer() {
        try {
            return in.read() < 0;
        } catch (IOException e) {
            return true;
        }
    }

    /**
     * Whether the server closes the connection within {@code timeoutMs} (end of stream or reset); any
     * byte the server sends meanwhile is skipped.
     */
    public boolean closedWithin(int timeoutMs) {
        try {
            socket.setSoTimeout(timeoutMs);
            try {
                while (true) {
                    if (in.read() < 0) {
                        return true;
                    }
                }
            } finally {
                socket.setSoTimeout(20_000);
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
