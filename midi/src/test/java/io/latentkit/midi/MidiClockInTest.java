package io.latentkit.midi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.OfflineRender;
import io.latentkit.engine.control.EngineClock;
import io.latentkit.engine.control.TelemetryHandler;
import io.latentkit.testsupport.TestKits;
import io.latentkit.testsupport.midi.VirtualMidiDeviceProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.sound.midi.ShortMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * MIDI clock in. Pulses are fed to a connected device's input with exact device timestamps and
 * with arrival times that wander by up to 2 ms (as a loaded host delivers them), so the test is
 * deterministic and shows that timestamps, not arrivals, drive the tempo. The engine then renders
 * offline on a fixed clock and its beats show the tempo it was given.
 */
class MidiClockInTest {
    private static final int SR = 48_000;

    @AfterEach
    void unplug() {
        VirtualMidiDeviceProvider.unplugAll();
    }

    @ParameterizedTest
    @ValueSource(doubles = {120.0, 174.0})
    void clockIsFollowedWithinHalfABpmAfterOneBar(double bpm) throws Exception {
        Engine engine = engine();
        try (MidiInput in = input(engine)) {
            DeviceConnection c = in.connection("Test Clock");
            long base = System.nanoTime();
            Random jitter = new Random(7);
            double pulseMicros = 60e6 / (bpm * 24);
            for (int i = 0; i < 96; i++) { // one bar of 4/4
                long stamp = Math.round(i * pulseMicros);
                in.accept(c, new ShortMessage(ShortMessage.TIMING_CLOCK), stamp,
                        base + stamp * 1000 + jitter.nextInt(2_000_000));
            }
            assertEquals(bpm, in.clockTempoBpm(), 0.5);
            System.out.printf("clock in at %.1f BPM: followed %.4f BPM after one bar%n", bpm, in.clockTempoBpm());
        }
        List<Long> beats = beats(engine, SR * 4);
        long last = beats.get(beats.size() - 1) - beats.get(beats.size() - 2);
        assertEquals(60.0 * SR / bpm, last, 60.0 * SR / bpm - 60.0 * SR / (bpm + 0.5),
                "the engine's beats are spaced at the followed tempo");
        assertEquals(0, engine.counters().lateEvents());
    }

    @Test
    void clockWithoutTimestampsIsSmoothedAndATempoChangeIsFollowedWithinABar() throws Exception {
        Engine engine = engine();
        try (MidiInput in = input(engine)) {
            DeviceConnection c = in.connection("Test Clock");
            long base = System.nanoTime();
            Random jitter = new Random(11);
            long t = base;
            for (int i = 0; i < 96; i++) {
                in.accept(c, new ShortMessage(ShortMessage.TIMING_CLOCK), -1, t + jitter.nextInt(2_000_000));
                t += Math.round(60e9 / (120.0 * 24));
            }
            assertEquals(120.0, in.clockTempoBpm(), 0.5);
            for (int i = 0; i < 96; i++) {
                in.accept(c, new ShortMessage(ShortMessage.TIMING_CLOCK), -1, t + jitter.nextInt(2_000_000));
                t += Math.round(60e9 / (174.0 * 24));
            }
            System.out.printf("clock in without timestamps, 0..2 ms arrival jitter: 120 -> 174 BPM, followed %.3f%n",
                    in.clockTempoBpm());
            assertEquals(174.0, in.clockTempoBpm(), 0.5);
        }
    }

    @Test
    void startStopAndContinueReachTheTransportListenerAtTheirFrames() throws Exception {
        Engine engine = engine();
        List<String> calls = new ArrayList<>();
        long base = System.nanoTime() + 1_000_000_000L;
        long f0;
        try (MidiInput in = input(engine)) {
            in.transportListener(new MidiTransportListener() {
                @Override
                public void onStart(long frame) {
                    calls.add("start@" + frame);
                }

                @Override
                public void onStop(long frame) {
                    calls.add("stop@" + frame);
                }

                @Override
                public void onContinue(long frame) {
                    calls.add("continue@" + frame);
                }

                @Override
                public void onSongPosition(int sixteenths, long frame) {
                    calls.add("position " + sixteenths);
                }
            });
            DeviceConnection c = in.connection("Test Clock");
            f0 = engine.clock().frameAtNanoTime(base) + in.latencyFrames();
            in.accept(c, new ShortMessage(ShortMessage.START), 0, base);
            assertTrue(in.transportRunning());
            in.accept(c, new ShortMessage(ShortMessage.STOP), 500_000, base + 500_000_000L);
            assertFalse(in.transportRunning());
            in.accept(c, new ShortMessage(ShortMessage.SONG_POSITION_POINTER, 0x10, 0x01), 600_000, base + 600_000_000L);
            in.accept(c, new ShortMessage(ShortMessage.CONTINUE), 1_000_000, base + 1_000_000_000L);
            assertTrue(in.transportRunning());
        }
        assertEquals(List.of("start@" + f0, "stop@" + (f0 + SR / 2), "position " + (0x10 | (1 << 7)),
                "continue@" + (f0 + SR)), calls);
    }

    private static Engine engine() {
        return Engine.create(EngineConfig.defaults(), TestKits.kit(SR, pad -> TestKits.dc(10, 0.5f)),
                EngineClock.fixed(0, SR));
    }

    private static MidiInput input(Engine engine) {
        VirtualMidiDeviceProvider.plug("Test Clock");
        return MidiInput.start(MidiConfig.defaults().withRescanIntervalMs(0), engine.proxy(), engine.clock());
    }

    private static List<Long> beats(Engine engine, int frames) {
        OfflineRender.render(engine, frames);
        List<Long> beats = new ArrayList<>();
        engine.telemetry().poll(new TelemetryHandler() {
            @Override
            public void onBeat(long beat, long frame) {
                beats.add(frame);
            }
        }, 100_000);
        return beats;
    }
}
