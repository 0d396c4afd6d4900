package io.latentkit.engine.midi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.engine.DrumClass;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.OfflineRender;
import io.latentkit.engine.TestKits;
import io.latentkit.engine.control.EngineClock;
import io.latentkit.engine.midi.testdevice.VirtualController;
import io.latentkit.engine.midi.testdevice.VirtualMidiDeviceProvider;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.Sequencer;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import org.junit.jupiter.api.AfterEach;
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
 * from the rendered audio. The JDK sequencer sends no timestamps (-1), so each note is placed at
 * its arrival: what is measured is the delivery jitter of the sequencer and the JVM, which is all
 * the jitter left, since inside a block a note lands on its exact frame. The constant part
 * (sequencer start-up plus the safety latency) is removed by aligning on the median offset.
 */
class SequencerTimingTest {
    private static final int SR = 48_000;
    private static final int PPQ = 480;
    private static final double BPM = 150.0;
    /**
     * The jitter README-MIDI.md states for input without device timestamps: nine notes in ten
     * within 3 ms of their tick, every note within 50 ms. The second bound is loose on purpose: on
     * an overloaded host (load average above 10 on 2 cores) a single sequencer wake-up was seen up
     * to 17 ms late, and that lateness is the sender's, which no receiver can undo.
     */
    static final int TYPICAL_BOUND_FRAMES = SR * 3 / 1000;
    static final int WORST_BOUND_FRAMES = SR * 50 / 1000;

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
        Sequencer sequencer = MidiSystem.getSequencer(false);
        try (MidiInput in = MidiInput.start(MidiConfig.defaults().withInputs(List.of("Test Through"))
                .withRescanIntervalMs(0), engine.proxy(), engine.clock())) {
            assertTrue(through.isListenedTo(), "MIDI input opened the port it found through MidiSystem");
            sequencer.open();
            sequencer.setSequence(MidiSystem.getSequence(midi));
            sequencer.getTransmitter().setReceiver(through.getReceiver());
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
        float[] left = out[0];
        List<int[]> onsets = onsets(left); // {frame, pad}
        assertEquals(song.length, onsets.size(), "one burst per note");
        double framesPerTick = 60.0 / BPM / PPQ * SR;
        long[] offsets = new long[song.length];
        for (int i = 0; i < song.length; i++) {
            assertEquals(DrumClass.padForGmNote(song[i][1]), onsets.get(i)[1], "note " + i + " played its GM drum");
            offsets[i] = onsets.get(i)[0] - Math.round(song[i][0] * framesPerTick);
        }
        long[] sorted = offsets.clone();
        Arrays.sort(sorted);
        long median = sorted[sorted.length / 2];
        long worst = 0;
        double sumSq = 0;
        long[] deviations = new long[offsets.length];
        for (int i = 0; i < offsets.length; i++) {
            long d = Math.abs(offsets[i] - median);
            deviations[i] = d;
            worst = Math.max(worst, d);
            sumSq += (double) d * d;
        }
        Arrays.sort(deviations);
        long p90 = deviations[(int) Math.ceil(0.9 * deviations.length) - 1];
        System.out.printf("sequencer -> MIDI input jitter over %d notes: worst %d frames (%.2f ms), 90%% within %d"
                + " frames (%.2f ms), rms %.1f frames (%.2f ms); deviations %s%n", song.length, worst,
                worst * 1000.0 / SR, p90, p90 * 1000.0 / SR,
                Math.sqrt(sumSq / song.length), Math.sqrt(sumSq / song.length) * 1000.0 / SR,
                Arrays.toString(Arrays.stream(offsets).map(o -> o - median).toArray()));
        assertTrue(p90 <= TYPICAL_BOUND_FRAMES, "90th percentile deviation " + p90 + " frames");
        assertTrue(worst <= WORST_BOUND_FRAMES, "worst deviation " + worst + " frames");
        assertEquals(0, engine.counters().lateEvents(), "no note missed its frame");
    }

    private static Sequence sequence(int[][] song) throws Exception {
        Sequence s = new Sequence(Sequence.PPQ, PPQ);
        Track t = s.createTrack();
        int microsPerQuarter = (int) Math.round(60_000_000 / BPM);
        byte[] tempo = {(byte) (microsPerQuarter >> 16), (byte) (microsPerQuarter >> 8), (byte) microsPerQuarter};
        t.add(new MidiEvent(new javax.sound.midi.MetaMessage(0x51, tempo, 3), 0));
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
