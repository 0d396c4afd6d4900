package io.latentkit.midi;

import io.latentkit.testsupport.CapturedLog;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.control.TelemetryHandler;
import io.latentkit.engine.sink.NullSink;
import io.latentkit.testsupport.TestKits;
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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A measurement of the whole live path; as a test (tagged {@code timing}, in its own surefire
 * execution) it asserts only what the clock cannot change: every note started a voice, nothing
 * was dropped and nothing failed. Wall-clock numbers do not belong in assertions, so the jitter is
 * printed, not asserted. The JDK sequencer plays 16th notes at 150 BPM into a through port, MIDI input maps each
 * note through the engine's live clock model, the engine renders in real time on its own thread
 * (paced by a null sink with a 256-frame buffer), and telemetry reports the frame each voice
 * started at. Prints, per run, how far those frames stray from the ticks (after removing the
 * constant latency), with the engine's late events and deadline misses. An underrun shifts every
 * later note by the length of the gap, because the rendered timeline itself stopped: read the
 * jitter from runs without deadline misses.
 *
 * <p>Several runs: see midi/README-MIDI.md.
 */
@Tag("timing")
public final class LiveJitterProbe {
    private static final int SR = 48_000;
    private static final int PPQ = 480;
    private static final double BPM = 150.0;
    private static final int NOTES = 32;

    @AfterEach
    void unplug() {
        VirtualMidiDeviceProvider.unplugAll();
    }

    @Test
    void everyNoteTheSequencerPlaysStartsAVoiceOnTheLiveRenderPath() throws Exception {
        Run r;
        try (CapturedLog log = CapturedLog.open()) {
            // A loaded host misses audio deadlines; the report counts them, the log need not say so.
            log.expect("audio deadline missed");
            r = run();
        }
        System.out.println(r.report());
        assertEquals(NOTES, r.voices(), "voices started, one per note");
        assertEquals(0, r.midiErrors(), "MIDI input errors");
        assertEquals(0, r.dropped(), "events the control ring refused");
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        for (int i = 0; i < runs; i++) {
            System.out.println(run().report());
        }
        VirtualMidiDeviceProvider.unplugAll();
    }

    /** One run's outcome: what was counted, and the printable measurement. */
    private record Run(int voices, long midiErrors, long dropped, String report) {
    }

    private static Run run() throws Exception {
        Sequence s = new Sequence(Sequence.PPQ, PPQ);
        Track t = s.createTrack();
        int microsPerQuarter = (int) Math.round(60_000_000 / BPM);
        t.add(new MidiEvent(new MetaMessage(0x51, new byte[] {(byte) (microsPerQuarter >> 16),
            (byte) (microsPerQuarter >> 8), (byte) microsPerQuarter}, 3), 0));
        int notes = NOTES;
        int[] notesOf = {36, 42, 38, 42};
        for (int i = 0; i < notes; i++) {
            t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, 9, notesOf[i % 4], 100), i * 120L));
            t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_OFF, 9, notesOf[i % 4], 0), i * 120L + 30));
        }
        Engine engine = Engine.create(EngineConfig.defaults(), TestKits.kit(SR, pad -> TestKits.dc(32, 0.25f)));
        VirtualController through = VirtualMidiDeviceProvider.plug("Live Through");
        List<Long> frames = new ArrayList<>();
        long midiErrors;
        long dropped;
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
            midiErrors = in.errors();
            dropped = in.droppedEvents();
        } finally {
            engine.close();
            VirtualMidiDeviceProvider.unplug("Live Through");
        }
        if (frames.size() != notes) {
            return new Run(frames.size(), midiErrors, dropped,
                    String.format("run lost notes: %d of %d voices started", frames.size(), notes));
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
        return new Run(frames.size(), midiErrors, dropped, String.format("live: %d notes, worst %.2f ms, 90%% within"
                + " %.2f ms, constant offset from the ticks %.2f ms (sequencer start); late events %d, deadline misses %d", notes, worst * 1000.0 / SR,
                p90 * 1000.0 / SR, median * 1000.0 / SR, engine.counters().lateEvents(),
                engine.counters().deadlineMisses()));
    }
}
