package io.latentkit.perf.soak;

import io.latentkit.core.audio.AudioDecoder;
import io.latentkit.core.audio.DecodedAudio;
import io.latentkit.server.Main;
import io.latentkit.testsupport.audio.MicMixer;
import io.latentkit.testsupport.midi.VirtualController;
import io.latentkit.testsupport.midi.VirtualMidiDeviceProvider;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.ShortMessage;

/**
 * The soak's server process: {@code latentkit serve} ({@link Main}) in a JVM that also holds the
 * two inputs a machine without hardware lacks, driven from inside that JVM because Java Sound's
 * test-scope devices exist only in the process that registered them:
 *
 * <ul>
 *   <li>a MIDI controller, {@value #MIDI_NAME} (test-support's {@link VirtualMidiDeviceProvider},
 *       found by serve through the real {@code MidiSystem} lookup), that plays a deterministic script
 *       on channel 10: {@value #MIDI_NOTES_PER_SECOND} General MIDI drum notes a second (note on,
 *       then note off 30 ms later, seeded velocities) and, from 10 s after serve opened it, a
 *       control change (CC 20) every fourth note;</li>
 *   <li>a microphone, test-support's {@value MicMixer#NAME}, that hears a drum take read from a WAV
 *       file at the listen input rate, over and over ({@code --listen wav:FILE} goes silent at the
 *       end of its file, and an hour-long file would be hundreds of MB of heap).</li>
 * </ul>
 *
 * <p>Usage: {@code SoakServe TAKE.wav SEED serve ARGS...}. Every minute it prints one line
 * {@code soak-inputs: N notes, M controls, T takes} to standard output (serve's log).
 *
 * <p>Threading: the main thread runs serve; {@code soak-midi} and {@code soak-mic} are daemons.
 */
public final class SoakServe {
    /** The virtual controller's name (serve runs with {@code --midi-in} of it). */
    public static final String MIDI_NAME = "soak-midi";
    static final int MIDI_NOTES_PER_SECOND = 8;
    private static final int[] GM_NOTES = {36, 38, 42, 46, 37, 39, 41, 45, 48, 49, 51, 56};
    private static final AtomicLong NOTES = new AtomicLong();
    private static final AtomicLong CONTROLS = new AtomicLong();
    private static final AtomicLong TAKES = new AtomicLong();

    private SoakServe() {
    }

    public static void main(String[] args) throws Exception {
        DecodedAudio take = AudioDecoder.decode(Path.of(args[0]));
        long seed = Long.parseLong(args[1]);
        VirtualController midi = VirtualMidiDeviceProvider.plug(MIDI_NAME);
        daemon("soak-midi", () -> playMidi(midi, seed));
        daemon("soak-mic", () -> loopTake(take));
        daemon("soak-inputs-log", SoakServe::logCounts);
        Main.main(Arrays.copyOfRange(args, 2, args.length));
    }

    private static void daemon(String name, Runnable r) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        t.start();
    }

    private static void playMidi(VirtualController midi, long seed) {
        while (!midi.isListenedTo()) {
            LockSupport.parkNanos(50_000_000L);
        }
        Random rnd = new Random(seed);
        long period = 1_000_000_000L / MIDI_NOTES_PER_SECOND;
        long start = System.nanoTime();
        long controlsFrom = start + 10_000_000_000L;
        try {
            for (long n = 0; ; n++) {
                parkUntil(start + n * period);
                int note = GM_NOTES[rnd.nextInt(GM_NOTES.length)];
                midi.play(new ShortMessage(ShortMessage.NOTE_ON, 9, note, 20 + rnd.nextInt(108)), -1);
                NOTES.incrementAndGet();
                parkUntil(start + n * period + 30_000_000L);
                midi.play(new ShortMessage(ShortMessage.NOTE_OFF, 9, note, 0), -1);
                if (n % 4 == 3 && System.nanoTime() >= controlsFrom) {
                    midi.play(new ShortMessage(ShortMessage.CONTROL_CHANGE, 9, 20, rnd.nextInt(128)), -1);
                    CONTROLS.incrementAndGet();
                }
            }
        } catch (InvalidMidiDataException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void loopTake(DecodedAudio take) {
        float[] mono = take.channel(0);
        long period = (long) (1e9 * take.frames() / take.sampleRateHz());
        long start = System.nanoTime();
        for (long n = 0; ; n++) {
            parkUntil(start + n * period);
            MicMixer.play(mono);
            TAKES.incrementAndGet();
        }
    }

    private static void logCounts() {
        long start = System.nanoTime();
        for (long n = 1; ; n++) {
            parkUntil(start + n * 60_000_000_000L);
            System.out.printf("soak-inputs: %d notes, %d controls, %d takes%n", NOTES.get(), CONTROLS.get(), TAKES.get());
        }
    }

    private static void parkUntil(long nanoTime) {
        for (long wait = nanoTime - System.nanoTime(); wait > 0; wait = nanoTime - System.nanoTime()) {
            LockSupport.parkNanos(wait);
        }
    }
}
