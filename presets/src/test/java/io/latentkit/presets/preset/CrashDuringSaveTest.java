package io.latentkit.presets.preset;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.latentkit.core.DrumClass;
import java.net.URISyntaxException;
import org.agrona.concurrent.Agent;
import org.slf4j.LoggerFactory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latentkit.presets.LibraryFolder;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child JVM saves one preset in a loop ({@link SaveLoopChild}); the test kills it with SIGKILL
 * at a random moment, {@value #KILLS} times in all (a few children side by side, each on its own
 * folder, to keep the wall time down). After every kill the preset must load and be exactly the
 * last generation the child reported saved, or the one after it (the save in flight), with every
 * field of that generation intact; the backup likewise must be a complete generation.
 */
class CrashDuringSaveTest {
    static final int KILLS = 200;
    static final int PARALLEL = 4;
    /** Each generation carries this many derived numbers, so a save spans several writes. */
    static final int PAYLOAD = 1000;

    /** Just what the child needs (the test JVM's own class path is a long one): faster start-up. */
    static final String CHILD_CLASS_PATH = String.join(File.pathSeparator, location(SaveLoopChild.class),
            location(PresetStore.class), location(DrumClass.class),
            location(ObjectMapper.class),
            location(JsonFactory.class),
            location(JsonProperty.class),
            location(LoggerFactory.class), location(Agent.class));

    @TempDir
    Path dir;

    private static String location(Class<?> c) {
        try {
            return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Preset preset(int n) {
        ObjectNode ext = JsonNodeFactory.instance.objectNode();
        ext.put("generation", n);
        ArrayNode a = ext.putArray("payload");
        for (int i = 0; i < PAYLOAD; i++) {
            a.add((n * 31 + i * 7) % 1000);
        }
        return Preset.defaults().withTempo(20 + n % 380).withExtension("crash", ext);
    }

    static int generation(Preset p) {
        return p.extensions().get("crash").get("generation").intValue();
    }

    @Test
    void aPresetKilledMidSaveIsAlwaysExactlyTheOldOrTheNewVersion() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(PARALLEL);
        List<Future<int[]>> results = new ArrayList<>();
        for (int w = 0; w < PARALLEL; w++) {
            Path folder = Files.createDirectories(dir.resolve("w" + w));
            int kills = KILLS / PARALLEL;
            long seed = 1234 + w;
            results.add(pool.submit(() -> killLoop(folder, kills, seed)));
        }
        int total = 0;
        int inFlight = 0;
        int newest = 0;
        int midWrite = 0;
        for (Future<int[]> f : results) {
            int[] r = f.get(10, TimeUnit.MINUTES);
            total += r[0];
            inFlight += r[1];
            newest += r[2];
            midWrite += r[3];
        }
        pool.shutdown();
        System.out.printf("crash test: %d SIGKILLs, %d left a temporary file (killed mid-save), %d found the"
                + " in-flight save completed, %d generations saved%n", total, midWrite, inFlight, newest);
        assertTrue(total >= KILLS, "kills: " + total);
    }

    /**
     * Returns {kills, kills where the in-flight save had landed, last generation, kills that left
     * a temporary file behind (killed between creating and renaming it)}.
     */
    private int[] killLoop(Path folder, int kills, long seed) throws Exception {
        Random rnd = new Random(seed);
        PresetStore store = new PresetStore(new LibraryFolder(folder));
        // Generation 0 exists before the first child: "the old version" is always a real file.
        store.save("crash", preset(0));
        int known = 0;
        int landed = 0;
        int midWrite = 0;
        for (int k = 0; k < kills; k++) {
            Process child = new ProcessBuilder(javaBin(), "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                    "-Xshare:auto", "-cp", CHILD_CLASS_PATH, SaveLoopChild.class.getName(),
                    folder.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertEquals("start " + known, first, "child " + k + " saw the preset the parent saw");
            // Once the child is in its save loop (its first save has returned: class loading is
            // over), kill it at a random moment within the next few saves, at sub-millisecond
            // resolution, so the kills land in every phase of a save.
            int acked = known;
            String line = out.readLine();
            if (line != null && line.startsWith("saved ")) {
                acked = Integer.parseInt(line.substring(6));
            }
            Thread.sleep(rnd.nextInt(40));
            busyWaitMicros(rnd.nextInt(1000));
            // SIGKILL (Linux) through the handle: Process.destroyForcibly would also close our end of
            // the pipe and lose the acknowledgements still buffered in it.
            child.toHandle().destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
            while ((line = out.readLine()) != null) {
                if (line.startsWith("saved ")) {
                    acked = Integer.parseInt(line.substring(6));
                }
            }
            Preset p = store.load("crash");
            int g = generation(p);
            assertTrue(g == acked || g == acked + 1, "kill " + k + ": loaded generation " + g + ", last acknowledged "
                    + acked);
            assertEquals(preset(g), p, "generation " + g + " intact");
            Path bak = folder.resolve("crash.json.bak");
            if (Files.exists(bak)) {
                Preset b = PresetCodec.read(Files.readAllBytes(bak), "backup");
                assertEquals(preset(generation(b)), b, "backup intact");
            }
            if (g == acked + 1) {
                landed++;
            }
            try (var files = Files.list(folder)) {
                if (files.anyMatch(f -> f.getFileName().toString().contains(".tmp-"))) {
                    midWrite++;
                }
            }
            known = g;
        }
        return new int[] {kills, landed, known, midWrite};
    }

    private static void busyWaitMicros(int micros) {
        long end = System.nanoTime() + micros * 1000L;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    private static String javaBin() {
        return Path.of(System.getProperty("java.home"), "bin", "java" + (File.separatorChar == '\\' ? ".exe" : "")).toString();
    }

}
