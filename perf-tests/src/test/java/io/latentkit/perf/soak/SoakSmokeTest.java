package io.latentkit.perf.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak harness, for two minutes: asserts only what cannot be noisy on a shared machine (the
 * server's own threads and its open files do not grow, nothing it rendered was non-finite, it
 * stops cleanly); memory, heap and deadline misses are for the hour-long run in the report.
 */
@Tag("timing")
class SoakSmokeTest {
    @TempDir
    Path dir;

    @Test
    void twoMinutesOfTheSoakScriptLeakNoThreadsOrFilesAndRenderNothingNonFinite() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Soak.Result r = Soak.run(2.0, 10, dir, new PrintStream(log, true, StandardCharsets.UTF_8));
        String text = log.toString(StandardCharsets.UTF_8);
        assertEquals(0, r.exitCode(), "serve stopped cleanly:\n" + Files.readString(dir.resolve("serve.log")));
        assertTrue(r.samples().size() >= 10, text);
        assertTrue(r.messagesSent() > 60_000, "the script ran: " + r.messagesSent());
        ProcessSample first = r.samples().get(1); // after the first kit swap and save
        ProcessSample last = r.samples().get(r.samples().size() - 1);
        assertEquals(first.latentkitThreads(), last.latentkitThreads(), "the server's own threads\n" + text);
        assertTrue(last.openFiles() <= first.openFiles() + 2, "open files " + first.openFiles() + " -> "
                + last.openFiles() + "\n" + text);
        for (ProcessSample s : r.samples()) {
            assertEquals(0.0, s.status().getOrDefault("nonfinite", 0.0), "non-finite samples at " + s.seconds());
            assertTrue(s.status().containsKey("nonfinite"), "the server reports non-finite samples: " + s.status());
        }
        assertTrue(Files.readString(r.report()).contains("| s | RSS MiB |"));
    }
}
