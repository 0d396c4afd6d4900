package io.latentkit.midi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.DrumClass;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.OfflineRender;
import io.latentkit.engine.control.EngineClock;
import io.latentkit.engine.control.TelemetryHandler;
import io.latentkit.testsupport.Signals;
import io.latentkit.testsupport.TestKits;
import io.latentkit.testsupport.midi.VirtualController;
import io.latentkit.testsupport.midi.VirtualMidiDeviceProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.ShortMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Controllers plugged, pulled and plugged back through a real Java Sound device provider (test
 * scope). The MIDI side runs on real threads against the wall clock; the engine renders offline
 * afterwards on a fixed clock, so the frames the MIDI side chose are rendered exactly.
 */
class MidiHotPlugTest {
    private static final int SR = 48_000;
    private static final EngineConfig CONFIG = EngineConfig.defaults();

    @AfterEach
    void unplugEverything() {
        VirtualMidiDeviceProvider.unplugAll();
    }

    @Test
    void pluggedUnpluggedAndPluggedBackControllerResumesNotesAndItsHeldNoteWasReleased() throws Exception {
        // Every pad plays 20 s of DC: a note rings until something stops it.
        Engine engine = Engine.create(CONFIG, TestKits.kit(SR, pad -> TestKits.dc(SR * 20, 0.25f)),
                EngineClock.fixed(0, SR));
        MidiConfig config = MidiConfig.defaults().withRescanIntervalMs(0).withTagTriggers(true)
                .withDeviceChannels(Map.of("Keys", MidiConfig.OMNI));
        VirtualController pads = VirtualMidiDeviceProvider.plug("Test Pads");
        VirtualController keys = VirtualMidiDeviceProvider.plug("Test Keys");
        try (MidiInput in = MidiInput.start(config, engine.proxy(), engine.clock())) {
            assertEquals("connected", state(in, "Test Pads"));
            assertEquals("connected", state(in, "Test Keys"));

            pads.play(noteOn(9, 36, 100), -1); // kick, held: no note-off follows
            assertEquals(1, in.heldNotes("Test Pads"));
            Thread.sleep(30);

            VirtualMidiDeviceProvider.unplug("Test Pads");
            in.rescanNow();
            assertEquals("unplugged", state(in, "Test Pads"));
            assertEquals(0, in.heldNotes("Test Pads"));
            assertEquals(1, status(in, "Test Pads").releases());
            pads.play(noteOn(9, 38, 100), -1); // the cable is out: never arrives
            Thread.sleep(30);

            keys.play(noteOn(0, 38, 100), -1); // the other controller plays on (omni, channel 1)
            keys.play(noteOff(0, 38), -1);
            assertEquals("connected", state(in, "Test Keys"));
            assertEquals(1, status(in, "Test Keys").connects(), "the other device was never reconnected");
            Thread.sleep(30);

            VirtualController padsAgain = VirtualMidiDeviceProvider.plug("Test Pads");
            in.rescanNow();
            assertEquals("connected", state(in, "Test Pads"));
            assertEquals(2, status(in, "Test Pads").connects());
            padsAgain.play(noteOn(9, 42, 90), -1); // closed hat: notes resume
            padsAgain.play(noteOff(9, 42), -1);

            assertEquals(3, in.notes());
            assertEquals(0, in.errors());
        }

        float[][] out = OfflineRender.render(engine, (int) engine.clock().frameAtNanoTime(System.nanoTime()) + SR / 2);
        List<long[]> starts = voiceStarts(engine);
        assertEquals(3, starts.size(), "kick, snare from the other device, hat after the replug");
        assertEquals(DrumClass.KICK.pad(), starts.get(0)[1]);
        assertEquals(DrumClass.SNARE.pad(), starts.get(1)[1]);
        assertEquals(DrumClass.HIHAT_CLOSED.pad(), starts.get(2)[1]);
        int kickAt = (int) starts.get(0)[2];
        int snareAt = (int) starts.get(1)[2];
        assertTrue(snareAt - kickAt > SR / 100, "the unplug came between the two notes");
        assertNotEquals(0f, out[0][kickAt], "the kick sounded");
        // The kick would ring for 20 s; the unplug faded it before the snare came in.
        assertEquals(0f, out[0][snareAt - 1], "the held kick was released when its controller vanished");
        int releasedAt = kickAt;
        while (out[0][releasedAt] != 0f) {
            releasedAt++;
        }
        assertTrue(Signals.largestStep(out[0], kickAt + 1, releasedAt + 1) < 0.01f,
                "the release is a fade, not a click");
        assertNotEquals(0f, out[0][snareAt]);
        assertNotEquals(0f, out[0][(int) starts.get(2)[2]]);
        assertEquals(0, engine.counters().lateEvents());
    }

    @Test
    void scannerThreadNoticesAControllerComingAndGoingByItself() throws Exception {
        Engine engine = Engine.create(CONFIG, TestKits.kit(SR, pad -> TestKits.dc(10, 0.5f)), EngineClock.fixed(0, SR));
        try (MidiInput in = MidiInput.start(MidiConfig.defaults().withRescanIntervalMs(20), engine.proxy(),
                engine.clock())) {
            VirtualController c = VirtualMidiDeviceProvider.plug("Hotplug Pads");
            await(() -> "connected".equals(state(in, "Hotplug Pads")));
            assertTrue(c.isListenedTo());
            VirtualMidiDeviceProvider.unplug("Hotplug Pads");
            await(() -> "unplugged".equals(state(in, "Hotplug Pads")));
            VirtualMidiDeviceProvider.plug("Hotplug Pads");
            await(() -> "connected".equals(state(in, "Hotplug Pads")));
            assertEquals(2, status(in, "Hotplug Pads").connects());
            assertEquals(0, in.errors());
        }
    }

    @Test
    void midiInFilterIgnoresOtherDevicesAndTheJdkSynthAndSequencerAreNeverOpened() {
        Engine engine = Engine.create(CONFIG, TestKits.kit(SR, pad -> TestKits.dc(10, 0.5f)), EngineClock.fixed(0, SR));
        VirtualMidiDeviceProvider.plug("Drum Brain");
        VirtualMidiDeviceProvider.plug("Keyboard");
        try (MidiInput in = MidiInput.start(MidiConfig.defaults().withInputs(List.of("drum")).withRescanIntervalMs(0),
                engine.proxy(), engine.clock())) {
            assertEquals("connected", state(in, "Drum Brain"));
            assertEquals("ignored", state(in, "Keyboard"));
            for (MidiDeviceStatus s : in.devices()) {
                assertTrue(s.name().equals("Drum Brain") || s.name().equals("Keyboard"), s.name());
            }
        }
        List<String> kinds = new ArrayList<>();
        for (MidiPorts.Entry e : MidiPorts.list()) {
            kinds.add(e.name() + "=" + e.kind());
        }
        assertTrue(kinds.contains("Gervill=synthesizer"), kinds.toString());
        assertTrue(kinds.contains("Real Time Sequencer=sequencer"), kinds.toString());
        assertTrue(kinds.contains("Drum Brain=input+output"), kinds.toString());
    }

    static String state(MidiInput in, String name) {
        MidiDeviceStatus s = status(in, name);
        return s == null ? "absent" : s.state();
    }

    static MidiDeviceStatus status(MidiInput in, String name) {
        for (MidiDeviceStatus s : in.devices()) {
            if (s.name().equals(name)) {
                return s;
            }
        }
        return null;
    }

    static ShortMessage noteOn(int channel0, int note, int velocity) throws InvalidMidiDataException {
        return new ShortMessage(ShortMessage.NOTE_ON, channel0, note, velocity);
    }

    static ShortMessage noteOff(int channel0, int note) throws InvalidMidiDataException {
        return new ShortMessage(ShortMessage.NOTE_OFF, channel0, note, 0);
    }

    /** Voice starts reported by telemetry as {tag, pad, frame}, in order. */
    static List<long[]> voiceStarts(Engine engine) {
        List<long[]> starts = new ArrayList<>();
        engine.telemetry().poll(new TelemetryHandler() {
            @Override
            public void onVoiceStarted(long tag, int pad, long frame) {
                starts.add(new long[] {tag, pad, frame});
            }
        }, 100_000);
        return starts;
    }

    /** Waits (up to 10 s, polling) for a state the scanner thread brings about. */
    static void await(BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 1000 && !condition.getAsBoolean(); i++) {
            Thread.sleep(10);
        }
        assertTrue(condition.getAsBoolean(), "condition not reached within 10 s");
    }
}
