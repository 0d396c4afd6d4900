package io.latentkit.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ONNX Runtime's natives are extracted once into latentkit's cache, not into a new temporary
 * folder per start: a server killed with SIGKILL (a crash) leaves no library behind in the
 * temporary folder, and the next start reuses the cached copy.
 */
class OnnxNativesTest {
    @TempDir
    Path dir;

    /** Child JVM: loads the shipped models, says so, and waits to be killed. */
    public static void main(String[] args) throws Exception {
        Models m = Models.loadDefault();
        System.out.println(m.isAvailable() ? "available" : "unavailable " + m.unavailableReason().orElse(""));
        System.out.flush();
        Thread.sleep(60_000);
    }

    @Test
    void aKilledServerLeavesNoNativeLibrariesInTheTemporaryFolder() throws Exception {
        Path tmp = Files.createDirectories(dir.resolve("tmp"));
        Path cache = dir.resolve("cache");
        for (int run = 0; run < 2; run++) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Djava.io.tmpdir=" + tmp, "-Dlatentkit.cache=" + cache, "-cp", System.getProperty("java.class.path"),
                    OnnxNativesTest.class.getName()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                assertEquals("available", out.readLine());
            } finally {
                p.destroyForcibly(); // SIGKILL: no clean-up of any kind runs
                p.waitFor(30, TimeUnit.SECONDS);
            }
            // ONNX Runtime still creates (and on a clean exit deletes) an empty folder of its own
            // there; what must not be left is its 21 MiB of libraries.
            try (Stream<Path> left = Files.walk(tmp)) {
                List<String> files = left.filter(Files::isRegularFile).map(f -> tmp.relativize(f).toString()).toList();
                assertEquals(List.of(), files, "no library left in the temporary folder after run " + run);
            }
        }
        try (Stream<Path> cached = Files.walk(cache)) {
            assertTrue(cached.anyMatch(f -> f.getFileName().toString().equals("libonnxruntime.so")), "cached once");
        }
    }
}
