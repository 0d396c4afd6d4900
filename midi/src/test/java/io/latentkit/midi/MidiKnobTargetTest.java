package io.latentkit.midi;

import static io.latentkit.midi.MidiHotPlugTest.noteOn;
import static io.latentkit.midi.MidiHotPlugTest.voiceStarts;
import static io.latentkit.midi.MidiLearnTest.cc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.latentkit.core.kit.PadParam;
import io.latentkit.core.kit.PadTarget;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.OfflineRender;
import io.latentkit.engine.control.EngineClock;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.control.TelemetryHandler;
import io.latentkit.testsupport.TestKits;
import io.latentkit.testsupport.midi.VirtualController;
import io.latentkit.testsupport.midi.VirtualMidiDeviceProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Knobs drive any {@link KnobTarget} a resolver supplies by address, not only pad parameters;
 * pick-up follows values reported from outside; preset tables load as they always did. The MIDI
 * side runs against the wall clock, the engine renders offline afterwards on a fixed clock.
 */
class MidiKnobTargetTest {
    private static final int SR = 48_000;
    private static final float DC = 0.125f;

    @AfterEach
    void unplug() {
        VirtualMidiDeviceProvider.unplugAll();
    }

    /** The engine tempo as a knob target, as the control namespace will offer it: 20..400 BPM. */
    private static KnobTarget tempo(EngineProxy proxy) {
        return new KnobTarget() {
            @Override
            public String address() {
                return "/tempo";
            }

            @Override
            public float min() {
                return 20f;
            }

            @Override
            public float max() {
                return 400f;
            }

            @Override
            public boolean set(float value, long atFrame) {
                return proxy.setTempo(value, atFrame);
            }
        };
    }

    private static Function<String, KnobTarget> tempoAndPads(EngineProxy proxy) {
        KnobTarget tempo = tempo(proxy);
        Function<String, KnobTarget> pads = PadKnobTarget.resolver(proxy);
        return address -> address.equals("/tempo") ? tempo : pads.apply(address);
    }

    private static Engine engine() {
        return Engine.create(EngineConfig.defaults(), TestKits.kit(SR, pad -> TestKits.dc(32, DC)),
                EngineClock.fixed(0, SR));
    }

    private static MidiInput input(Engine engine) {
        return MidiInput.start(MidiConfig.defaults().withRescanIntervalMs(0).withTagTriggers(true), engine.proxy(),
                engine.clock());
    }

    @Test
    void knobLearnedOnAnAddressTheResolverSuppliesDrivesThatTargetAndPickUpOfAnUnknownValueTakesHoldAtOnce()
            throws Exception {
        Engine engine = engine();
        VirtualController knobs = VirtualMidiDeviceProvider.plug("Tempo Knobs");
        float bpm;
        try (MidiInput in = input(engine)) {
            in.targetResolver(tempoAndPads(engine.proxy()));
            CompletableFuture<MidiBinding> learned = in.learn("/tempo", Takeover.PICKUP);
            knobs.play(cc(0, 21, 64), -1);
            MidiBinding binding = learned.get(5, TimeUnit.SECONDS);
            assertEquals(new MidiBinding("Tempo Knobs", 1, 21, "/tempo", 20f, 400f, Takeover.PICKUP), binding);
            // Nothing has said what the tempo is: the first move takes hold instead of waiting forever.
            knobs.play(cc(0, 21, 40), -1);
            bpm = binding.valueFor(40);
            assertEquals(0, in.ignoredKnobMoves());
            assertEquals(0, in.errors());
            // Pads still resolve through the same resolver.
            in.learn("/pad/snare/gain", Takeover.JUMP);
            knobs.play(cc(0, 22, 0), -1);
            assertEquals(List.of("/tempo", "/pad/1/gain"),
                    in.mapping().bindings().stream().map(MidiBinding::target).toList());
        }
        List<Long> beats = new ArrayList<>();
        OfflineRender.render(engine, (int) engine.clock().frameAtNanoTime(System.nanoTime()) + SR * 2);
        engine.telemetry().poll(new TelemetryHandler() {
            @Override
            public void onBeat(long beat, long frame) {
                beats.add(frame);
            }
        }, 100_000);
        long last = beats.get(beats.size() - 1) - beats.get(beats.size() - 2);
        assertEquals(60.0 * SR / bpm, last, 1.0, "beats spaced at the tempo the knob set (" + bpm + " BPM)");
    }

    @Test
    void echoesOfAKnobsOwnMovesKeepItsHoldAndAnyOtherReportedValueTakesItAway() throws Exception {
        Engine engine = engine();
        VirtualController knobs = VirtualMidiDeviceProvider.plug("Echo Knobs");
        PadTarget kickGain = new PadTarget(0, PadParam.GAIN);
        float lastHeld;
        try (MidiInput in = input(engine)) {
            in.mapping(MidiMap.EMPTY.with(new MidiBinding("*", 0, 30, "/pad/0/gain", 0f, 4f, Takeover.PICKUP), true));
            knobs.play(noteOn(9, 36, 127), -1); // hit 0: gain 1, the scale
            Thread.sleep(5);
            knobs.play(cc(0, 30, 40), -1); // gain is 1.0; 40 is above it: ignored
            knobs.play(cc(0, 30, 20), -1); // crossed 1.0: picked up
            assertEquals(1, in.ignoredKnobMoves());
            knobs.play(cc(0, 30, 21), -1);
            // The engine's telemetry reports the knob's own moves back, late and out of step with the knob.
            assertTrue(in.onValue("/pad/0/gain", 20 / 127f * 4f));
            assertTrue(in.onValue("/pad/0/gain", 21 / 127f * 4f));
            knobs.play(cc(0, 30, 22), -1);
            assertTrue(in.onValue("/pad/0/gain", 21 / 127f * 4f)); // an old echo arriving after a newer move
            knobs.play(cc(0, 30, 23), -1);
            assertEquals(1, in.ignoredKnobMoves(), "echoes never cost the knob its hold");
            lastHeld = 23 / 127f * 4f;
            assertEquals(lastHeld, in.parameterValue(kickGain), 1e-6f);
            knobs.play(noteOn(9, 36, 127), -1); // hit 1: at the knob's gain

            // Something else set the gain: the knob must pick up again from there.
            assertTrue(in.onValue("/pad/0/gain", 3f));
            assertEquals(3f, in.parameterValue(kickGain));
            knobs.play(cc(0, 30, 24), -1);
            assertEquals(2, in.ignoredKnobMoves());

            // Reports are clamped into the target's range and resolved like bindings.
            assertTrue(in.onValue("/pad/0/gain", 9f));
            assertEquals(4f, in.parameterValue(kickGain));
            assertTrue(in.onValue("snare/decay", 5f));
            assertEquals(5f, in.parameterValue(new PadTarget(1, PadParam.DECAY)));
            assertFalse(in.onValue("/pad/1/loudness", 1f));
            assertFalse(in.onValue("/tempo", 120f), "the default resolver knows pads only");
            assertEquals(0, in.errors());
        }
        float[][] out = OfflineRender.render(engine, (int) engine.clock().frameAtNanoTime(System.nanoTime()) + SR / 4);
        List<long[]> hits = voiceStarts(engine);
        assertEquals(2, hits.size());
        float unit = out[0][(int) hits.get(0)[2]];
        assertEquals(lastHeld, out[0][(int) hits.get(1)[2]] / unit, 1e-5f, "the hit after the echoes played at the knob's gain");
    }

    @Test
    void presetTableInTheReadmesJsonLoadsAndIsWrittenBackUnchanged() throws Exception {
        String json = "{\"version\":1,\"bindings\":["
                + "{\"device\":\"nanoKONTROL2\",\"channel\":1,\"control\":16,\"target\":\"/pad/1/decay\","
                + "\"min\":0.0,\"max\":2.0,\"takeover\":\"PICKUP\"},"
                + "{\"device\":\"*\",\"channel\":0,\"control\":74,\"target\":\"/pad/0/gain\","
                + "\"min\":0.0,\"max\":4.0,\"takeover\":\"JUMP\"}]}";
        ObjectMapper mapper = new ObjectMapper();
        MidiMap read = mapper.readValue(json, MidiMap.class);
        assertEquals(new MidiMap(1, List.of(
                new MidiBinding("nanoKONTROL2", 1, 16, "/pad/1/decay", 0f, 2f, Takeover.PICKUP),
                new MidiBinding("*", 0, 74, "/pad/0/gain", 0f, 4f, Takeover.JUMP))), read);
        Engine engine = engine();
        try (MidiInput in = input(engine)) {
            in.mapping(read);
            assertEquals(mapper.readTree(json), mapper.readTree(mapper.writeValueAsString(in.mapping())));
        }
        // Short pad forms written by hand are stored in canonical form, as before.
        MidiMap hand = mapper.readValue(json.replace("/pad/1/decay", "snare/decay"), MidiMap.class);
        assertEquals("/pad/1/decay", hand.bindings().get(0).target());
    }

    @Test
    void tableWithATargetTheResolverDoesNotKnowIsRefusedWholeAndTheTableInForceStays() throws Exception {
        Engine engine = engine();
        VirtualController knobs = VirtualMidiDeviceProvider.plug("Refusing Knobs");
        try (MidiInput in = input(engine)) {
            MidiMap good = MidiMap.EMPTY.with(new MidiBinding("*", 0, 7, "/pad/1/gain", 0f, 4f, Takeover.JUMP), true);
            in.mapping(good);
            MidiMap bad = good.with(new MidiBinding("*", 0, 8, "/pad/1/loudness", 0f, 1f, Takeover.JUMP), true);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> in.check(bad));
            assertEquals("MIDI mapping row 2: no pad parameter 'loudness' in '/pad/1/loudness'", e.getMessage());
            e = assertThrows(IllegalArgumentException.class, () -> in.mapping(bad));
            assertEquals("MIDI mapping row 2: no pad parameter 'loudness' in '/pad/1/loudness'", e.getMessage());
            assertEquals(good, in.mapping());
            in.check(good.with(new MidiBinding("*", 0, 8, "/pad/2/pan", -1f, 1f, Takeover.JUMP), true));
            assertEquals(good, in.mapping(), "a check changes nothing");

            e = assertThrows(IllegalArgumentException.class, () -> in.learn("/tempo"));
            assertTrue(e.getMessage().startsWith("parameter must look like /pad/<n>/<param>"), e.getMessage());

            // A resolver that does not know what the table drives is refused; the old one stays.
            e = assertThrows(IllegalArgumentException.class, () -> in.targetResolver(a -> null));
            assertEquals("MIDI mapping row 1: no parameter '/pad/1/gain' for a knob", e.getMessage());
            assertFalse(in.learn("/pad/1/gain").isDone());
            assertTrue(in.cancelLearn());

            // A resolver that stops knowing a bound target between learn and the knob: the learn fails.
            AtomicBoolean knowsGain = new AtomicBoolean(true);
            Function<String, KnobTarget> pads = PadKnobTarget.resolver(engine.proxy());
            in.targetResolver(a -> knowsGain.get() || !a.equals("/pad/1/gain") ? pads.apply(a) : null);
            CompletableFuture<MidiBinding> learned = in.learn("/pad/2/gain");
            knowsGain.set(false);
            knobs.play(cc(0, 9, 64), -1);
            ExecutionException failed = assertThrows(ExecutionException.class, () -> learned.get(5, TimeUnit.SECONDS));
            assertEquals("MIDI mapping row 1: no parameter '/pad/1/gain' for a knob", failed.getCause().getMessage());
            assertEquals(good, in.mapping());
            assertEquals(0, in.errors());
        }
        assertEquals("/tempo", KnobTarget.canonical(" /tempo "));
        assertEquals("/pad/1/decay", KnobTarget.canonical("snare/decay"));
        for (String notAnAddress : new String[] {"/a//b", "/a/*", "/a b", "/", "/a/"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new MidiBinding("*", 0, 1, notAnAddress, 0f, 1f, Takeover.JUMP));
            assertTrue(e.getMessage().startsWith("target must be an OSC address"), e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new MidiBinding("*", 0, 1, "snare/loudness", 0f, 1f, Takeover.JUMP));
        assertEquals("no pad parameter 'loudness' in 'snare/loudness'", e.getMessage());
    }
}
