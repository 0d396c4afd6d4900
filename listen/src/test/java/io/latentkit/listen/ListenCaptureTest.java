package io.latentkit.listen;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.kit.DefaultKit;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.sink.NullSink;
import io.latentkit.listen.input.FileSource;
import io.latentkit.models.AudioFiles;
import io.latentkit.models.Models;
import io.latentkit.testsupport.SmallDisk;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /listen/capture}'s recorder: the input played in at real-time pace, recorded into a real
 * WAV file, read back and compared sample by sample with what was played in.
 */
class ListenCaptureTest {
    private static final int SR = 48_000;

    @TempDir
    Path dir;

    private Engine engine;
    private ListenMode mode;
    private float[] played;

    @BeforeEach
    void start() throws Exception {
        // Noise at -12 dBFS: every 16-bit sample tells its place in the signal.
        Random rng = new Random(4);
        played = new float[SR * 60];
        for (int i = 0; i < played.length; i++) {
            played[i] = (float) (rng.nextGaussian() * 0.05);
        }
        engine = Engine.create(EngineConfig.defaults(), DefaultKit.create(SR));
        engine.start(new NullSink(256));
        // The recorder reads the input ring; it needs no models.
        mode = ListenMode.start(ListenConfig.defaults(), FileSource.of(played), engine,
                () -> Models.unavailable("not needed to record"));
    }

    @AfterEach
    void stop() {
        mode.close();
        engine.close();
    }

    @Test
    void theInputIsRecordedWholeIntoAWavThatAppearsOnlyOnceWritten() throws Exception {
        Path wav = dir.resolve("take.wav");
        Thread.sleep(300);
        assertEquals("recording take.wav", mode.controls().startCapture(wav));
        assertTrue(mode.controls().capturing());
        Thread.sleep(1_500);
        assertFalse(Files.exists(wav), "nothing at the target before the recording is stopped");
        String summary = mode.controls().stopCapture().get(10, TimeUnit.SECONDS);
        assertTrue(summary.startsWith("take.wav: "), summary);
        assertFalse(mode.controls().capturing());

        float[] got = AudioFiles.readMono(wav, SR);
        assertTrue(got.length > SR * 13 / 10 && got.length < SR * 3, "about 1.5 s recorded: " + got.length + " frames");
        int first = find(got);
        for (int i = 0; i < got.length; i++) {
            assertEquals(played[first + i], got[i], 1.5f / 32768, "sample " + i + " of the recording");
        }
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no partial file left beside the recording");
        }
    }

    /** Where in {@link #played} the recording starts (its first 64 samples match there, to 16 bits). */
    private int find(float[] got) {
        for (int off = 0; off + got.length <= played.length; off++) {
            boolean match = true;
            for (int i = 0; i < 64 && match; i++) {
                match = Math.abs(played[off + i] - got[i]) <= 1.5f / 32768;
            }
            if (match) {
                return off;
            }
        }
        throw new AssertionError("the recording is not a stretch of the input");
    }

    @Test
    void badTargetsAndASecondRecordingAreRefusedWithAReason() throws Exception {
        Files.writeString(dir.resolve("taken.wav"), "x");
        IllegalArgumentException exists = assertThrows(IllegalArgumentException.class,
                () -> mode.controls().startCapture(dir.resolve("taken.wav")));
        assertEquals("taken.wav exists already; choose another name", exists.getMessage());
        IllegalArgumentException noFolder = assertThrows(IllegalArgumentException.class,
                () -> mode.controls().startCapture(dir.resolve("missing/take.wav")));
        assertEquals("no folder " + dir.resolve("missing").toAbsolutePath() + " to record into", noFolder.getMessage());
        ExecutionException notRecording = assertThrows(ExecutionException.class,
                () -> mode.controls().stopCapture().get(5, TimeUnit.SECONDS));
        assertEquals("not recording", notRecording.getCause().getMessage());

        mode.controls().startCapture(dir.resolve("one.wav"));
        IllegalStateException second = assertThrows(IllegalStateException.class,
                () -> mode.controls().startCapture(dir.resolve("two.wav")));
        assertEquals("already recording one.wav (send /listen/capture/stop first)", second.getMessage());
        mode.controls().stopCapture().get(10, TimeUnit.SECONDS);
        assertTrue(Files.isRegularFile(dir.resolve("one.wav")));
        assertFalse(Files.exists(dir.resolve("two.wav")));
    }

    @Test
    void aFileThatAppearsUnderTheTargetMeanwhileIsKeptAndTheRecordingTakesTheNextName() throws Exception {
        mode.controls().startCapture(dir.resolve("take.wav"));
        Thread.sleep(200);
        Files.writeString(dir.resolve("take.wav"), "someone else's");
        String summary = mode.controls().stopCapture().get(10, TimeUnit.SECONDS);
        assertTrue(summary.startsWith("take-2.wav: "), summary);
        assertEquals("someone else's", Files.readString(dir.resolve("take.wav")));
        assertTrue(AudioFiles.readMono(dir.resolve("take-2.wav"), SR).length > 0);
    }

    @Test
    void aRecordingWhoseFolderVanishesFailsWithTheReasonAndLeavesNothing() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("recordings"));
        mode.controls().startCapture(sub.resolve("take.wav"));
        Thread.sleep(300);
        // The folder is taken away under the recording (a USB stick pulled): the partial file goes with it.
        try (var files = Files.list(sub)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.delete(p);
            }
        }
        Files.delete(sub);
        ExecutionException failed = assertThrows(ExecutionException.class,
                () -> mode.controls().stopCapture().get(10, TimeUnit.SECONDS));
        assertTrue(failed.getCause().getMessage().startsWith("cannot write " + sub.resolve("take.wav")),
                failed.getCause().getMessage());
        assertFalse(Files.exists(sub));
    }

    @Test
    void aDiskThatFillsUpStopsTheRecordingThereAndKeepsWhatWasRecordedWhole() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("recordings"));
        try (SmallDisk disk = SmallDisk.mount(sub, "2m")) {
            // About 1.5 s of 16-bit mono at 48 kHz left free.
            disk.fill(sub.resolve("filler.bin"), 144_000);
            mode.controls().startCapture(sub.resolve("take.wav"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (mode.controls().capturing()) {
                assertTrue(System.nanoTime() < deadline, "the recording never met the full disk");
                Thread.sleep(20);
            }
            String summary = mode.controls().stopCapture().get(10, TimeUnit.SECONDS);
            assertTrue(summary.startsWith("take.wav: ") && summary.contains("stopped early: ")
                    && summary.contains("No space left on device"), summary);
            assertFalse(summary.contains("\n"), summary);

            Path wav = sub.resolve("take.wav");
            float[] got = AudioFiles.readMono(wav, SR);
            assertEquals(44 + 2L * got.length, Files.size(wav), "the header counts exactly the frames in the file");
            assertTrue(got.length > SR / 2 && got.length < SR * 2, "about 1.5 s kept: " + got.length + " frames");
            int first = find(got);
            for (int i = 0; i < got.length; i++) {
                assertEquals(played[first + i], got[i], 1.5f / 32768, "sample " + i + " of the recording");
            }
            assertEquals(List.of(), disk.temporaries(), "no partial file left on the full disk");

            // Space returns: the next recording is whole, and the kept take is untouched.
            byte[] kept = Files.readAllBytes(wav);
            Files.delete(sub.resolve("filler.bin"));
            mode.controls().startCapture(sub.resolve("next.wav"));
            Thread.sleep(300);
            String next = mode.controls().stopCapture().get(10, TimeUnit.SECONDS);
            assertTrue(next.startsWith("next.wav: ") && !next.contains("stopped early"), next);
            assertTrue(AudioFiles.readMono(sub.resolve("next.wav"), SR).length > 0);
            assertArrayEquals(kept, Files.readAllBytes(wav));
        }
    }

    @Test
    void theLastSecondsOfInputAreSavedWholeAsTheLatestStretchOfTheInputAndNeverOverAFile() throws Exception {
        Thread.sleep(2_500);
        Path wav = dir.resolve("last.wav");
        String summary = mode.controls().saveLastSeconds(1.0, wav).get(10, TimeUnit.SECONDS);
        assertEquals("last.wav: 1.0 s", summary);
        float[] got = AudioFiles.readMono(wav, SR);
        assertEquals(SR, got.length, "exactly one second");
        int first = find(got);
        assertTrue(first >= SR, "the latest second, not the first: starts at input frame " + first);
        for (int i = 0; i < got.length; i++) {
            assertEquals(played[first + i], got[i], 1.5f / 32768, "sample " + i);
        }
        byte[] kept = Files.readAllBytes(wav);
        IllegalArgumentException taken = assertThrows(IllegalArgumentException.class,
                () -> mode.controls().saveLastSeconds(1.0, wav));
        assertEquals("last.wav exists already; choose another name", taken.getMessage());
        assertThrows(IllegalArgumentException.class, () -> mode.controls().saveLastSeconds(0, dir.resolve("z.wav")));
        assertThrows(IllegalArgumentException.class, () -> mode.controls().saveLastSeconds(31, dir.resolve("z.wav")));
        assertArrayEquals(kept, Files.readAllBytes(wav));
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "nothing beside the saved take");
        }
    }

    @Test
    void savingTheLastSecondsOntoAFullDiskFailsWithTheReasonAndLeavesNothing() throws Exception {
        Path sub = Files.createDirectory(dir.resolve("recordings"));
        try (SmallDisk disk = SmallDisk.mount(sub, "1m")) {
            disk.fill(sub.resolve("filler.bin"), 0);
            Thread.sleep(1_200);
            ExecutionException full = assertThrows(ExecutionException.class,
                    () -> mode.controls().saveLastSeconds(1.0, sub.resolve("last.wav")).get(10, TimeUnit.SECONDS));
            assertTrue(full.getCause().getMessage().contains("No space left on device"), full.getCause().getMessage());
            assertFalse(Files.exists(sub.resolve("last.wav")));
            assertEquals(List.of(), disk.temporaries(), "no partial file left");
            Files.delete(sub.resolve("filler.bin"));
            assertEquals("last.wav: 1.0 s",
                    mode.controls().saveLastSeconds(1.0, sub.resolve("last.wav")).get(10, TimeUnit.SECONDS));
        }
    }
}
