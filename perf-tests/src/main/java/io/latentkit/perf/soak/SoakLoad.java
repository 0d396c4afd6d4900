package io.latentkit.perf.soak;

import io.latentkit.osc.codec.OscMessageWriter;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The soak's deterministic script, sent over real UDP: about a thousand hits a second on every pad
 * at varied velocities, a pad parameter change every tenth message, a tempo change every two
 * hundredth, a kit swap every 20 s (two kits in turn), a preset save every 15 s and a preset load
 * every 30 s. The same seed gives the same script.
 *
 * <p>Threading: {@link #run} on its own thread; {@link #stop} and the counters from any thread.
 */
final class SoakLoad implements Runnable {
    private static final String[] PARAMS = {"gain", "pitch", "decay", "pan"};

    private final InetAddress host = InetAddress.getLoopbackAddress();
    private final int port;
    private final long seed;
    private final int messagesPerSecond;
    private final String[] kits;
    private final AtomicLong sent = new AtomicLong();
    private volatile boolean running = true;

    SoakLoad(int port, long seed, int messagesPerSecond, String... kits) {
        this.port = port;
        this.seed = seed;
        this.messagesPerSecond = messagesPerSecond;
        this.kits = kits.clone();
    }

    long sent() {
        return sent.get();
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        Random rnd = new Random(seed);
        OscMessageWriter w = new OscMessageWriter(512);
        long periodNanos = 1_000_000_000L / messagesPerSecond;
        long start = System.nanoTime();
        long n = 0;
        int kit = 0;
        long nextKit = start + 20_000_000_000L;
        long nextSave = start + 15_000_000_000L;
        long nextLoad = start + 30_000_000_000L;
        try (DatagramSocket socket = new DatagramSocket(0, host)) {
            while (running) {
                long due = start + n * periodNanos;
                long now = System.nanoTime();
                if (due > now) {
                    LockSupport.parkNanos(due - now);
                }
                if (n % 10 == 9) {
                    w.begin("/pad/" + rnd.nextInt(12) + "/" + PARAMS[rnd.nextInt(PARAMS.length)], "f")
                            .putFloat(rnd.nextFloat() * 2f - 0.5f);
                } else if (n % 200 == 199) {
                    w.begin("/tempo", "f").putFloat(80f + rnd.nextInt(100));
                } else {
                    w.begin("/hit", "if").putInt(rnd.nextInt(12)).putFloat(0.2f + 0.8f * rnd.nextFloat());
                }
                send(socket, w);
                n++;
                now = System.nanoTime();
                if (now >= nextKit) {
                    nextKit += 20_000_000_000L;
                    kit = (kit + 1) % kits.length;
                    send(socket, w.begin("/kit/load", "s").putString(kits[kit]));
                }
                if (now >= nextSave) {
                    nextSave += 15_000_000_000L;
                    send(socket, w.begin("/preset/save", "s").putString("soak-" + (n % 3)));
                }
                if (now >= nextLoad) {
                    nextLoad += 30_000_000_000L;
                    send(socket, w.begin("/preset/load", "s").putString("soak-" + (n % 3)));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("soak load: " + e.getMessage(), e);
        }
    }

    private void send(DatagramSocket socket, OscMessageWriter w) throws IOException {
        socket.send(new DatagramPacket(w.buffer(), w.length(), host, port));
        sent.incrementAndGet();
    }
}
