package io.latentkit.midi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.OfflineRender;
import io.latentkit.engine.control.EngineClock;
import io.latentkit.engine.control.TelemetryHandler;
import io.latentkit.engine.control.TelemetryReader;
import io.latentkit.engine.sequence.SequencerProxy;
import io.latentkit.testsupport.TestKits;
import io.latentkit.testsupport.midi.VirtualMidiDeviceProvider;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.sound.midi.ShortMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import io.latentkit.engine.control.EngineProxy;

/**
 * The step sequencer under MIDI transport and clock: real {@link ShortMessage}s through a connected
 * (virtual) device's input, the engine rendering offline on a fixed clock in step with the messages,
 * and the sequencer's beat reports compared with where the clock put each beat.
 */
class PatternTransportTest {
    private static final int SR = 48_000;

    @AfterEach
    void unplug() {
        VirtualMidiDeviceProvider.unplugAll();
    }

    @Test
    void clockInWithTwoMillisecondsOfJitterKeepsTheSequencerWithinOneTickOverSixtyFourBars() throws Exception {
        Engine engine = engine();
        TelemetryReader reader = engine.telemetry().newReader();
        double bpm = 127.3;
        long pulseNanos = Math.round(60e9 / (bpm * 24));
        List<long[]> steps = new ArrayList<>();
        TelemetryHandler collect = new TelemetryHandler() {
            @Override
            public void onPatternStep(int bar, int tick, long frame) {
                steps.add(new long[] {bar, tick, frame});
            }
        };
        long[] idealBeatFrame = new long[64 * 4];
        try (MidiInput in = input(engine)) {
            in.transportListener(new PatternTransport(new SequencerProxy(engine.proxy()), true));
            DeviceConnection c = in.connection("Test Clock");
            Random jitter = new Random(17);
            // Everything happens a little ahead of the render, as live input does.
            long base = System.nanoTime() + 200_000_000L;
            in.accept(c, new ShortMessage(ShortMessage.START), -1, base - 1_000_000L);
            int pulse = 0;
            for (int bar = 0; bar < 64; bar++) {
                for (int i = 0; i < 96; i++, pulse++) {
                    long ideal = base + pulse * pulseNanos;
                    if (pulse % 24 == 0) {
                        idealBeatFrame[pulse / 24] = engine.clock().frameAtNanoTime(ideal) + in.latencyFrames();
                    }
                    // No device timestamps: arrival times wander by 0..2 ms.
                    in.accept(c, new ShortMessage(ShortMessage.TIMING_CLOCK), -1, ideal + jitter.nextInt(2_000_000));
                }
                long renderTo = engine.clock().frameAtNanoTime(base + pulse * pulseNanos);
                OfflineRender.render(engine, (int) (renderTo - engine.agent().frame()));
                reader.poll(collect, 100_000);
            }
            OfflineRender.render(engine, SR);
            reader.poll(collect, 100_000);
        }
        double framesPerTick = 60.0 * SR / (bpm * 32);
        double worst = 0;
        assertTrue(steps.size() >= 256, "beats reported: " + steps.size());
        for (int b = 0; b < 256; b++) {
            long[] s = steps.get(b);
            assertEquals(b % 4 * 32L, s[1], "tick of beat " + b);
            double error = s[2] - idealBeatFrame[b];
            worst = Math.max(worst, Math.abs(error));
            assertTrue(Math.abs(error) < framesPerTick, "beat " + b + " off by " + error + " frames (a tick is "
                    + framesPerTick + ")");
        }
        System.out.printf("MIDI clock in at %.1f BPM, 0..2 ms jitter, 64 bars: worst beat error %.0f frames "
                + "(%.2f ticks)%n", bpm, worst, worst / framesPerTick);
        assertEquals(0, engine.counters().lateEvents());
    }

    @Test
    void songPositionThenContinueResumesAtThatPositionOnTheNextPulse() throws Exception {
        Engine engine = engine();
        TelemetryReader reader = engine.telemetry().newReader();
        List<long[]> steps = new ArrayList<>();
        try (MidiInput in = input(engine)) {
            in.transportListener(new PatternTransport(new SequencerProxy(engine.proxy()), true));
            SequencerProxy seq = new SequencerProxy(engine.proxy());
            seq.bars(4, EngineProxy.ASAP);
            DeviceConnection c = in.connection("Test Clock");
            long base = System.nanoTime() + 200_000_000L;
            // 24 sixteenths: bar 1, beat 2.
            in.accept(c, new ShortMessage(ShortMessage.SONG_POSITION_POINTER, 24, 0), -1, base);
            in.accept(c, new ShortMessage(ShortMessage.CONTINUE), -1, base + 1_000_000L);
            long firstPulse = base + 5_000_000L;
            for (int i = 0; i < 48; i++) {
                in.accept(c, new ShortMessage(ShortMessage.TIMING_CLOCK), -1, firstPulse + i * 20_833_333L);
            }
            long expected = engine.clock().frameAtNanoTime(firstPulse) + in.latencyFrames();
            OfflineRender.render(engine, (int) (expected + SR));
            reader.poll(new TelemetryHandler() {
                @Override
                public void onPatternStep(int bar, int tick, long frame) {
                    steps.add(new long[] {bar, tick, frame});
                }
            }, 1_000);
            assertEquals(List.of(1L, 64L, expected), List.of(steps.get(0)[0], steps.get(0)[1], steps.get(0)[2]),
                    "the first beat played is bar 1 tick 64, on the first pulse after Continue");
        }
    }

    private static Engine engine() {
        return Engine.create(EngineConfig.defaults(), TestKits.kit(SR, pad -> TestKits.dc(10, 0.5f)),
                EngineClock.fixed(0, SR));
    }

    private static MidiInput input(Engine engine) {
        VirtualMidiDeviceProvider.plug("Test Clock");
        return MidiInput.start(MidiConfig.defaults().withRescanIntervalMs(0), engine.proxy(), engine.clock());
    }
}
