package io.latentkit.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.kit.DefaultKit;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.sink.NullSink;
import io.latentkit.osc.OscServer;
import io.latentkit.osc.OscServerConfig;
import io.latentkit.osc.codec.OscMessageView;
import io.latentkit.osc.codec.OscMessageWriter;
import io.latentkit.presets.DataFolder;
import io.latentkit.presets.LibraryException;
import io.latentkit.presets.kit.KitLibrary;
import io.latentkit.presets.preset.Autosaver;
import io.latentkit.presets.preset.Preset;
import io.latentkit.presets.preset.PresetCodec;
import io.latentkit.presets.preset.PresetStore;
import io.latentkit.presets.store.AtomicJsonFile;
import java.io.IOException;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The presets folder fills up, or turns read-only, during a preset save (and fills up during an
 * autosave): on a real, small tmpfs mounted for the test (the machine and CI run as root; elsewhere
 * the test is skipped with the reason). The sender gets {@code /fail} with the reason, the previous
 * files are byte-identical, no temporary file is left behind, and the next save after space (or
 * write access) returns succeeds.
 */
class DiskFullTest {
    private static final int SR = 48_000;

    @TempDir
    Path home;

    @Test
    void aFullDiskFailsTheSaveWithTheReasonKeepsThePreviousFileAndTheNextSaveSucceeds() throws Exception {
        DataFolder data = new DataFolder(home).create();
        Path presets = data.presets().root();
        mountTmpfs(presets, "512k");
        Engine engine = Engine.create(EngineConfig.defaults(), DefaultKit.create(SR));
        engine.warmupBlocks(0);
        engine.start(new NullSink(512));
        OscServer osc = OscServer.start(OscServerConfig.defaults().withPort(0), engine,
                new ServerKits(SR, new KitLibrary(data)));
        AtomicReference<Preset> state = new AtomicReference<>(Preset.defaults().withTempo(100));
        Autosaver autosaver = new Autosaver(data.presets(), state::get, Duration.ofHours(1));
        try (DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            client.setSoTimeout(10_000);
            PresetStore store = new PresetStore(data.presets());
            ServerKits kits = new ServerKits(SR, new KitLibrary(data));
            osc.actions(new ServeActions(new PresetActions(engine.proxy(), engine.commands(), kits, store, null),
                    store, null));
            autosaver.start();
            autosaver.saveNow();
            send(client, osc, "/preset/save", "set-a");
            assertEquals(List.of("/done", "/preset/save", "set-a"), reply(client));
            Path saved = presets.resolve("set-a.json");
            byte[] before = Files.readAllBytes(saved);
            byte[] autosaveBefore = Files.readAllBytes(autosaver.autosaveFile());

            Path filler = presets.resolve("filler.bin");
            fill(filler);
            send(client, osc, "/tempo", "f", 140f);
            send(client, osc, "/preset/save", "set-a");
            List<String> r = reply(client);
            assertEquals(List.of("/fail", "/preset/save", "set-a"), r.subList(0, 3), r.toString());
            assertTrue(r.get(3).contains("No space left on device"), r.get(3));
            assertArrayEquals(before, Files.readAllBytes(saved), "the previous preset is byte-identical");
            state.set(Preset.defaults().withTempo(140));
            LibraryException e = assertThrows(LibraryException.class, autosaver::saveNow);
            assertTrue(e.getMessage().contains("No space left on device"), e.getMessage());
            assertArrayEquals(autosaveBefore, Files.readAllBytes(autosaver.autosaveFile()),
                    "the previous autosave is byte-identical");
            assertEquals(List.of(), temporaries(presets), "no temporary file left on the full disk");

            Files.delete(filler);
            send(client, osc, "/preset/save", "set-a");
            assertEquals(List.of("/done", "/preset/save", "set-a"), reply(client));
            assertEquals(140.0, store.load("set-a").tempoBpm(), 1e-3, "the new state was saved");
            autosaver.saveNow();
            assertEquals(140.0, new AtomicJsonFile<>(autosaver.autosaveFile(), PresetCodec.INSTANCE, "autosave").load().value()
                    .tempoBpm(), 1e-3,
                    "the autosave was written once space returned");
        } finally {
            autosaver.close();
            osc.close();
            engine.close();
            umount(presets);
        }
    }

    @Test
    void aFolderThatTurnsReadOnlyFailsTheSaveWithTheReasonKeepsThePreviousFileAndTheNextSaveSucceeds()
            throws Exception {
        // A storage card the kernel remounted read-only after an error, as installations meet it:
        // a real tmpfs remounted read-only (root ignores file modes, so chmod would prove nothing).
        DataFolder data = new DataFolder(home).create();
        Path presets = data.presets().root();
        mountTmpfs(presets, "512k");
        Engine engine = Engine.create(EngineConfig.defaults(), DefaultKit.create(SR));
        engine.warmupBlocks(0);
        engine.start(new NullSink(512));
        OscServer osc = OscServer.start(OscServerConfig.defaults().withPort(0), engine,
                new ServerKits(SR, new KitLibrary(data)));
        try (DatagramSocket client = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            client.setSoTimeout(10_000);
            PresetStore store = new PresetStore(data.presets());
            ServerKits kits = new ServerKits(SR, new KitLibrary(data));
            osc.actions(new ServeActions(new PresetActions(engine.proxy(), engine.commands(), kits, store, null),
                    store, null));
            send(client, osc, "/preset/save", "set-a");
            assertEquals(List.of("/done", "/preset/save", "set-a"), reply(client));
            Path saved = presets.resolve("set-a.json");
            byte[] before = Files.readAllBytes(saved);

            remount(presets, "ro");
            send(client, osc, "/tempo", "f", 140f);
            send(client, osc, "/preset/save", "set-a");
            List<String> r = reply(client);
            assertEquals(List.of("/fail", "/preset/save", "set-a"), r.subList(0, 3), r.toString());
            assertTrue(r.get(3).contains("Read-only file system"), r.get(3));
            assertTrue(!r.get(3).contains("\n"), "one line: " + r.get(3));
            assertArrayEquals(before, Files.readAllBytes(saved), "the previous preset is byte-identical");
            assertEquals(List.of(), temporaries(presets), "no temporary file left");

            remount(presets, "rw");
            send(client, osc, "/preset/save", "set-a");
            assertEquals(List.of("/done", "/preset/save", "set-a"), reply(client));
            assertEquals(140.0, store.load("set-a").tempoBpm(), 1e-3, "the new state was saved");
        } finally {
            osc.close();
            engine.close();
            umount(presets);
        }
    }

    @Test
    void aFolderThatTurnsReadOnlyFailsTheAutosaveWithTheReasonKeepsThePreviousOneAndTheNextSucceeds()
            throws Exception {
        DataFolder data = new DataFolder(home).create();
        Path presets = data.presets().root();
        mountTmpfs(presets, "512k");
        AtomicReference<Preset> state = new AtomicReference<>(Preset.defaults().withTempo(100));
        Autosaver autosaver = new Autosaver(data.presets(), state::get, Duration.ofHours(1));
        try {
            autosaver.start();
            autosaver.saveNow();
            byte[] before = Files.readAllBytes(autosaver.autosaveFile());
            // The autosaver holds its session lock open for writing, so the tmpfs itself cannot be
            // remounted read-only (busy); a read-only bind mount stacked on the folder turns every
            // new open there read-only while the held lock stays, as a kernel's errors=remount-ro would.
            run("mount", "--bind", presets.toString(), presets.toString());
            run("mount", "-o", "remount,bind,ro", presets.toString());
            state.set(Preset.defaults().withTempo(140));
            LibraryException e = assertThrows(LibraryException.class, autosaver::saveNow);
            Files.writeString(Files.createDirectories(Path.of("target", "reliability")).resolve("autosave-read-only.txt"),
                    e.getMessage() + System.lineSeparator());
            assertTrue(e.getMessage().contains("Read-only file system"), e.getMessage());
            assertTrue(!e.getMessage().contains("\n"), "one line: " + e.getMessage());
            assertArrayEquals(before, Files.readAllBytes(autosaver.autosaveFile()), "the previous autosave is byte-identical");
            assertEquals(List.of(), temporaries(presets), "no temporary file left");
            run("umount", presets.toString()); // the bind mount: writable again
            autosaver.saveNow();
            assertEquals(140.0, new AtomicJsonFile<>(autosaver.autosaveFile(), PresetCodec.INSTANCE, "autosave").load()
                    .value().tempoBpm(), 1e-3, "the autosave was written once the folder was writable again");
        } finally {
            autosaver.close();
            umount(presets); // the bind mount, if a failure left it
            umount(presets);
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", command) + ": " + out);
    }

    private static void remount(Path dir, String mode) throws Exception {
        Process p = new ProcessBuilder("mount", "-o", "remount," + mode, dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "remount " + mode + ": " + out);
    }

    private static void mountTmpfs(Path dir, String size) throws Exception {
        Process p = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        boolean done = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        Assumptions.assumeTrue(done, "cannot mount a small tmpfs here (needs root): " + out);
    }

    private static void umount(Path dir) throws Exception {
        Process p = new ProcessBuilder("umount", dir.toString()).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        p.waitFor(30, TimeUnit.SECONDS);
    }

    /** Writes until the filesystem refuses: then it is full. */
    private static void fill(Path filler) {
        byte[] chunk = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
                out.flush();
            }
        } catch (IOException full) {
            assertTrue(String.valueOf(full.getMessage()).contains("No space left on device"), full.toString());
        }
    }

    private static List<String> temporaries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tmp-")).toList();
        }
    }

    private static void send(DatagramSocket client, OscServer osc, String address, String value) throws Exception {
        OscMessageWriter w = new OscMessageWriter(1024).begin(address, "s");
        w.putString(value);
        client.send(new DatagramPacket(w.buffer(), w.length(), InetAddress.getLoopbackAddress(), osc.port()));
    }

    private static void send(DatagramSocket client, OscServer osc, String address, String tags, float value)
            throws Exception {
        OscMessageWriter w = new OscMessageWriter(1024).begin(address, tags);
        w.putFloat(value);
        client.send(new DatagramPacket(w.buffer(), w.length(), InetAddress.getLoopbackAddress(), osc.port()));
    }

    private static List<String> reply(DatagramSocket client) throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
        client.receive(p);
        OscMessageView v = OscMessageView.create(64);
        v.wrapChecked(p.getData(), 0, p.getLength(), 256);
        List<String> out = new ArrayList<>();
        out.add(v.address());
        for (int i = 0; i < v.argCount(); i++) {
            out.add(v.isString(i) ? v.string(i) : Integer.toString(v.intArg(i)));
        }
        return out;
    }
}
