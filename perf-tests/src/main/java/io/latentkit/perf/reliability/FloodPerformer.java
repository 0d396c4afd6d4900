package io.latentkit.perf.reliability;

import io.latentkit.osc.codec.OscMessageView;
import io.latentkit.osc.codec.OscMessageWriter;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * The performer's own {@code /kit/load mine} once half the flood is sent, from 127.0.0.1 on a
 * thread of its own: over UDP, sent again every 5 s until a reply comes (the kernel drops
 * datagrams before the server reads them once the flood fills the server's socket buffer), and
 * over TCP on a connection opened before the flood.
 */
final class FloodPerformer {
    private final int port;
    private final LongSupplier sent;
    private final long threshold;
    private final Thread udpThread = new Thread(this::askUdp, "flood-performer-udp");
    private final Thread tcpThread = new Thread(this::askTcp, "flood-performer-tcp");
    private volatile String udp = "UDP: not sent";
    private volatile String tcp = "TCP: not sent";
    private volatile boolean running = true;

    FloodPerformer(int port, LongSupplier sent, long threshold) {
        this.port = port;
        this.sent = sent;
        this.threshold = threshold;
    }

    void start() {
        udpThread.start();
        tcpThread.start();
    }

    void join() throws InterruptedException {
        running = false;
        udpThread.join();
        tcpThread.join();
    }

    String result() {
        return udp + "; " + tcp;
    }

    /** Waits until half the flood is sent; false if the flood ended first. */
    private boolean awaitHalf() {
        while (sent.getAsLong() < threshold) {
            if (!running) {
                return false;
            }
            LockSupport.parkNanos(1_000_000L);
        }
        return true;
    }

    private void askUdp() {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            if (!awaitHalf()) {
                return;
            }
            udp = "UDP: no reply to 12 sends in 60 s";
            long t0 = System.nanoTime();
            for (int attempt = 1; attempt <= 12; attempt++) {
                List<Object> r = LoadFlood.request(s, port, "/kit/load", "mine", 5);
                if (!r.get(0).toString().startsWith("no reply")) {
                    udp = String.format(Locale.ROOT, "UDP: %s after %d send(s), %.1f ms after the first", r, attempt,
                            (System.nanoTime() - t0) / 1e6);
                    break;
                }
            }
            System.out.println("flood: the performer's mid-flood /kit/load mine, " + udp);
        } catch (IOException e) {
            udp = "UDP: error " + e;
        }
    }

    private void askTcp() {
        long t0 = 0;
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(60_000);
            if (!awaitHalf()) {
                return;
            }
            t0 = System.nanoTime();
            tcp = String.format(Locale.ROOT, "TCP: %s in %.1f ms", requestTcp(s, "/kit/load", "mine"),
                    (System.nanoTime() - t0) / 1e6);
        } catch (IOException e) {
            tcp = String.format(Locale.ROOT, "TCP: no reply (%s) after %.1f ms", e,
                    t0 == 0 ? 0 : (System.nanoTime() - t0) / 1e6);
        }
        System.out.println("flood: the performer's mid-flood /kit/load mine, " + tcp);
    }

    /** Sends {@code address s arg} over TCP (OSC 1.0 size-prefixed) and reads frames until the reply about it. */
    private static List<Object> requestTcp(Socket tcp, String address, String arg) throws IOException {
        byte[] q = new OscMessageWriter(256).begin(address, "s").putString(arg).toByteArray();
        DataOutputStream out = new DataOutputStream(tcp.getOutputStream());
        out.writeInt(q.length);
        out.write(q);
        out.flush();
        DataInputStream in = new DataInputStream(tcp.getInputStream());
        while (true) {
            int n = in.readInt();
            if (n < 0 || n > 65_536) {
                throw new IOException("bad frame size " + n);
            }
            byte[] buf = in.readNBytes(n);
            OscMessageView v = OscMessageView.create(16);
            if (v.wrapChecked(buf, 0, buf.length, 256) != null || v.argCount() < 1 || !v.isString(0)
                    || !v.string(0).equals(address)) {
                continue;
            }
            List<Object> r = new ArrayList<>();
            r.add(v.address());
            for (int i = 0; i < v.argCount(); i++) {
                r.add(v.isString(i) ? v.string(i) : (Object) v.number(i));
            }
            return r;
        }
    }
}
