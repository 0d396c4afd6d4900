package io.latentkit.presets.preset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.presets.LibraryException;
import io.latentkit.presets.LibraryFolder;
import io.latentkit.testsupport.CapturedLog;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Autosave on a timer, and the recovery offer after a real crash (a child JVM killed with SIGKILL). */
class AutosaveTest {
    @TempDir
    Path dir;

    private Process child(String tempo, String mode) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-XX:TieredStopAtLevel=1", "-cp", CrashDuringSaveTest.CHILD_CLASS_PATH, AutosaveChild.class.getName(),
                dir.toString(), tempo, mode).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        assertEquals("autosaved", out.readLine());
        return p;
    }

    @Test
    void afterACrashTheAutosaveIsOfferedOnTheNextStart() throws Exception {
        Process p = child("133", "crash");
        p.toHandle().destroyForcibly();
        p.waitFor(30, TimeUnit.SECONDS);
        try (Autosaver next = new Autosaver(new LibraryFolder(dir), Preset::defaults, Duration.ofSeconds(30))) {
            Optional<Autosaver.Recovery> r = next.start();
            assertTrue(r.isPresent(), "recovery offered");
            assertEquals(133.0, r.get().preset().tempoBpm());
        }
        // That session ended cleanly: nothing is offered again.
        try (Autosaver again = new Autosaver(new LibraryFolder(dir), Preset::defaults, Duration.ofSeconds(30))) {
            assertFalse(again.start().isPresent());
        }
    }

    @Test
    void afterACleanShutdownNothingIsOffered() throws Exception {
        Process p = child("99", "clean");
        assertEquals(0, p.waitFor());
        assertFalse(Files.exists(dir.resolve(Autosaver.MARKER)));
        assertEquals(99.0, PresetCodec.read(Files.readAllBytes(dir.resolve(Autosaver.AUTOSAVE)), "a").tempoBpm());
        try (Autosaver next = new Autosaver(new LibraryFolder(dir), Preset::defaults, Duration.ofSeconds(30))) {
            assertFalse(next.start().isPresent());
        }
    }

    @Test
    void itsDutyCycleSavesTheCurrentStateAtItsInterval() throws Exception {
        AtomicReference<Preset> state = new AtomicReference<>(Preset.defaults().withTempo(140));
        Autosaver a = new Autosaver(new LibraryFolder(dir), state::get, Duration.ofMillis(50));
        // Run by an agent runner, as the server's conductor runs it.
        AgentRunner runner = new AgentRunner(new SleepingMillisIdleStrategy(5), Throwable::printStackTrace, null, a);
        try (a) {
            assertFalse(a.start().isPresent());
            AgentRunner.startOnThread(runner);
            assertTrue(Files.exists(dir.resolve(Autosaver.MARKER)), "session marker while running");
            Path f = a.autosaveFile();
            // Waits for the timer's first save (bounded; no assertion on how fast).
            for (int i = 0; i < 400 && !Files.exists(f); i++) {
                Thread.sleep(25);
            }
            assertEquals(140.0, PresetCodec.read(Files.readAllBytes(f), "autosave").tempoBpm());
            state.set(Preset.defaults().withTempo(150));
            runner.close();
        }
        assertEquals(150.0, PresetCodec.read(Files.readAllBytes(dir.resolve(Autosaver.AUTOSAVE)), "autosave").tempoBpm(),
                "close saves the last state");
        assertFalse(new PresetStore(new LibraryFolder(dir)).list().contains(".autosave"), "the autosave is not a preset name");
    }

    @Test
    void aMarkerLeftBehindIsRecoveredEvenWhenTheNewSessionGotTheSamePid() throws Exception {
        // As process 1 of a container: the crashed session's marker holds this very pid.
        Files.writeString(dir.resolve(Autosaver.AUTOSAVE), "");
        try (Autosaver first = new Autosaver(new LibraryFolder(dir), () -> Preset.defaults().withTempo(111),
                Duration.ofSeconds(30))) {
            first.start();
            first.saveNow();
        }
        Files.writeString(dir.resolve(Autosaver.MARKER), Long.toString(ProcessHandle.current().pid()));
        Files.setLastModifiedTime(dir.resolve(Autosaver.MARKER),
                FileTime.fromMillis(System.currentTimeMillis() - 60_000));
        try (Autosaver next = new Autosaver(new LibraryFolder(dir), Preset::defaults, Duration.ofSeconds(30))) {
            Optional<Autosaver.Recovery> r = next.start();
            assertTrue(r.isPresent(), "the crashed session is recovered although its pid is ours");
            assertEquals(111.0, r.get().preset().tempoBpm());
        }
    }

    @Test
    void aSecondSessionOnTheSameFolderIsRefusedWhileTheFirstRuns() throws Exception {
        try (Autosaver first = new Autosaver(new LibraryFolder(dir), Preset::defaults, Duration.ofSeconds(30));
             Autosaver second = new Autosaver(new LibraryFolder(dir), Preset::defaults, Duration.ofSeconds(30))) {
            first.start();
            LibraryException e = assertThrows(LibraryException.class, second::start);
            assertTrue(e.getMessage().contains("another latentkit"), e.getMessage());
            assertEquals(1, e.getMessage().lines().count());
        }
    }

    @Test
    void aFolderThatCannotBeWrittenStopsNothingAndAutosaveResumesWhenItCan() throws Exception {
        Path presets = dir.resolve("presets");
        Files.writeString(presets, "a file where the folder should be");
        AtomicReference<Preset> state = new AtomicReference<>(Preset.defaults().withTempo(123));
        try (Autosaver a = new Autosaver(new LibraryFolder(presets), state::get, Duration.ofMillis(20));
             CapturedLog log = CapturedLog.open()) {
            log.expect("autosave resumed");
            LibraryException e = assertThrows(LibraryException.class, a::start);
            assertEquals(LibraryException.Kind.IO, e.kind());
            assertTrue(e.getMessage().contains("cannot start autosave"), e.getMessage());
            Thread.sleep(30);
            assertEquals(1, a.doWork(), "it tried again");
            assertFalse(Files.isDirectory(presets));
            Files.delete(presets); // the disk is writable again
            Thread.sleep(30);
            a.doWork();
            Thread.sleep(30);
            a.doWork();
            assertEquals(123.0, PresetCodec.read(Files.readAllBytes(presets.resolve(Autosaver.AUTOSAVE)), "a").tempoBpm());
            assertEquals(1, log.recordsWith("autosave resumed").size());
        }
    }
}
