package io.latentkit.midi;

import static io.latentkit.midi.MidiHotPlugTest.noteOn;
import static io.latentkit.midi.MidiHotPlugTest.voiceStarts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.management.ThreadMXBean;
import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.PadParam;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.OfflineRender;
import io.latentkit.engine.control.EngineClock;
import io.latentkit.testsupport.TestKits;
import io.latentkit.testsupport.midi.VirtualController;
import io.latentkit.testsupport.midi.VirtualMidiDeviceProvider;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.sound.midi.ShortMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MidiNoteMappingTest {
    private static final int SR = 48_000;

    @AfterEach
    void unplug() {
        VirtualMidiDeviceProvider.unplugAll();
    }

    @Test
    void drumChannelNotesPlayTheirGmPadThroughTheVelocityCurveAndTheRestAreCounted() throws Exception {
        Engine engine = Engine.create(EngineConfig.defaults(), TestKits.kit(SR, pad -> TestKits.dc(32, 0.5f)),
                EngineClock.fixed(0, SR));
        for (int pad = 0; pad < DrumClass.COUNT; pad++) {
            engine.proxy().setPadParam(pad, PadParam.CURVE, 1f, 0); // gain follows velocity linearly
        }
        VirtualController pads = VirtualMidiDeviceProvider.plug("Mapping Pads");
        try (MidiInput in = MidiInput.start(MidiConfig.defaults().withRescanIntervalMs(0).withTagTriggers(true)
                .withVelocityCurve(VelocityCurve.parse("hard")), engine.proxy(), engine.clock())) {
            pads.play(noteOn(9, 40, 127), -1); // electric snare -> snare pad, full velocity
            Thread.sleep(5);
            pads.play(noteOn(9, 44, 64), -1); // pedal hat -> closed hat, (64/127)^2
            pads.play(noteOn(0, 36, 127), -1); // channel 1: not the drum channel
            pads.play(noteOn(9, 20, 127), -1); // below the GM drum range
            assertEquals(2, in.notes());
            assertEquals(1, in.otherChannelNotes());
            assertEquals(1, in.unmappedNotes());
        }
        float[][] out = OfflineRender.render(engine, (int) engine.clock().frameAtNanoTime(System.nanoTime()) + SR / 4);
        List<long[]> starts = voiceStarts(engine);
        assertEquals(2, starts.size());
        assertEquals(DrumClass.SNARE.pad(), starts.get(0)[1]);
        assertEquals(40, MidiInput.noteOfTag(starts.get(0)[0]));
        assertEquals(DrumClass.HIHAT_CLOSED.pad(), starts.get(1)[1]);
        float full = out[0][(int) starts.get(0)[2]];
        assertEquals((float) Math.pow(64 / 127.0, 2), out[0][(int) starts.get(1)[2]] / full, 1e-5f);
    }

    @Test
    void presetNoteOverridesReplaceTheGmMapForTheirNotesOnly() throws Exception {
        Engine engine = Engine.create(EngineConfig.defaults(), TestKits.kit(SR, pad -> TestKits.dc(32, 0.5f)),
                EngineClock.fixed(0, SR));
        VirtualController pads = VirtualMidiDeviceProvider.plug("Override Pads");
        try (MidiInput in = MidiInput.start(MidiConfig.defaults().withRescanIntervalMs(0).withTagTriggers(true),
                engine.proxy(), engine.clock())) {
            in.noteOverrides(Map.of(36, DrumClass.CLAP.pad(), 20, DrumClass.RIDE.pad()));
            assertEquals(DrumClass.CLAP.pad(), in.padForNote(36));
            assertEquals(DrumClass.SNARE.pad(), in.padForNote(38));
            pads.play(noteOn(9, 36, 100), -1); // kick's note now claps
            Thread.sleep(5);
            pads.play(noteOn(9, 20, 100), -1); // outside the GM map, given a pad by the override
            Thread.sleep(5);
            pads.play(noteOn(9, 38, 100), -1); // not overridden: GM snare
            assertThrows(IllegalArgumentException.class,
                    () -> in.noteOverrides(Map.of(128, 0)));
            assertEquals(DrumClass.CLAP.pad(), in.padForNote(36), "a refused table changes nothing");
            in.noteOverrides(Map.of());
            assertEquals(DrumClass.KICK.pad(), in.padForNote(36));
        }
        OfflineRender.render(engine, (int) engine.clock().frameAtNanoTime(System.nanoTime()) + SR / 4);
        List<long[]> starts = voiceStarts(engine);
        assertEquals(3, starts.size());
        assertEquals(DrumClass.CLAP.pad(), starts.get(0)[1]);
        assertEquals(DrumClass.RIDE.pad(), starts.get(1)[1]);
        assertEquals(DrumClass.SNARE.pad(), starts.get(2)[1]);
    }

    @Test
    void translatingNotesAndKnobMovesAndTakingValueReportsAllocatesNothing() throws Exception {
        Engine engine = Engine.create(EngineConfig.defaults().withRingSize(1 << 17), TestKits.kit(SR,
                pad -> TestKits.dc(32, 0.5f)), EngineClock.fixed(0, SR));
        VirtualMidiDeviceProvider.plug("Alloc Pads");
        try (MidiInput in = MidiInput.start(MidiConfig.defaults().withRescanIntervalMs(0), engine.proxy(),
                engine.clock())) {
            in.mapping(MidiMap.EMPTY.with(new MidiBinding("*", 0, 74, "/pad/1/decay", 0f, 2f, Takeover.JUMP), true));
            DeviceConnection c = in.connection("Alloc Pads");
            ShortMessage on = noteOn(9, 38, 100);
            ShortMessage off = MidiHotPlugTest.noteOff(9, 38);
            ShortMessage knob = MidiLearnTest.cc(0, 74, 50);
            ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
            long id = Thread.currentThread().getId();
            long t = System.nanoTime();
            for (int i = 0; i < 20_000; i++) { // warm-up: let the JIT compile the path
                in.accept(c, on, -1, t);
                in.accept(c, off, -1, t);
                in.accept(c, knob, -1, t);
                in.onValue("/pad/1/decay", (i & 1) == 0 ? 0.5f : 0.25f); // as telemetry reports values
            }
            // Steady state: rounds of 3000 messages until one allocates nothing (the JIT's own
            // one-off work may still land in an early round on a loaded host), then two more
            // rounds must allocate nothing too.
            List<Long> rounds = new ArrayList<>();
            int zeroRun = 0;
            while (zeroRun < 3 && rounds.size() < 30) {
                long before = mx.getThreadAllocatedBytes(id);
                for (int i = 0; i < 1000; i++) {
                    in.accept(c, on, -1, t);
                    in.accept(c, off, -1, t);
                    in.accept(c, knob, -1, t);
                    in.onValue("/pad/1/decay", (i & 1) == 0 ? 0.5f : 0.25f);
                }
                long bytes = mx.getThreadAllocatedBytes(id) - before;
                rounds.add(bytes);
                zeroRun = bytes == 0 ? zeroRun + 1 : 0;
            }
            assertEquals(3, zeroRun, "bytes allocated per 3000 messages and 1000 value reports, by round: " + rounds);
            System.out.println("MIDI translation, bytes allocated per 3000 messages and 1000 value reports by round: " + rounds);
            assertEquals(20_000 + 1000L * rounds.size(), in.notes());
            assertEquals(0, in.droppedEvents());
        }
    }
}
