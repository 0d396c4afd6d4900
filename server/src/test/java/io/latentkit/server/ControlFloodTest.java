package io.latentkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.latentkit.core.kit.DefaultKit;
import io.latentkit.core.namespace.Namespace;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.control.StagedCommands;
import io.latentkit.engine.sink.NullSink;
import io.latentkit.models.AudioFiles;
import io.latentkit.osc.OscServer;
import io.latentkit.osc.OscServerConfig;
import io.latentkit.osc.codec.OscMessageView;
import io.latentkit.osc.codec.OscMessageWriter;
import io.latentkit.presets.DataFolder;
import io.latentkit.presets.kit.KitLibrary;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 20's first hole, from outside: one local sender floods {@code /kit/load} over real UDP (from
 * 127.0.0.2, 24 different kits in turn, as fast as it can send) while the performer (127.0.0.1)
 * loads a kit of its own. The loader's queue is bounded: the flood is refused at once with
 * {@code /fail ... busy} beyond the bound and joins a waiting request for the same kit; the queue
 * never holds more than the bound; the performer's request is answered while the flood goes on,
 * and served once it stops.
 */
class ControlFloodTest {
    private static final int SR = 48_000;
    private static final int KITS = 24;
    private static final int FLOOD = 6_000;

    @TempDir
    Path home;

    @Test
    void aFloodOfKitLoadsIsBoundedRefusedAsBusyAndCoalescedWhileThePerformerIsAnswered() throws Exception {
        KitLibrary library = new KitLibrary(new DataFolder(home).create());
        for (int k = 0; k <= KITS; k++) {
            library.importKit(writeKit(home.resolve("src-" + k), 0.1f + 0.02f * k), k == KITS ? "mine" : "flood-" + k);
        }
        Engine engine = Engine.create(EngineConfig.defaults(), DefaultKit.create(SR));
        engine.start(new NullSink(256));
        Namespace ns = ServerNamespace.build(engine, new ServerKits(SR, library), () -> null);
        OscServer osc = OscServer.start(OscServerConfig.defaults().withPort(0), ns, engine, System::nanoTime);
        StagedCommands commands = engine.commands();
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicInteger busy = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger maxQueued = new AtomicInteger();
        try (DatagramSocket flooder = new DatagramSocket(0, InetAddress.getByName("127.0.0.2"));
             DatagramSocket performer = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            flooder.setSoTimeout(200);
            performer.setSoTimeout(100);
            Thread replies = new Thread(() -> countReplies(flooder, flooding, busy, done), "flood-replies");
            replies.start();
            Thread watch = new Thread(() -> {
                while (flooding.get()) {
                    maxQueued.accumulateAndGet(commands.queued(), Math::max);
                    Thread.onSpinWait();
                }
            }, "queue-watch");
            watch.start();
            long[] answeredAt = new long[1];
            List<List<Object>> performerReplies = new ArrayList<>();
            Thread ear = new Thread(() -> {
                List<Object> r = reply(performer, "/kit/load");
                answeredAt[0] = System.nanoTime();
                performerReplies.add(r);
            }, "performer-ear");
            long performerAsked = 0;
            for (int i = 0; i < FLOOD; i++) {
                send(flooder, osc, "/kit/load", "flood-" + (i % KITS));
                if (i == FLOOD / 2) {
                    ear.start();
                    performerAsked = System.nanoTime();
                    send(performer, osc, "/kit/load", "mine");
                }
            }
            ear.join(60_000);
            List<Object> performerReply = performerReplies.get(0);
            double performerMs = (answeredAt[0] - performerAsked) / 1e6;
            Thread.sleep(2_000); // the flood's queued loads finish; their replies come in
            flooding.set(false);
            replies.join(5_000);
            watch.join(5_000);
            send(performer, osc, "/kit/load", "mine");
            List<Object> after = reply(performer, "/kit/load");

            String figure = String.format(Locale.ROOT, "%d /kit/load of %d kits from 127.0.0.2: %d /done, %d /fail busy"
                    + " (replies seen), server counted refused_busy %d, coalesced %d, queue at most %d;"
                    + " the performer's mid-flood /kit/load answered in %.1f ms: %s; after the flood: %s",
                    FLOOD, KITS, done.get(), busy.get(), commands.refusedBusy(), commands.coalesced(), maxQueued.get(),
                    performerMs, performerReply, after);
            Path figures = Files.createDirectories(Path.of("target", "reliability"));
            Files.writeString(figures.resolve("control-flood.txt"), figure + "\n", StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            System.out.println(figure);
            assertTrue(commands.refusedBusy() > 0, "work beyond the bound was refused: " + figure);
            assertTrue(busy.get() > 0, "as /fail ... busy: " + figure);
            assertTrue(commands.coalesced() > 0, "repeated requests joined waiting ones: " + figure);
            assertTrue(maxQueued.get() <= 16, "the queue stays bounded: " + figure);
            assertEquals("/kit/load", performerReply.get(1), performerReply.toString());
            assertTrue(performerReply.get(0).equals("/done")
                    || performerReply.get(0).equals("/fail") && ((String) performerReply.get(3)).startsWith("busy"),
                    "answered at once either way: " + performerReply);
            assertEquals(List.of("/done", "/kit/load", "mine"), after);
        } finally {
            flooding.set(false);
            osc.close();
            engine.close();
        }
    }

    private static void countReplies(DatagramSocket s, AtomicBoolean flooding, AtomicInteger busy, AtomicInteger done) {
        while (flooding.get()) {
            List<Object> r = receive(s);
            if (r == null || r.size() < 2 || !"/kit/load".equals(r.get(1))) {
                continue;
            }
            if (r.get(0).equals("/done")) {
                done.incrementAndGet();
            } else if (r.get(0).equals("/fail") && r.size() > 3 && ((String) r.get(3)).startsWith("busy")) {
                busy.incrementAndGet();
            }
        }
    }

    private static void send(DatagramSocket s, OscServer osc, String address, String arg) throws Exception {
        OscMessageWriter w = new OscMessageWriter(256).begin(address, "s").putString(arg);
        s.send(new DatagramPacket(w.buffer(), w.length(), InetAddress.getLoopbackAddress(), osc.port()));
    }

    private static List<Object> reply(DatagramSocket s, String address) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            List<Object> r = receive(s);
            if (r != null && r.size() > 1 && address.equals(r.get(1))) {
                return r;
            }
        }
        return fail("no reply to " + address);
    }

    private static List<Object> receive(DatagramSocket s) {
        DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
        try {
            s.receive(p);
        } catch (IOException e) {
            return null; // a timeout: nothing came
        }
        OscMessageView v = OscMessageView.create(16);
        if (v.wrapChecked(p.getData(), 0, p.getLength(), 256) != null) {
            return null;
        }
        List<Object> out = new ArrayList<>();
        out.add(v.address());
        for (int i = 0; i < v.argCount(); i++) {
            out.add(v.isString(i) ? v.string(i) : (Object) v.number(i));
        }
        return out;
    }

    /** A folder kit of twelve short sines named by class, at {@code level}. */
    private static Path writeKit(Path dir, float level) throws Exception {
        Files.createDirectories(dir);
        String[] names = {"kick", "snare", "rim", "clap", "hihat_closed", "hihat_open", "tom_low", "tom_mid",
            "tom_high", "crash", "ride", "perc"};
        for (int c = 0; c < names.length; c++) {
            float[] x = new float[SR / 2];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (level * Math.exp(-i / (SR * 0.1)) * Math.sin(2 * Math.PI * (60 + 70 * c) * i / SR));
            }
            AudioFiles.writeWav16(dir.resolve(names[c] + ".wav"), x, SR);
        }
        return dir;
    }
}
