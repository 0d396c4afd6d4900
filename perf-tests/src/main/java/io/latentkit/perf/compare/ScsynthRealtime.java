package io.latentkit.perf.compare;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * scsynth in real time on a host without a sound card: a private JACK server with the dummy
 * driver ({@code jackd -n NAME -d dummy}, from the {@code jackd2} package that
 * {@code supercollider-server} depends on) and {@code scsynth -u PORT} connected to it, with a UDP
 * client socket. Both processes are started here and stopped by {@link #close()}.
 *
 * <p>Threading: one owner thread.
 */
public final class ScsynthRealtime implements AutoCloseable {
    private final Process jackd;
    private final Process scsynth;
    private final DatagramSocket socket;
    private final InetSocketAddress server;
    private final Path jackLog;
    private final byte[] in = new byte[8192];

    private ScsynthRealtime(Process jackd, Process scsynth, DatagramSocket socket, InetSocketAddress server,
                            Path jackLog) {
        this.jackd = jackd;
        this.scsynth = scsynth;
        this.socket = socket;
        this.server = server;
        this.jackLog = jackLog;
    }

    /**
     * Starts JACK (dummy driver, {@code periodFrames} per period at 48 kHz) and scsynth (64-frame
     * blocks) on {@code port}, loads the SynthDef and {@code wavs} as buffers 0.., and waits until
     * scsynth has answered {@code /sync}.
     *
     * @throws IOException with the logs' last lines when either will not start
     */
    public static ScsynthRealtime start(Path dir, int port, int periodFrames, List<Path> wavs, String core)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        String name = "lkperf" + ProcessHandle.current().pid();
        Path jackLog = dir.resolve("jackd.log");
        Path scLog = dir.resolve("scsynth.log");
        ProcessBuilder jb = new ProcessBuilder("jackd", "-n", name, "--no-realtime", "-d", "dummy", "-r", "48000",
                "-p", Integer.toString(periodFrames)).redirectErrorStream(true)
                .redirectOutput(jackLog.toFile());
        Process jackd = Proc.track(jb.start());
        Thread.sleep(1500);
        if (!jackd.isAlive()) {
            throw new IOException("jackd (dummy driver) did not start: " + Proc.tail(read(jackLog), 4));
        }
        List<String> cmd = new ArrayList<>();
        if (core != null) {
            cmd.addAll(List.of("taskset", "-c", core));
        }
        cmd.addAll(List.of("scsynth", "-u", Integer.toString(port), "-z", "64", "-n", "32768", "-m", "65536",
                "-i", "0", "-o", "2", "-R", "0", "-l", "4"));
        ProcessBuilder sb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(scLog.toFile());
        Map<String, String> env = sb.environment();
        env.put("JACK_DEFAULT_SERVER", name);
        env.put("JACK_NO_START_SERVER", "1");
        Process sc = Proc.track(sb.start());
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < deadline && sc.isAlive() && !read(scLog).contains("server ready")) {
            Thread.sleep(100);
        }
        if (!sc.isAlive() || !read(scLog).contains("server ready")) {
            sc.destroy();
            jackd.destroy();
            throw new IOException("scsynth did not start on JACK dummy: " + Proc.tail(read(scLog), 4));
        }
        DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        s.setReceiveBufferSize(1 << 20);
        ScsynthRealtime rt = new ScsynthRealtime(jackd, sc, s, new InetSocketAddress(InetAddress.getLoopbackAddress(),
                port), jackLog);
        rt.send(Osc.message("/d_recv", Osc.blob(ScsynthFiles.synthDef())));
        for (int i = 0; i < wavs.size(); i++) {
            rt.send(Osc.message("/b_allocRead", i, wavs.get(i).toAbsolutePath().toString(), 0, -1));
        }
        rt.send(Osc.message("/sync", 1));
        if (rt.await("/synced", 5000) == null) {
            rt.close();
            throw new IOException("scsynth did not answer /sync: " + Proc.tail(read(scLog), 4));
        }
        return rt;
    }

    public void send(byte[] packet) throws IOException {
        socket.send(new DatagramPacket(packet, packet.length, server));
    }

    /** Waits for a message with {@code address}; returns its arguments, or null on timeout. */
    public Object[] await(String address, int timeoutMs) throws IOException {
        long end = System.nanoTime() + timeoutMs * 1_000_000L;
        while (true) {
            long left = (end - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return null;
            }
            socket.setSoTimeout((int) Math.max(1, left));
            DatagramPacket p = new DatagramPacket(in, in.length);
            try {
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                return null;
            }
            if (Osc.address(in, p.getLength()).equals(address)) {
                return Osc.args(in, p.getLength());
            }
        }
    }

    /** Lines in the JACK log mentioning an xrun so far. */
    public long jackXruns() throws IOException {
        return read(jackLog).lines().filter(l -> l.toLowerCase(Locale.ROOT).contains("xrun")).count();
    }

    static String read(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
    }

    @Override
    public void close() {
        socket.close();
        scsynth.destroy();
        try {
            scsynth.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        scsynth.destroyForcibly();
        jackd.destroy();
        try {
            jackd.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        jackd.destroyForcibly();
    }
}
