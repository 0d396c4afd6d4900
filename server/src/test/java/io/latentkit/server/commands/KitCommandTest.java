package io.latentkit.server.commands;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kit import}, {@code kit list} and {@code kit remove} on real files, with their exit codes
 * and messages.
 */
class KitCommandTest {
    @TempDir
    Path tmp;

    record Run(int code, String out, String err) {
    }

    Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = KitCommand.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Run(code, out.toString(), err.toString());
    }

    /** A 16-bit WAV of a 200 Hz tone, 0.1 s at 22.05 kHz. */
    static byte[] wav() {
        int frames = 2205;
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * frames).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * frames).put("WAVEfmt ".getBytes()).putInt(16).putShort((short) 1)
                .putShort((short) 1).putInt(22050).putInt(44100).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes()).putInt(2 * frames);
        for (int i = 0; i < frames; i++) {
            b.putShort((short) (8000 * Math.sin(2 * Math.PI * 200 * i / 22050.0)));
        }
        return b.array();
    }

    /** A tiny folder kit written here: a WAV per class name. */
    Path folderKit() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("src"));
        Files.write(dir.resolve("kick.wav"), wav());
        Files.write(dir.resolve("snare.wav"), wav());
        return dir;
    }

    /** An SFZ library laid out as Programs/ and Samples/, with a missing sample and an unsupported opcode. */
    Path sfzLibrary() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("lib/Programs"));
        Files.createDirectories(tmp.resolve("lib/Samples"));
        Files.write(tmp.resolve("lib/Samples/kick.wav"), wav());
        Files.write(tmp.resolve("lib/Samples/hat.wav"), wav());
        Files.writeString(dir.resolve("kit.sfz"), "<control> default_path=../Samples/\n"
                + "<region> key=36 sample=kick.wav ampeg_release=0.2\n<region> key=38 sample=snare.wav\n"
                + "<region> key=42 sample=hat.wav ampeg_release=0.1\n");
        return tmp.resolve("lib");
    }

    @Test
    void importThenListShowsTheKit() throws Exception {
        Path data = tmp.resolve("data");
        Run r = run("import", folderKit().toString(), "--name", "my kit", "--data", data.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("imported kit 'my kit' from folder"), r.out());
        assertTrue(r.out().contains("kick snare"), r.out());
        Run l = run("list", "--data", data.toString());
        assertEquals(0, l.code());
        assertTrue(l.out().matches("my kit  folder  2/12 pads \\(kick snare\\)  2 samples  [0-9.]+ KiB\n"), l.out());
    }

    @Test
    void listJsonShowsWhatEachKitHolds() throws Exception {
        Path data = tmp.resolve("data");
        assertEquals(0, run("import", folderKit().toString(), "--name", "b", "--data", data.toString()).code());
        assertEquals(0, run("import", sfzLibrary().toString(), "--name", "a", "--data", data.toString()).code());
        Run l = run("list", "--json", "--data", data.toString());
        assertEquals(0, l.code(), l.err());
        JsonNode kits = new ObjectMapper().readTree(l.out());
        assertEquals(2, kits.size());
        JsonNode a = kits.get(0);
        assertEquals("a", a.get("name").asText());
        assertEquals("sfz", a.get("format").asText());
        assertEquals("kit", a.get("title").asText());
        assertEquals("[\"kick\",\"hihat_closed\"]", a.get("pads").toString());
        assertEquals(2, a.get("samples").asInt());
        long onDisk = 0;
        try (Stream<Path> s = Files.walk(data.resolve("kits/a"))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                onDisk += Files.isRegularFile(p) ? Files.size(p) : 0;
            }
        }
        assertEquals(onDisk, a.get("bytes").asLong());
        assertEquals("folder", kits.get(1).get("format").asText());
        assertEquals("[]", new ObjectMapper().readTree(run("list", "--json", "--data", tmp.resolve("none").toString())
                .out()).toString(), "an empty library is an empty array");
    }

    @Test
    void eachImportWarningIsPrintedOnceAndNothingElseGoesToStderr() throws Exception {
        Path lib = sfzLibrary();
        // The process's own stderr too: no log line repeats a warning.
        PrintStream saved = System.err;
        ByteArrayOutputStream logged = new ByteArrayOutputStream();
        Run r;
        try {
            System.setErr(new PrintStream(logged, true, StandardCharsets.UTF_8));
            r = run("import", lib.toString(), "--name", "lib", "--data", tmp.resolve("data").toString());
        } finally {
            System.setErr(saved);
        }
        assertEquals("", logged.toString(StandardCharsets.UTF_8));
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.err().lines().toList();
        assertEquals(List.of("latentkit: warning: SFZ: unsupported opcodes ignored: ampeg_release",
                "latentkit: warning: instrument 'snare (key 38)': sample skipped: snare.wav is missing"), lines);
        assertTrue(r.out().startsWith("imported kit 'lib' from sfz 'kit': 2 pads (kick hihat_closed)"), r.out());
    }

    @Test
    void forceReplacesAKitAndRemoveDeletesIt() throws Exception {
        Path data = tmp.resolve("data");
        assertEquals(0, run("import", folderKit().toString(), "--name", "k", "--data", data.toString()).code());
        Run taken = run("import", sfzLibrary().toString(), "--name", "k", "--data", data.toString());
        assertEquals(2, taken.code());
        assertEquals("latentkit: a kit named 'k' already exists (replace it with --force, or remove it first)",
                taken.err().strip());
        Run forced = run("import", sfzLibrary().toString(), "--name", "k", "--force", "--data", data.toString());
        assertEquals(0, forced.code(), forced.err());
        assertTrue(run("list", "--data", data.toString()).out().startsWith("k  sfz  2/12 pads (kick hihat_closed)"));

        Run removed = run("remove", "k", "--data", data.toString());
        assertEquals(0, removed.code(), removed.err());
        assertEquals("removed kit 'k'", removed.out().strip());
        assertEquals("", run("list", "--data", data.toString()).out());
        try (Stream<Path> s = Files.list(data.resolve("kits"))) {
            assertEquals(0, s.count(), "nothing left behind");
        }
        Run again = run("remove", "k", "--data", data.toString());
        assertEquals(2, again.code());
        assertEquals("latentkit: no kit named 'k'", again.err().strip());
        assertEquals(2, run("remove", "../k", "--data", data.toString()).code());
    }

    @Test
    void rootLetsAnSfzFileReachSamplesBesideItsFolder() throws Exception {
        Path lib = sfzLibrary();
        Path data = tmp.resolve("data");
        Run alone = run("import", lib.resolve("Programs/kit.sfz").toString(), "--name", "a", "--data", data.toString());
        assertEquals(2, alone.code());
        assertEquals(1, alone.err().strip().lines().count(), alone.err());
        assertTrue(alone.err().contains("give --root") && alone.err().contains("'../Samples/kick.wav'"), alone.err());
        Run rooted = run("import", lib.resolve("Programs/kit.sfz").toString(), "--root", lib.toString(), "--name", "a",
                "--data", data.toString());
        assertEquals(0, rooted.code(), rooted.err());
    }

    @Test
    void badInputExitsWithTwoAndOneLineOnStderr() throws Exception {
        Path data = tmp.resolve("data");
        Path src = folderKit();
        assertEquals(0, run("import", src.toString(), "--name", "k", "--data", data.toString()).code());
        Run[] bad = {
            run("import", src.toString(), "--name", "k", "--data", data.toString()),
            run("import", src.toString(), "--name", "../k", "--data", data.toString()),
            run("import", tmp.resolve("missing").toString(), "--name", "m", "--data", data.toString()),
            run("import", Files.createDirectories(tmp.resolve("empty")).toString(), "--name", "e", "--data", data.toString()),
            run("import", src.toString(), "--data", data.toString()),
            run(),
        };
        for (Run r : bad) {
            assertEquals(2, r.code(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().startsWith("latentkit") || r.err().startsWith("Missing"), r.err());
        }
    }

    @Test
    void anUnwritableDataFolderIsAnInternalFailure() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-folder"), "x");
        Run r = run("import", folderKit().toString(), "--name", "k", "--data", file.toString());
        assertEquals(1, r.code(), r.err());
    }
}
