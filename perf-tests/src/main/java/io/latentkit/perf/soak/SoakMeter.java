package io.latentkit.perf.soak;

import io.latentkit.osc.codec.OscMessageView;
import io.latentkit.osc.codec.OscMessageWriter;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;

/**
 * The soak's ear on the output: a {@code /notify} subscriber of its own (renewed every 10 s, on a
 * socket of its own so its {@code /latent/ready} copies are not counted as replies) that keeps,
 * per sampling interval, the output level as the root mean square of the {@code /meter/l} and
 * {@code /meter/r} peaks (about 30 a second each), their maximum, and how many were not finite.
 *
 * <p>Threading: {@link #run} on its own thread; {@link #take} and {@link #stop} from any thread.
 */
final class SoakMeter implements Runnable {
    /** One interval: {@code rms} of the meter peaks, their {@code max}, {@code count} of them, {@code nonFinite}. */
    record Level(double rms, double max, long count, long nonFinite) {
    }

    private final int port;
    private final InetAddress host = InetAddress.getLoopbackAddress();
    private double sumSquares;
    private double max;
    private long count;
    private long nonFinite;
    private volatile boolean running = true;

    SoakMeter(int port) {
        this.port = port;
    }

    /** The level since the previous call. */
    synchronized Level take() {
        Level l = new Level(count == 0 ? 0 : Math.sqrt(sumSquares / count), max, count, nonFinite);
        sumSquares = 0;
        max = 0;
        count = 0;
        nonFinite = 0;
        return l;
    }

    void stop() {
        running = false;
    }

    private synchronized void add(float peak) {
        if (!Float.isFinite(peak)) {
            nonFinite++;
            return;
        }
        sumSquares += (double) peak * peak;
        max = Math.max(max, peak);
        count++;
    }

    @Override
    public void run() {
        byte[] notify = new OscMessageWriter(64).begin("/notify", "i").putInt(1).toByteArray();
        byte[] buf = new byte[65_536];
        OscMessageView m = OscMessageView.create(16);
        try (DatagramSocket socket = new DatagramSocket(0, host)) {
            socket.setSoTimeout(500);
            long renew = 0;
            while (running) {
                if (System.nanoTime() >= renew) {
                    socket.send(new DatagramPacket(notify, notify.length, host, port));
                    renew = System.nanoTime() + 10_000_000_000L;
                }
                DatagramPacket p = new DatagramPacket(buf, buf.length);
                try {
                    socket.receive(p);
                } catch (SocketTimeoutException quiet) {
                    continue;
                }
                if (m.wrapChecked(buf, 0, p.getLength(), 256) == null && m.argCount() == 1 && m.isNumber(0)
                        && (m.address().equals("/meter/l") || m.address().equals("/meter/r"))) {
                    add(m.floatArg(0));
                }
            }
        } catch (SocketException closed) {
            // stopped
        } catch (IOException e) {
            throw new IllegalStateException("soak meter: " + e.getMessage(), e);
        }
    }
}
