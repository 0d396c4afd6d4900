package io.latentkit.midi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.DrumClass;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.OfflineRender;
import io.latentkit.engine.control.EngineClock;
import io.latentkit.testsupport.TestKits;
import io.latentkit.testsupport.midi.VirtualController;
import io.latentkit.testsupport.midi.VirtualMidiDeviceProvider;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiMessage;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Receiver;
import javax.sound.midi.Sequence;
import javax.sound.midi.Sequencer;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JDK's real {@link Sequencer} plays a Standard MIDI File into a MIDI through port (a virtual
 * loopback cable, as a DAW plays into ALSA's "Midi Through"); latentkit's MIDI input finds the
 * port through {@link MidiSystem} like any controller and translates what comes out of it.
 *
 * <p>Method: the MIDI side runs in real time against the wall clock. The engine runs on a fixed
 * clock (frame = nanoseconds since the engine was made, at 48 kHz) and renders offline once the
 * song is over, so the rendered frame of every drum is exactly the frame the MIDI input chose for
 * it. Each drum's sample is a short burst whose height names the pad, so onsets and pads are read
 * from the rendered audio.
 *
 * <p>Two things are measured. (1) What the input adds: the port notes the instants just before
 * and just after it hands each note-on to latentkit's receiver, and the drum must start between
 * those instants' frames plus the safety latency: on the sample of its arrival, not on a block
 * boundary. The bracket is exact (the clock model is monotonic), so this holds for every note even
 * when the thread is preempted inside the bracket; that only widens it. (2) What the
 * listener hears: the rendered frame against the frame the note's tick asks for, after removing
 * the constant latency. The JDK sequencer sends no timestamps (-1), so (2) is the sequencer's own
 * delivery jitter, which no receiver can undo; it is printed, and its median is asserted.
 */
@Tag("timing")
class SequencerTimingTest {
    private static final int SR = 48_000;
    private static final int PPQ = 480;
    private static final double BPM = 150.0;
    /** The README's typical jitter for input without timestamps: half the notes within 1 ms of their tick. */
    static final int MEDIAN_BOUND_FRAMES = SR / 1000;

    @TempDir
    Path dir;

    @AfterEach
    void unplug() {
        VirtualMidiDeviceProvider.unplugAll();
    }

    @Test
    void sequencerPlayingAMidiFileLandsEachDrumAtTheFrameItsTickAsksFor() throws Exception {
        // Two bars of a groove with a fill, one note at a time, some off the grid.
        int[][] song = {
            {0, 36}, {240, 42}, {480, 38}, {720, 42}, {960, 36}, {1200, 36}, {1440, 38}, {1680, 46},
            {1920, 36}, {2160, 42}, {2400, 38}, {2640, 42}, {2880, 50}, {3000, 48}, {3120, 47}, {3240, 45},
            {3360, 43}, {3480, 41}, {3600, 37}, {3700, 39}, {3840, 49}};
        File midi = dir.resolve("groove.mid").toFile();
        MidiSystem.write(sequence(song), 0, midi);

        Engine engine = Engine.create(EngineConfig.defaults(),
                TestKits.kit(SR, pad -> TestKits.dc(64, (pad + 1) / 16f)), EngineClock.fixed(0, SR));
        VirtualController through = VirtualMidiDeviceProvider.plug("Test Through");
        Receiver port = through.getReceiver();
        List<long[]> handedOver = Collections.synchronizedList(new ArrayList<>()); // {before, after} ns
        Sequencer sequencer = MidiSystem.getSequencer(false);
        long latencyFrames;
        try (MidiInput in = MidiInput.start(MidiConfig.defaults().withInputs(List.of("Test Through"))
                .withRescanIntervalMs(0), engine.proxy(), engine.clock())) {
            latencyFrames = in.latencyFrames();
            assertTrue(through.isListenedTo(), "MIDI input opened the port it found through MidiSystem");
            sequencer.open();
            sequencer.setSequence(MidiSystem.getSequence(midi));
            sequencer.getTransmitter().setReceiver(new Receiver() {
                @Override
                public void send(MidiMessage m, long timeStamp) {
                    long before = System.nanoTime();
                    port.send(m, timeStamp);
                    long after = System.nanoTime();
                    if (m instanceof ShortMessage && ((ShortMessage) m).getCommand() == ShortMessage.NOTE_ON
                            && ((ShortMessage) m).getData2() > 0) {
                        handedOver.add(new long[] {before, after});
                    }
                }

                @Override
                public void close() {
                    port.close();
                }
            });
            sequencer.start();
            for (int i = 0; i < 2000 && sequencer.isRunning(); i++) {
                Thread.sleep(5);
            }
            sequencer.close();
            assertEquals(song.length, in.notes());
            assertEquals(0, in.errors());
        }

        long lastFrame = engine.clock().frameAtNanoTime(System.nanoTime());
        float[][] out = OfflineRender.render(engine, (int) lastFrame + SR);
        List<int[]> onsets = onsets(out[0]); // {frame, pad}
        assertEquals(song.length, onsets.size(), "one burst per note");
        assertEquals(song.length, handedOver.size());
        double framesPerTick = 60.0 / BPM / PPQ * SR;
        long[] offsets = new long[song.length];
        long[] widths = new long[song.length];
        for (int i = 0; i < song.length; i++) {
            int frame = onsets.get(i)[0];
            assertEquals(DrumClass.padForGmNote(song[i][1]), onsets.get(i)[1], "note " + i + " played its GM drum");
            long earliest = engine.clock().frameAtNanoTime(handedOver.get(i)[0]) + latencyFrames;
            long latest = engine.clock().frameAtNanoTime(handedOver.get(i)[1]) + latencyFrames;
            assertTrue(frame >= earliest && frame <= latest, "note " + i + " at frame " + frame
                    + ", handed over between frames " + earliest + " and " + latest);
            widths[i] = latest - earliest;
            offsets[i] = frame - Math.round(song[i][0] * framesPerTick);
        }
        Arrays.sort(widths);
        long widthP90 = widths[(int) Math.ceil(0.9 * widths.length) - 1];
        long widthMax = widths[widths.length - 1];
        long[] sorted = offsets.clone();
        Arrays.sort(sorted);
        long median = sorted[sorted.length / 2];
        long[] deviations = new long[offsets.length];
        for (int i = 0; i < offsets.length; i++) {
            deviations[i] = Math.abs(offsets[i] - median);
        }
        long[] signed = Arrays.stream(offsets).map(o -> o - median).toArray();
        Arrays.sort(deviations);
        long p50 = deviations[deviations.length / 2];
        long p90 = deviations[(int) Math.ceil(0.9 * deviations.length) - 1];
        long worst = deviations[deviations.length - 1];
        System.out.printf("sequencer -> render over %d notes: each at its hand-over (bracket 90%% within %d frames,"
                + " at most %d); against the ticks: median %.2f ms, 90%% within %.2f ms, worst %.2f ms;"
                + " deviations (frames) %s%n", song.length, widthP90, widthMax, p50 * 1000.0 / SR, p90 * 1000.0 / SR, worst * 1000.0 / SR, Arrays.toString(signed));
        assertTrue(p50 <= MEDIAN_BOUND_FRAMES, "median deviation " + p50 + " frames");
        assertEquals(0, engine.counters().lateEvents(), "no note missed its frame");
    }

    private static Sequence sequence(int[][] song) throws Exception {
        Sequence s = new Sequence(Sequence.PPQ, PPQ);
        Track t = s.createTrack();
        int microsPerQuarter = (int) Math.round(60_000_000 / BPM);
        byte[] tempo = {(byte) (microsPerQuarter >> 16), (byte) (microsPerQuarter >> 8), (byte) microsPerQuarter};
        t.add(new MidiEvent(new MetaMessage(0x51, tempo, 3), 0));
        for (int[] n : song) {
            t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, 9, n[1], 100), n[0]));
            t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_OFF, 9, n[1], 0), n[0] + 30));
        }
        return s;
    }

    /** Rising edges from silence, with the pad read from the burst's height. */
    private static List<int[]> onsets(float[] x) {
        List<int[]> found = new ArrayList<>();
        float unit = 0f;
        for (int i = 1; i < x.length; i++) {
            if (x[i] != 0f && x[i - 1] == 0f) {
                if (unit == 0f) {
                    unit = x[i] / (DrumClass.KICK.pad() + 1); // the song starts with a kick
                }
                found.add(new int[] {i, Math.round(x[i] / unit) - 1});
            }
        }
        return found;
    }
}
