package io.latentkit.perf.reliability;

import io.latentkit.osc.codec.OscMessageView;
import io.latentkit.osc.codec.OscMessageWriter;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/** One sending host: its socket, its paced sender and its reply counter. */
final class FloodHost {
    private final DatagramSocket socket;
    private final int port;
    private final long share;
    private final int rate;
    private final byte[][] messages;
    private final AtomicLong sent = new AtomicLong();
    private final Map<String, AtomicLong> replies = new ConcurrentHashMap<>();
    private final Thread sender;
    private final Thread ear;
    private volatile boolean running = true;
    private volatile boolean sending = true;
    private volatile long finishedAt;

    FloodHost(InetAddress address, int port, long share, int rate, int kits, int index) throws SocketException {
        this.socket = new DatagramSocket(0, address);
        socket.setReceiveBufferSize(4 << 20);
        socket.setSoTimeout(200);
        this.port = port;
        this.share = share;
        this.rate = rate;
        this.messages = new byte[kits][];
        for (int k = 0; k < kits; k++) {
            messages[k] = new OscMessageWriter(64).begin("/kit/load", "s").putString("flood-" + ((k + index) % kits))
                    .toByteArray();
        }
        this.sender = new Thread(this::send, "flood-send-" + address.getHostAddress());
        this.ear = new Thread(this::listen, "flood-replies-" + address.getHostAddress());
    }

    void start() {
        ear.start();
        sender.start();
    }

    boolean sending() {
        return sending;
    }

    long sent() {
        return sent.get();
    }

    /** System.nanoTime() when its last packet went out. */
    long finishedAt() {
        return finishedAt;
    }

    InetAddress address() {
        return socket.getLocalAddress();
    }

    Map<String, Long> replies() {
        Map<String, Long> out = new TreeMap<>();
        replies.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    void stop() {
        running = false;
        sending = false;
    }

    void join(long millis) throws InterruptedException {
        sender.join(millis);
        ear.join(millis);
        socket.close();
    }

    private void send() {
        InetAddress to = InetAddress.getLoopbackAddress();
        DatagramPacket[] packets = new DatagramPacket[messages.length];
        for (int k = 0; k < messages.length; k++) {
            packets[k] = new DatagramPacket(messages[k], messages[k].length, to, port);
        }
        int batch = 50;
        long period = rate == 0 ? 0 : 1_000_000_000L * batch / rate;
        long start = System.nanoTime();
        try {
            for (long n = 0; n < share && running; ) {
                for (int b = 0; b < batch && n < share; b++, n++) {
                    socket.send(packets[(int) (n % packets.length)]);
                    sent.incrementAndGet();
                }
                if (period > 0) {
                    long at = start + (n / batch) * period;
                    for (long wait = at - System.nanoTime(); wait > 0; wait = at - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                }
            }
        } catch (IOException e) {
            replies.computeIfAbsent("send error: " + e.getMessage(), k -> new AtomicLong()).incrementAndGet();
        } finally {
            finishedAt = System.nanoTime();
            sending = false;
        }
    }

    private void listen() {
        byte[] buf = new byte[4096];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        OscMessageView v = OscMessageView.create(16);
        while (running) {
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                return; // closed
            }
            String kind;
            if (v.wrapChecked(buf, 0, p.getLength(), 256) != null) {
                kind = "unreadable";
            } else if (v.argCount() >= 3 && v.address().equals("/fail") && v.isString(v.argCount() - 1)) {
                String reason = v.string(v.argCount() - 1);
                int colon = reason.indexOf(':');
                kind = "/fail " + (v.isString(0) ? v.string(0) : "?") + " " + (colon > 0 ? reason.substring(0, colon) : reason);
            } else {
                kind = v.address() + (v.argCount() > 0 && v.isString(0) ? " " + v.string(0) : "");
            }
            replies.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        }
    }
}
