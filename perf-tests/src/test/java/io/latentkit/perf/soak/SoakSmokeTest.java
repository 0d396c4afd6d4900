package io.latentkit.perf.soak;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The soak harness, for two minutes, with every part of the script (OSC hits, parameters, tempo,
 * kit swaps, preset saves and loads, latent moves, generations and reverts, model reloads good and
 * broken, listen input, MIDI notes and controls): asserts only what cannot be noisy on a shared
 * machine (the server's own threads and its open files do not grow, nothing it rendered was
 * non-finite, every broken reload was refused and the server stayed up, each input reached the
 * server, it stops cleanly); memory, heap and deadline misses are for the hour-long run in the
 * report.
 */
@Tag("timing")
class SoakSmokeTest {
    @TempDir
    Path dir;

    @Test
    void twoMinutesOfTheSoakScriptLeakNoThreadsOrFilesAndRenderNothingNonFinite() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Soak.Result r = Soak.run(2.0, 10, SoakLoad.Script.smoke(), dir, new PrintStream(log, true, StandardCharsets.UTF_8));
        String text = log.toString(StandardCharsets.UTF_8);
        String serveLog = Files.readString(dir.resolve("serve.log"));
        assertEquals(0, r.exitCode(), "serve stopped cleanly:\n" + serveLog);
        assertTrue(r.samples().size() >= 10, text);
        assertTrue(r.messagesSent() > 60_000, "the script ran: " + r.messagesSent());
        ProcessSample first = r.samples().get(1); // after the first reload, kit swap and save
        ProcessSample last = r.samples().get(r.samples().size() - 1);
        assertEquals(first.latentkitThreads(), last.latentkitThreads(), "the server's own threads\n" + text);
        assertTrue(last.openFiles() <= first.openFiles() + 2, "open files " + first.openFiles() + " -> "
                + last.openFiles() + "\n" + text);
        for (ProcessSample s : r.samples()) {
            assertEquals(0.0, s.status().getOrDefault("nonfinite", 0.0), "non-finite samples at " + s.seconds());
            assertTrue(s.status().containsKey("nonfinite"), "the server reports non-finite samples: " + s.status());
            assertEquals(0.0, s.status().get("meter_nonfinite"), "non-finite meter values at " + s.seconds());
        }
        Map<String, Double> end = last.status();
        assertTrue(r.badReloadsSent() >= 1 && r.goodReloadsSent() >= 2, "reloads sent " + r.goodReloadsSent()
                + " good, " + r.badReloadsSent() + " broken");
        // The last reload may still be running at the last sample; every broken one before it was refused.
        assertTrue(end.getOrDefault("model_reload_failures", 0.0) >= r.badReloadsSent() - 1, "broken reloads refused: " + end);
        assertTrue(end.getOrDefault("model_reloads", 0.0) >= 1, "a good reload was done: " + end);
        assertEquals(1.0, end.get("models"), "models in service after broken reloads: " + end);
        assertTrue(end.getOrDefault("reply /latent/ready", 0.0) > 0, "latent moves were served: " + end);
        assertTrue(end.getOrDefault("listen_triggered", 0.0) > 0, "listen mode heard the take and played: " + end);
        assertTrue(end.getOrDefault("midi_notes", 0.0) > 0, "MIDI notes reached the server: " + end);
        assertTrue(end.getOrDefault("meter_values", 0.0) > 0 && end.getOrDefault("output_peak", 0.0) > 0,
                "the output was heard: " + end);
        assertTrue(serveLog.contains("soak-inputs: "), "the inputs reported: " + serveLog);
        assertTrue(Files.readString(r.report()).contains("| s | RSS MiB |"));
    }
}
