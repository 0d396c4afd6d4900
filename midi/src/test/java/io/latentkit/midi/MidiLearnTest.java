package io.latentkit.midi;

import static io.latentkit.midi.MidiHotPlugTest.noteOn;
import static io.latentkit.midi.MidiHotPlugTest.voiceStarts;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.PadParam;
import io.latentkit.core.kit.PadTarget;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.OfflineRender;
import io.latentkit.engine.control.EngineClock;
import io.latentkit.testsupport.TestKits;
import io.latentkit.testsupport.midi.VirtualController;
import io.latentkit.testsupport.midi.VirtualMidiDeviceProvider;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.ShortMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * MIDI learn and the two takeover modes, heard in the render: the MIDI side runs against the wall
 * clock, the engine renders offline afterwards on a fixed clock, and the level of each hit shows
 * the pad gain the knob left it with.
 */
class MidiLearnTest {
    private static final int SR = 48_000;
    private static final float DC = 0.125f;

    @AfterEach
    void unplug() {
        VirtualMidiDeviceProvider.unplugAll();
    }

    @Test
    void learnBindsTheNextKnobAndPickUpIgnoresItUntilItCrossesTheCurrentValue() throws Exception {
        Engine engine = Engine.create(EngineConfig.defaults(), TestKits.kit(SR, pad -> TestKits.dc(32, DC)),
                EngineClock.fixed(0, SR));
        VirtualController knobs = VirtualMidiDeviceProvider.plug("Test Knobs");
        AtomicReference<MidiMap> stored = new AtomicReference<>();
        try (MidiInput in = MidiInput.start(MidiConfig.defaults().withRescanIntervalMs(0).withTagTriggers(true),
                engine.proxy(), engine.clock())) {
            in.onMappingChanged(stored::set);
            CompletableFuture<MidiBinding> learned = in.learn("/pad/kick/gain", Takeover.PICKUP);
            assertFalse(learned.isDone());
            knobs.play(cc(0, 74, 120), -1); // the control moved while learning is bound
            MidiBinding b = learned.get(5, TimeUnit.SECONDS);
            assertEquals(new MidiBinding("Test Knobs", 1, 74, "/pad/0/gain", 0f, 4f, Takeover.PICKUP), b);
            assertEquals(List.of(b), in.mapping().bindings());
            assertEquals(in.mapping(), stored.get(), "the preset layer hears of the new table");

            // Gain is 1.0 (controller value 31.75 of 0..4). Above it, the knob is ignored.
            knobs.play(cc(0, 74, 110), -1);
            knobs.play(cc(0, 74, 90), -1);
            knobs.play(cc(0, 74, 40), -1);
            assertEquals(3, in.ignoredKnobMoves());
            knobs.play(noteOn(9, 36, 127), -1); // hit 1: gain still 1.0
            Thread.sleep(5);
            knobs.play(cc(0, 74, 20), -1); // crossed 1.0 on the way down: picked up, gain 20/127*4
            knobs.play(noteOn(9, 36, 127), -1); // hit 2
            Thread.sleep(5);
            knobs.play(cc(0, 74, 64), -1); // now it follows: 64/127*4
            knobs.play(noteOn(9, 36, 127), -1); // hit 3
            assertEquals(3, in.ignoredKnobMoves());
            assertEquals(64 / 127f * 4f, in.parameterValue(new PadTarget(0, PadParam.GAIN)), 1e-6f);

            // Something else (OSC, a preset) sets the gain: the knob loses its hold and must pick up again.
            in.parameterValue(new PadTarget(0, PadParam.GAIN), 0.5f);
            engine.proxy().setPadParam(0, PadParam.GAIN, 0.5f, engine.clock().frameAtNanoTime(System.nanoTime())
                    + in.latencyFrames());
            Thread.sleep(5);
            knobs.play(cc(0, 74, 100), -1); // ignored: it was never near 0.5
            knobs.play(noteOn(9, 36, 127), -1); // hit 4 at 0.5
            assertEquals(4, in.ignoredKnobMoves());

            // Jump mode: the first move takes the value at once.
            in.learn("/pad/1/gain", Takeover.JUMP);
            knobs.play(cc(0, 75, 0), -1);
            Thread.sleep(5);
            knobs.play(cc(0, 75, 127), -1);
            knobs.play(noteOn(9, 38, 127), -1); // snare at gain 4
            assertEquals(2, in.mapping().bindings().size());
            assertEquals(0, in.errors());
        }

        float[][] out = OfflineRender.render(engine, (int) engine.clock().frameAtNanoTime(System.nanoTime()) + SR / 4);
        List<long[]> hits = voiceStarts(engine);
        assertEquals(5, hits.size());
        float unit = out[0][(int) hits.get(0)[2]] / 1.0f; // hit 1 at gain 1 sets the scale (pan law included)
        assertTrue(unit > 0f);
        assertEquals(20 / 127f * 4f, out[0][(int) hits.get(1)[2]] / unit, 1e-5f);
        assertEquals(64 / 127f * 4f, out[0][(int) hits.get(2)[2]] / unit, 1e-5f);
        assertEquals(0.5f, out[0][(int) hits.get(3)[2]] / unit, 1e-5f);
        assertEquals(DrumClass.SNARE.pad(), hits.get(4)[1]);
        assertEquals(4f, out[0][(int) hits.get(4)[2]] / unit, 1e-5f);
    }

    @Test
    void bindingsAreValidatedAndStoredInCanonicalForm() {
        MidiBinding b = new MidiBinding("*", 0, 7, "snare/decay", 0f, 2f, Takeover.JUMP);
        assertEquals("/pad/1/decay", b.target());
        assertTrue(b.matches("any device", 5, 7));
        assertEquals(1f, b.valueFor(127) / 2f, 1e-6f);
        MidiMap m = MidiMap.EMPTY.with(b, true).with(new MidiBinding("*", 0, 7, "/pad/2/pan", -1f, 1f,
                Takeover.PICKUP), false);
        assertEquals(2, m.bindings().size(), "one knob may drive two parameters");
        assertEquals(1, m.with(b, true).bindings().size(), "learning a knob again replaces what it drove");
        assertEquals(1, m.without("/pad/2/pan").bindings().size());
        assertThrows("control must be 0..119", () -> new MidiBinding("*", 0, 123, "/pad/1/gain", 0f, 1f,
                Takeover.JUMP));
        assertThrows("no pad parameter 'loudness'", () -> PadTarget.parse("/pad/1/loudness"));
        assertThrows("pad must be 0..11", () -> PadTarget.parse("/pad/12/gain"));
        assertEquals(Takeover.PICKUP, Takeover.parse("pick-up"));
        assertEquals(1f, VelocityCurve.parse("fixed").apply(1));
        assertEquals(0.25f, VelocityCurve.parse("hard").apply(64), 0.01f);
        assertEquals(0f, VelocityCurve.LINEAR.apply(0));
        assertEquals(MidiConfig.OMNI, MidiConfig.parseChannel("omni"));
        assertThrows("MIDI channel must be 1..16 or omni", () -> MidiConfig.parseChannel("17"));
    }

    private static void assertThrows(String reason, Executable e) {
        IllegalArgumentException x = Assertions.assertThrows(IllegalArgumentException.class, e);
        assertTrue(x.getMessage().contains(reason), x.getMessage());
    }

    static ShortMessage cc(int channel0, int control, int value) throws InvalidMidiDataException {
        return new ShortMessage(ShortMessage.CONTROL_CHANGE, channel0, control, value);
    }
}
