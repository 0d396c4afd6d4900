package io.latentkit.midi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.control.EngineClock;
import io.latentkit.testsupport.TestKits;
import io.latentkit.testsupport.midi.VirtualController;
import io.latentkit.testsupport.midi.VirtualMidiDeviceProvider;
import java.util.ArrayList;
import java.util.List;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.ShortMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Transport through a controller plugged into Java Sound, as a sequencer following a DAW will
 * hear it: Start, clock, Stop, Song Position Pointer and Continue reach the
 * {@link MidiTransportListener} in order, each at the frame of its arrival plus the safety
 * latency, and the song position follows the pointer and the pulses.
 */
class MidiTransportTest {
    private static final int SR = 48_000;

    @AfterEach
    void unplug() {
        VirtualMidiDeviceProvider.unplugAll();
    }

    /** One listener call with the frames of the instants just before and after the message was played. */
    private record Call(String what, long frame, long earliest, long latest) {
    }

    @Test
    void songPositionPointerFromAControllerReachesTheListenerAndSetsWhereContinueResumes() throws Exception {
        Engine engine = Engine.create(EngineConfig.defaults(), TestKits.kit(SR, pad -> TestKits.dc(10, 0.5f)),
                EngineClock.fixed(0, SR));
        VirtualController daw = VirtualMidiDeviceProvider.plug("Test DAW");
        List<String[]> heard = new ArrayList<>(); // {what, frame}
        List<Call> calls = new ArrayList<>();
        try (MidiInput in = MidiInput.start(MidiConfig.defaults().withRescanIntervalMs(0), engine.proxy(),
                engine.clock())) {
            in.transportListener(new MidiTransportListener() {
                @Override
                public void onStart(long frame) {
                    heard.add(new String[] {"start", Long.toString(frame)});
                }

                @Override
                public void onStop(long frame) {
                    heard.add(new String[] {"stop", Long.toString(frame)});
                }

                @Override
                public void onContinue(long frame) {
                    heard.add(new String[] {"continue", Long.toString(frame)});
                }

                @Override
                public void onSongPosition(int sixteenths, long frame) {
                    heard.add(new String[] {"position " + sixteenths, Long.toString(frame)});
                }
            });
            long latency = in.latencyFrames();
            play(daw, engine, latency, heard, calls, new ShortMessage(ShortMessage.START));
            assertTrue(in.transportRunning());
            for (int i = 0; i < 12; i++) {
                daw.play(new ShortMessage(ShortMessage.TIMING_CLOCK), -1);
            }
            assertEquals(12, in.songPositionPulses(), "half a beat since Start");
            play(daw, engine, latency, heard, calls, new ShortMessage(ShortMessage.STOP));
            assertFalse(in.transportRunning());
            daw.play(new ShortMessage(ShortMessage.TIMING_CLOCK), -1); // clock runs on while stopped
            assertEquals(12, in.songPositionPulses(), "a stopped song does not move");
            // Bar 43, beat 2, as a DAW sends it before Continue: 677 sixteenths, LSB 37 then MSB 5.
            play(daw, engine, latency, heard, calls, pointer(677));
            assertEquals(677 * 6, in.songPositionPulses());
            play(daw, engine, latency, heard, calls, new ShortMessage(ShortMessage.CONTINUE));
            assertTrue(in.transportRunning());
            for (int i = 0; i < 6; i++) {
                daw.play(new ShortMessage(ShortMessage.TIMING_CLOCK), -1);
            }
            assertEquals(678 * 6, in.songPositionPulses(), "one sixteenth after the pointer");
            play(daw, engine, latency, heard, calls, pointer(16_383)); // the largest position 14 bits hold
            assertEquals(0, in.errors());
        }
        assertEquals(List.of("start", "stop", "position 677", "continue", "position 16383"),
                calls.stream().map(Call::what).toList());
        for (Call c : calls) {
            assertTrue(c.frame() >= c.earliest() && c.frame() <= c.latest(), c.what() + " at frame " + c.frame()
                    + ", played between frames " + c.earliest() + " and " + c.latest() + " (latency included)");
        }
        assertEquals(677, ClockInput.songPosition(pointer(677)));
    }

    private static ShortMessage pointer(int sixteenths) throws InvalidMidiDataException {
        return new ShortMessage(ShortMessage.SONG_POSITION_POINTER, sixteenths & 0x7f, sixteenths >> 7);
    }

    /** Plays one message and records the listener call it caused with the frames bracketing it. */
    private static void play(VirtualController daw, Engine engine, long latency, List<String[]> heard, List<Call> calls,
            ShortMessage m) {
        int before = heard.size();
        long earliest = engine.clock().frameAtNanoTime(System.nanoTime()) + latency;
        daw.play(m, -1);
        long latest = engine.clock().frameAtNanoTime(System.nanoTime()) + latency;
        assertEquals(before + 1, heard.size(), "one listener call per message");
        String[] h = heard.get(before);
        calls.add(new Call(h[0], Long.parseLong(h[1]), earliest, latest));
    }
}
