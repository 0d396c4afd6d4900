package io.latentkit.perf.soak;

import io.latentkit.osc.codec.OscMessageView;
import io.latentkit.osc.codec.OscMessageWriter;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The soak's deterministic OSC script, sent over real UDP: about a thousand messages a second,
 * mostly hits on every pad at varied velocities, a pad parameter change every tenth message, a
 * tempo change every two hundredth and a latent move ({@code /latent/xy} with a reply id, on pads 3
 * and 7 in turn, along a slow Lissajous path) every hundredth; then, on their own periods
 * ({@link Script}): a kit swap (two kits in turn), a preset save, a preset load, a
 * {@code /latent/generate}, a {@code /latent/revert} (the next move makes the pad latent again)
 * and a {@code /models/reload} of serve's {@code --models} folder, where every few reloads the
 * decoder is first replaced by a truncated copy (the reload must fail and keep the running set),
 * then restored and reloaded again. At the start it turns listen mode on and binds MIDI learn to
 * {@code /pad/1/decay} (the next control the soak's controller moves). The same seed gives the
 * same script.
 *
 * <p>Every reply that comes back is counted by kind ({@link #replies}): {@code /done <command>},
 * {@code /fail <command>}, {@code /latent/ready}.
 *
 * <p>Threading: {@link #run} on its own thread (replies on {@code soak-replies}); {@link #stop} and
 * the counters from any thread.
 */
final class SoakLoad implements Runnable {
    private static final String[] PARAMS = {"gain", "pitch", "decay", "pan"};
    private static final int[] LATENT_PADS = {3, 7};
    private static final String DECODER = "vae_decoder.onnx";

    /**
     * The periods of the slow parts of the script, in seconds.
     *
     * @param reloadSeconds a {@code /models/reload} every this often (the first after 5 s)
     * @param badReloadEvery every this many-th reload (counting from 1) is of a truncated decoder,
     *     followed 5 s later by a good one
     */
    record Script(double kitSeconds, double saveSeconds, double loadSeconds, double generateSeconds,
                  double revertSeconds, double reloadSeconds, int badReloadEvery) {
        /** The hour-long run's script. */
        static Script standard() {
            return new Script(20, 15, 30, 30, 120, 180, 4);
        }

        /** CI's two-minute version: every part of the script at least once, a bad reload included. */
        static Script smoke() {
            return new Script(20, 15, 30, 20, 50, 25, 2);
        }
    }

    private final InetAddress host = InetAddress.getLoopbackAddress();
    private final int port;
    private final long seed;
    private final int messagesPerSecond;
    private final String[] kits;
    private final Script script;
    private final Path modelsDir;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong badReloadsSent = new AtomicLong();
    private final AtomicLong goodReloadsSent = new AtomicLong();
    private final Map<String, AtomicLong> replies = new ConcurrentHashMap<>();
    private volatile boolean running = true;

    SoakLoad(int port, long seed, int messagesPerSecond, Script script, Path modelsDir, String... kits) {
        this.port = port;
        this.seed = seed;
        this.messagesPerSecond = messagesPerSecond;
        this.script = script;
        this.modelsDir = modelsDir;
        this.kits = kits.clone();
    }

    long sent() {
        return sent.get();
    }

    /** Reloads sent with the decoder truncated, and with the folder whole. */
    long badReloadsSent() {
        return badReloadsSent.get();
    }

    long goodReloadsSent() {
        return goodReloadsSent.get();
    }

    /** Replies so far by kind, e.g. {@code "/done /models/reload"}, {@code "/latent/ready"}. */
    Map<String, Long> replies() {
        Map<String, Long> out = new TreeMap<>();
        replies.forEach((k, v) -> out.put(k, v.get()));
        return out;
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
        int reloads = 0;
        int moves = 0;
        long nextKit = start + nanos(script.kitSeconds());
        long nextSave = start + nanos(script.saveSeconds());
        long nextLoad = start + nanos(script.loadSeconds());
        long nextGenerate = start + nanos(script.generateSeconds());
        long nextRevert = start + nanos(script.revertSeconds());
        long nextReload = start + nanos(5);
        long restoreAt = Long.MAX_VALUE;
        try (DatagramSocket socket = new DatagramSocket(0, host)) {
            Thread receiver = new Thread(() -> receive(socket), "soak-replies");
            receiver.setDaemon(true);
            receiver.start();
            send(socket, w.begin("/listen", "i").putInt(1));
            send(socket, w.begin("/midi/learn", "s").putString("/pad/1/decay"));
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
                } else if (n % 100 == 50) {
                    double t = moves * 0.01;
                    w.begin("/latent/xy", "iffi").putInt(LATENT_PADS[moves % 2])
                            .putFloat((float) (0.5 + 0.5 * Math.sin(t))).putFloat((float) (0.5 + 0.5 * Math.sin(1.3 * t)))
                            .putInt(moves);
                    moves++;
                } else {
                    w.begin("/hit", "if").putInt(rnd.nextInt(12)).putFloat(0.2f + 0.8f * rnd.nextFloat());
                }
                send(socket, w);
                n++;
                now = System.nanoTime();
                if (now >= nextKit) {
                    nextKit += nanos(script.kitSeconds());
                    kit = (kit + 1) % kits.length;
                    send(socket, w.begin("/kit/load", "s").putString(kits[kit]));
                }
                if (now >= nextSave) {
                    nextSave += nanos(script.saveSeconds());
                    send(socket, w.begin("/preset/save", "s").putString("soak-" + (n % 3)));
                }
                if (now >= nextLoad) {
                    nextLoad += nanos(script.loadSeconds());
                    send(socket, w.begin("/preset/load", "s").putString("soak-" + (n % 3)));
                }
                if (now >= nextGenerate) {
                    nextGenerate += nanos(script.generateSeconds());
                    send(socket, w.begin("/latent/generate", "ifi").putInt(LATENT_PADS[(int) (n % 2)])
                            .putFloat(0.5f).putInt(-2));
                }
                if (now >= nextRevert) {
                    nextRevert += nanos(script.revertSeconds());
                    send(socket, w.begin("/latent/revert", "i").putInt(LATENT_PADS[(int) (n % 2)]));
                }
                if (now >= nextReload) {
                    nextReload += nanos(script.reloadSeconds());
                    reloads++;
                    boolean bad = reloads % script.badReloadEvery() == 0;
                    if (bad) {
                        truncateDecoder();
                        restoreAt = now + nanos(5);
                        badReloadsSent.incrementAndGet();
                    } else {
                        goodReloadsSent.incrementAndGet();
                    }
                    send(socket, w.begin("/models/reload", ""));
                }
                if (now >= restoreAt) {
                    restoreAt = Long.MAX_VALUE;
                    restoreDecoder();
                    goodReloadsSent.incrementAndGet();
                    send(socket, w.begin("/models/reload", ""));
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("soak load: " + e.getMessage(), e);
        } finally {
            restoreQuietly();
        }
    }

    /** Replaces the decoder with its first half, in one rename (the good copy is kept beside it). */
    private void truncateDecoder() throws IOException {
        Path good = modelsDir.resolve(DECODER);
        Path keep = modelsDir.getParent().resolve(DECODER + ".good");
        if (!Files.exists(keep)) {
            Files.copy(good, keep);
        }
        byte[] all = Files.readAllBytes(keep);
        Path tmp = modelsDir.getParent().resolve(DECODER + ".tmp");
        Files.write(tmp, Arrays.copyOf(all, all.length / 2));
        Files.move(tmp, good, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void restoreDecoder() throws IOException {
        Path keep = modelsDir.getParent().resolve(DECODER + ".good");
        Path tmp = modelsDir.getParent().resolve(DECODER + ".tmp");
        Files.copy(keep, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, modelsDir.resolve(DECODER), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private void restoreQuietly() {
        try {
            if (Files.exists(modelsDir.getParent().resolve(DECODER + ".good"))) {
                restoreDecoder();
            }
        } catch (IOException e) {
            // the run is over; the folder is the soak's own
        }
    }

    private void receive(DatagramSocket socket) {
        byte[] buf = new byte[65_536];
        OscMessageView m = OscMessageView.create(64);
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (SocketException closed) {
                return;
            } catch (IOException e) {
                continue;
            }
            if (m.wrapChecked(buf, 0, p.getLength(), 256) != null) {
                continue;
            }
            String address = m.address();
            String kind = (address.equals("/done") || address.equals("/fail")) && m.argCount() > 0 && m.isString(0)
                    ? address + " " + m.string(0) : address;
            if (kind.startsWith("/fail /latent/") || kind.startsWith("/done /latent/")) {
                kind = kind.substring(0, kind.indexOf(' ')) + " /latent/*";
            }
            replies.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        }
    }

    private static long nanos(double seconds) {
        return (long) (seconds * 1e9);
    }

    private void send(DatagramSocket socket, OscMessageWriter w) throws IOException {
        socket.send(new DatagramPacket(w.buffer(), w.length(), host, port));
        sent.incrementAndGet();
    }
}
