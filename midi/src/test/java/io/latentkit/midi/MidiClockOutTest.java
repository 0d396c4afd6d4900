package io.latentkit.midi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.control.EngineClock;
import io.latentkit.testsupport.TestKits;
import io.latentkit.testsupport.midi.VirtualMidiDeviceProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Clock out into a virtual through port that latentkit's own MIDI input listens to: the follower
 * on the other end of the cable hears the tempo clock out was given.
 */
@Tag("timing")
class MidiClockOutTest {
    private static final int SR = 48_000;

    @AfterEach
    void unplug() {
        VirtualMidiDeviceProvider.unplugAll();
    }

    @Test
    void clockOutIsFollowedByAClockInAtTheOtherEndOfTheCable() throws Exception {
        Engine engine = Engine.create(EngineConfig.defaults(), TestKits.kit(SR, pad -> TestKits.dc(10, 0.5f)),
                EngineClock.fixed(0, SR));
        VirtualMidiDeviceProvider.plug("Test Cable");
        try (MidiInput in = MidiInput.start(MidiConfig.defaults().withRescanIntervalMs(0), engine.proxy(),
                engine.clock());
                MidiClockOut out = MidiClockOut.open("cable", 180.0)) {
            out.start();
            while (out.pulses() < 120) { // one bar and a beat
                Thread.sleep(20);
            }
            System.out.printf("clock out at 180 BPM heard by clock in as %.3f BPM%n", in.clockTempoBpm());
            assertEquals(180.0, in.clockTempoBpm(), 0.5);
            assertTrue(in.transportRunning());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MidiClockOut.open("nowhere", 120));
        assertTrue(e.getMessage().startsWith("no MIDI output named 'nowhere'"), e.getMessage());
    }
}
