package io.latentkit.server;

import io.latentkit.midi.MidiConfig;
import io.latentkit.midi.MidiInput;
import io.latentkit.testsupport.midi.VirtualMidiDeviceProvider;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.DrumClass;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.control.EngineSnapshot;
import io.latentkit.engine.sink.NullSink;
import io.latentkit.engine.sink.RecoveringJavaSoundSink;
import io.latentkit.testsupport.audio.CaptureMixer;
import io.latentkit.core.kit.PadParam;
import io.latentkit.core.kit.DefaultKit;
import io.latentkit.models.Models;
import io.latentkit.osc.OscServer;
import io.latentkit.osc.OscServerConfig;
import io.latentkit.osc.codec.OscMessageView;
import io.latentkit.osc.codec.OscMessageWriter;
import io.latentkit.presets.DataFolder;
import io.latentkit.presets.kit.KitLibrary;
import io.latentkit.presets.preset.PresetStore;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's OSC actions (presets, MIDI learn, model status) over a real UDP socket, against a
 * real-time engine, the real preset folder and the real OSC server.
 */
class OscServeActionsTest {
    private static final int SR = 48_000;

    @TempDir
    Path home;

    private Engine engine;
    private OscServer osc;
    private ServerKits kits;
    private ServeActions actions;
    private DatagramSocket client;

    @BeforeEach
    void start() throws Exception {
        DataFolder data = new DataFolder(home).create();
        engine = Engine.create(EngineConfig.defaults(), DefaultKit.create(SR));
        engine.warmupBlocks(0);
        engine.start(new NullSink(512));
        kits = new ServerKits(SR, new KitLibrary(data));
        osc = OscServer.start(OscServerConfig.defaults().withPort(0), engine, kits);
        PresetStore store = new PresetStore(data.presets());
        actions = new ServeActions(new PresetActions(engine.proxy(), engine.commands(), kits, store, null), store, null);
        osc.actions(actions);
        client = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        client.setSoTimeout(10_000);
    }

    @AfterEach
    void stop() {
        client.close();
        osc.close();
        engine.close();
    }

    private void send(String address, String tags, Object... args) throws Exception {
        OscMessageWriter w = new OscMessageWriter(1024).begin(address, tags);
        for (Object a : args) {
            if (a instanceof String s) {
                w.putString(s);
            } else if (a instanceof Float f) {
                w.putFloat(f);
            } else {
                w.putInt((Integer) a);
            }
        }
        client.send(new DatagramPacket(w.buffer(), w.length(), InetAddress.getLoopbackAddress(), osc.port()));
    }

    /** The next reply as address followed by its arguments, e.g. [/done, /preset/save, set-a]. */
    private List<String> reply() throws Exception {
        DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
        client.receive(p);
        OscMessageView v = OscMessageView.create(64);
        v.wrapChecked(p.getData(), 0, p.getLength(), 256);
        List<String> out = new ArrayList<>();
        out.add(v.address());
        for (int i = 0; i < v.argCount(); i++) {
            out.add(v.isString(i) ? v.string(i) : v.type(i) == 'f' ? Float.toString(v.floatArg(i))
                    : Integer.toString(v.intArg(i)));
        }
        return out;
    }

    @Test
    void presetsSaveListAndLoadOverOsc() throws Exception {
        send("/pad/snare/pitch", "f", -3f);
        send("/tempo", "f", 90f);
        send("/preset/save", "s", "set-a");
        assertEquals(List.of("/done", "/preset/save", "set-a"), reply());
        send("/preset/list", "");
        assertEquals(List.of("/preset/list.reply", "set-a"), reply());

        send("/pad/snare/pitch", "f", 5f);
        send("/preset/load", "s", "set-a");
        assertEquals(List.of("/done", "/preset/load", "set-a"), reply());
        EngineSnapshot now = new EngineSnapshot();
        engine.proxy().snapshot(now);
        assertTrue(now.await(5, TimeUnit.SECONDS));
        assertEquals(-3f, now.pad(DrumClass.SNARE.pad(), PadParam.PITCH), "the preset's value is back");
        assertEquals(90f, now.tempoBpm());
    }

    @Test
    void badNamesAndMissingPresetsFailWithAReason() throws Exception {
        send("/preset/load", "s", "../../etc/passwd");
        assertEquals(List.of("/fail", "/preset/load", "../../etc/passwd",
                "preset names are names in the library, not paths"), reply());
        send("/preset/load", "s", "never-saved");
        List<String> r = reply();
        assertEquals(List.of("/fail", "/preset/load", "never-saved"), r.subList(0, 3));
        assertTrue(r.get(3).contains("never-saved"), r.get(3));
        send("/midi/learn", "s", "snare/pitch");
        assertEquals(List.of("/fail", "/midi/learn", "snare/pitch", "MIDI is off (--no-midi)"), reply());
    }

    @Test
    void statusListsTheMidiDevicesAndTheirState() throws Exception {
        VirtualMidiDeviceProvider.plug("Status Pads");
        try (MidiInput midi = MidiInput.start(
                MidiConfig.defaults(), engine)) {
            PresetStore store = new PresetStore(new DataFolder(home).presets());
            osc.actions(new ServeActions(new PresetActions(engine.proxy(), engine.commands(), kits, store, midi), store, midi));
            send("/status", "");
            List<String> r = reply();
            assertTrue(r.contains("midi Status Pads: " + midi.devices().get(0).state()), r.toString());
        } finally {
            VirtualMidiDeviceProvider.unplugAll();
        }
    }

    @Test
    void statusSaysWhetherTheModelsAreAvailable() throws Exception {
        send("/status", "");
        List<String> before = reply();
        // The models' pair comes before the five pairs of misses by cause.
        assertEquals(List.of("models", "0"), before.subList(before.size() - 12, before.size() - 10));
        actions.models(Models.loadDefault());
        send("/status", "");
        List<String> after = reply();
        assertEquals(List.of("models", "1"), after.subList(after.size() - 12, after.size() - 10));
        assertEquals("misses_unexplained", after.get(after.size() - 2));
    }

    @Test
    void statusCountsTheRecoveringAudioOutputsLossesReopensAndBlocksIntoNothing() throws Exception {
        send("/status", "");
        assertTrue(!reply().contains("audio_losses"), "no recovering output, no pairs");

        // The real sink on the test-scope capture device, found through AudioSystem; this thread
        // plays the render thread's part.
        RecoveringJavaSoundSink sink = new RecoveringJavaSoundSink(CaptureMixer.NAME, 256);
        sink.open(SR, 64);
        try {
            actions.audioSink(sink);
            float[] block = new float[128];
            CaptureMixer.lastLine().failWrites(true); // the device takes nothing: unplugged
            long until = System.nanoTime() + 10_000_000_000L;
            while ((sink.losses() < 1 || sink.reopens() < 1 || sink.nullBlocks() < 1) && System.nanoTime() < until) {
                sink.write(block, 64);
            }
            send("/status", "");
            List<String> r = reply();
            int at = r.indexOf("audio_losses");
            assertTrue(at > 0, r.toString());
            assertEquals(List.of("audio_losses", Long.toString(sink.losses()), "audio_reopens",
                    Long.toString(sink.reopens()), "audio_null_blocks"), r.subList(at, at + 5));
            assertTrue(Long.parseLong(r.get(at + 5)) >= 1, "blocks into nothing: " + r);
            assertEquals(1L, sink.losses(), "the reopened line takes blocks again");
        } finally {
            sink.close();
        }
    }
}
