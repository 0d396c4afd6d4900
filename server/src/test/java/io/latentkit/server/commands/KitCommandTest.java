package io.latentkit.server.commands;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kit import} and {@code kit list} on real files, with their exit codes and messages. */
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

    /** A tiny folder kit written here: a 16-bit WAV named for its class. */
    Path folderKit() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("src"));
        int frames = 2205;
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * frames).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * frames).put("WAVEfmt ".getBytes()).putInt(16).putShort((short) 1)
                .putShort((short) 1).putInt(22050).putInt(44100).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes()).putInt(2 * frames);
        for (int i = 0; i < frames; i++) {
            b.putShort((short) (8000 * Math.sin(2 * Math.PI * 200 * i / 22050.0)));
        }
        Files.write(dir.resolve("kick.wav"), b.array());
        Files.write(dir.resolve("snare.wav"), b.array());
        return dir;
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
        assertEquals("my kit", l.out().trim());
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
