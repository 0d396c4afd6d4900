package io.latentkit.perf.compare;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends 1,000 hits/s over UDP: {@code /hit pad vel} to latentkit or {@code /s_new lkplay} to
 * scsynth. Threading: its own thread; {@link #start} and {@link #stop} from the owner's.
 */
final class HitSender implements Runnable {
    private final int port;
    private final boolean scsynth;
    private final Thread thread = new Thread(this, "osc-hit-sender");
    private volatile boolean running = true;
    volatile long sent;
    volatile long maxLateNs;
    float dur = 1f;

    HitSender(int port, boolean scsynth) {
        this.port = port;
        this.scsynth = scsynth;
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    void stop() throws InterruptedException {
        running = false;
        thread.join(2000);
    }

    @Override
    public void run() {
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            byte[][] msgs = new byte[12][];
            for (int i = 0; i < 12; i++) {
                msgs[i] = scsynth
                        ? Osc.message("/s_new", ScsynthFiles.DEF, -1, 0, 0, "buf", i, "pan", Fixtures.PAN[i], "amp",
                                1f, "dur", dur)
                        : Osc.message("/hit", i, 1f);
            }
            InetAddress lo = InetAddress.getLoopbackAddress();
            long next = System.nanoTime();
            long n = 0;
            while (running) {
                next += 1_000_000L;
                long now;
                while ((now = System.nanoTime()) < next) {
                    LockSupport.parkNanos(Math.min(200_000L, next - now));
                }
                maxLateNs = Math.max(maxLateNs, now - next);
                byte[] m = msgs[(int) (n % 12)];
                s.send(new DatagramPacket(m, m.length, lo, port));
                n++;
                sent = n;
            }
        } catch (IOException e) {
            running = false;
        }
    }
}
