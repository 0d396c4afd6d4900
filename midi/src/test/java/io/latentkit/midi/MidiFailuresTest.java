package io.latentkit.midi;

import io.latentkit.testsupport.CapturedLog;
import static io.latentkit.midi.MidiHotPlugTest.noteOn;
import static io.latentkit.midi.MidiHotPlugTest.state;
import static io.latentkit.midi.MidiLearnTest.cc;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.control.EngineClock;
import io.latentkit.testsupport.TestKits;
import io.latentkit.testsupport.midi.VirtualController;
import io.latentkit.testsupport.midi.VirtualMidiDeviceProvider;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Failures MIDI input survives: each is provoked, counted or shown in the device state, warned
 * about once per kind, and the warning is captured and asserted so that a passing run stays quiet.
 */
class MidiFailuresTest {
    private static final int SR = 48_000;

    @AfterEach
    void unplug() {
        VirtualMidiDeviceProvider.unplugAll();
        BrokenMidiDeviceProvider.unplugAll();
    }

    private static Engine engine() {
        return Engine.create(EngineConfig.defaults(), TestKits.kit(SR, pad -> TestKits.dc(10, 0.5f)),
                EngineClock.fixed(0, SR));
    }

    @Test
    void deviceThatCannotBeOpenedIsListedAsFailedWarnedAboutOnceAndConnectedOnceItCanBe() {
        BrokenMidiDeviceProvider.Port port = BrokenMidiDeviceProvider.plug("Busy Pads");
        VirtualController other = VirtualMidiDeviceProvider.plug("Free Pads");
        Engine engine = engine();
        try (CapturedLog log = CapturedLog.open();
                MidiInput in = MidiInput.start(MidiConfig.defaults().withRescanIntervalMs(0), engine.proxy(),
                        engine.clock())) {
            assertEquals("failed", state(in, "Busy Pads"));
            assertEquals("connected", state(in, "Free Pads"), "the other device is not held up");
            in.rescanNow();
            in.rescanNow();
            assertEquals("failed", state(in, "Busy Pads"), "retried every rescan");
            List<String> warned = log.recordsWith("MIDI in: cannot open 'Busy Pads' (retried every rescan)");
            assertEquals(1, warned.size(), "warned once, not once per rescan: " + log.records());
            assertTrue(warned.get(0).contains("WARN") && warned.get(0).contains("device busy (held by another program)"),
                    warned.get(0));
            assertEquals(1, warned.get(0).lines().count(), "one line, no stack trace: " + warned.get(0));
            log.expect("cannot open 'Busy Pads'");

            port.busy = false;
            in.rescanNow();
            assertEquals("connected", state(in, "Busy Pads"));
            assertTrue(other.isListenedTo());
            assertEquals(0, in.errors(), "a busy device is a state, not an error");
        }
    }

    @Test
    void failureInsideMessageHandlingIsCountedWarnedOnceWithItsStackTraceAndTheDeviceKeepsPlaying() throws Exception {
        Engine engine = engine();
        VirtualController knobs = VirtualMidiDeviceProvider.plug("Faulty Knobs");
        KnobTarget broken = new KnobTarget() {
            @Override
            public String address() {
                return "/broken";
            }

            @Override
            public float min() {
                return 0f;
            }

            @Override
            public float max() {
                return 1f;
            }

            @Override
            public boolean set(float value, long atFrame) {
                throw new IllegalStateException("setter broken on purpose");
            }
        };
        try (CapturedLog log = CapturedLog.open();
                MidiInput in = MidiInput.start(MidiConfig.defaults().withRescanIntervalMs(0), engine.proxy(),
                        engine.clock())) {
            in.targetResolver(a -> a.equals("/broken") ? broken : PadKnobTarget.resolver(engine.proxy()).apply(a));
            CompletableFuture<MidiBinding> learned = in.learn("/broken", Takeover.JUMP);
            knobs.play(cc(0, 9, 10), -1);
            learned.get(5, TimeUnit.SECONDS);
            knobs.play(cc(0, 9, 20), -1);
            knobs.play(cc(0, 9, 30), -1);
            assertEquals(2, in.errors());
            knobs.play(noteOn(9, 38, 100), -1);
            assertEquals(1, in.notes(), "the device still plays");
            List<String> warned = log.recordsWith("MIDI in: message handling failed (counted; logged once)");
            assertEquals(1, warned.size(), log.records().toString());
            assertTrue(warned.get(0).contains("java.lang.IllegalStateException: setter broken on purpose")
                    && warned.get(0).contains("\tat "), "with the stack trace that finds the bug: " + warned.get(0));
            log.expect("message handling failed");
        }
    }
}
