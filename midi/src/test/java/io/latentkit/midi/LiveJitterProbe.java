package io.latentkit.midi;

import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.testsupport.TestKits;
import io.latentkit.engine.control.TelemetryHandler;
import io.latentkit.engine.sink.NullSink;
import io.latentkit.testsupport.midi.VirtualController;
import io.latentkit.testsupport.midi.VirtualMidiDeviceProvider;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.Sequencer;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;

/**
 * A measurement, not a test (wall-clock numbers do not belong in assertions): the whole live
 * path. The JDK sequencer plays 16th notes at 150 BPM into a through port, MIDI input maps each
 * note through the engine's live clock model, the engine renders in real time on its own thread
 * (paced by a null sink with a 256-frame buffer), and telemetry reports the frame each voice
 * started at. Prints, per run, how far those frames stray from the ticks (after removing the
 * constant latency), with the engine's late events and deadline misses. An underrun shifts every
 * later note by the length of the gap, because the rendered timeline itself stopped: read the
 * jitter from runs without deadline misses.
 *
 * <p>Run: see engine/README-MIDI.md.
 */
public final class LiveJitterProbe {
    private static final int SR = 48_000;
    private static final int PPQ = 480;
    private static final double BPM = 150.0;

    private LiveJitterProbe() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        for (int r = 0; r < runs; r++) {
            run();
        }
        VirtualMidiDeviceProvider.unplugAll();
    }

    private static void run() throws Exception {
        Sequence s = new Sequence(Sequence.PPQ, PPQ);
        Track t = s.createTrack();
        int microsPerQuarter = (int) Math.round(60_000_000 / BPM);
        t.add(new MidiEvent(new MetaMessage(0x51, new byte[] {(byte) (microsPerQuarter >> 16),
            (byte) (microsPerQuarter >> 8), (byte) microsPerQuarter}, 3), 0));
        int notes = 32;
        int[] notesOf = {36, 42, 38, 42};
        for (int i = 0; i < notes; i++) {
            t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, 9, notesOf[i % 4], 100), i * 120L));
            t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_OFF, 9, notesOf[i % 4], 0), i * 120L + 30));
        }
        Engine engine = Engine.create(EngineConfig.defaults(), TestKits.kit(SR, pad -> TestKits.dc(32, 0.25f)));
        VirtualController through = VirtualMidiDeviceProvider.plug("Live Through");
        List<Long> frames = new ArrayList<>();
        TelemetryHandler collect = new TelemetryHandler() {
            @Override
            public void onVoiceStarted(long tag, int pad, long frame) {
                frames.add(frame);
            }
        };
        engine.start(new NullSink(256));
        Sequencer sequencer = MidiSystem.getSequencer(false);
        try (MidiInput in = MidiInput.start(MidiConfig.defaults().withInputs(List.of("Live Through"))
                .withRescanIntervalMs(0).withTagTriggers(true), engine)) {
            Thread.sleep(300); // let the clock model settle
            sequencer.open();
            sequencer.setSequence(s);
            sequencer.getTransmitter().setReceiver(through.getReceiver());
            sequencer.start();
            while (sequencer.isRunning()) {
                Thread.sleep(5);
                engine.telemetry().poll(collect, 1000);
            }
            sequencer.close();
            Thread.sleep(100);
            engine.telemetry().poll(collect, 1000);
            if (in.errors() != 0) {
                System.out.printf("MIDI input counted %d errors%n", in.errors());
            }
        } finally {
            engine.close();
            VirtualMidiDeviceProvider.unplug("Live Through");
        }
        if (frames.size() != notes) {
            System.out.printf("run lost notes: %d of %d voices started%n", frames.size(), notes);
            return;
        }
        double framesPerTick = 60.0 / BPM / PPQ * SR;
        long[] offsets = new long[notes];
        for (int i = 0; i < notes; i++) {
            offsets[i] = frames.get(i) - Math.round(i * 120L * framesPerTick);
        }
        long[] sorted = offsets.clone();
        Arrays.sort(sorted);
        long median = sorted[notes / 2];
        long[] dev = new long[notes];
        for (int i = 0; i < notes; i++) {
            dev[i] = Math.abs(offsets[i] - median);
        }
        Arrays.sort(dev);
        long p90 = dev[(int) Math.ceil(0.9 * notes) - 1];
        long worst = dev[notes - 1];
        System.out.printf("live: %d notes, worst %.2f ms, 90%% within %.2f ms, constant latency %.2f ms;"
                + " late events %d, deadline misses %d%n", notes, worst * 1000.0 / SR, p90 * 1000.0 / SR,
                median * 1000.0 / SR, engine.counters().lateEvents(), engine.counters().deadlineMisses());
    }
}
