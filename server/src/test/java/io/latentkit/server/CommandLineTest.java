package io.latentkit.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CommandLineTest {
    @TempDir
    Path dir;

    private record Result(int code, String out, String err) {
    }

    private static Result run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            int code = Main.run(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "serve --rate 12345          | sample rate must be 44100, 48000 or 96000 Hz, got 12345",
        "serve --block 8             | block must be 16..4096 frames, got 8",
        "serve --voices 0            | voices must be 1..16384, got 0",
        "serve --buffer 32           | --buffer must be between the block size (64) and 1048576 frames, got 32",
        "serve --audio-out speakers  | --audio-out must be default, none, wav:FILE, device:NAME or jack[:CLIENT], got 'speakers'",
        "serve --audio-out jack:a:b  | --audio-out must be default, none, wav:FILE, device:NAME or jack[:CLIENT], got 'jack:a:b'",
        "serve --realtime always     | --realtime must be auto, off or a list of pin,fifo,mlock, got 'always'",
        "serve --audio-out jack --jack-connect one | --jack-connect must be auto, none or LEFT,RIGHT (two port names), got 'one'",
        "serve --audio-out wav:/nonexistent/take.wav | cannot write /nonexistent/take.wav: folder /nonexistent does not exist",
        "serve --bogus               | Unknown option: '--bogus'",
        "serve --http-bind 0.0.0.0   | --http-bind 0.0.0.0 is not loopback: give --http-allow CIDR,... to say which hosts may connect",
        "serve --mdns                | --mdns advertises on a network: it needs --http-bind beyond loopback",
        "serve --http-port 70000     | --http-port must be 0..65535, got 70000",
        "serve --rate fast           | Invalid value for option '--rate'",
        "serve --model-bypass-rest-ms 0 | --model-bypass-rest-ms must be 1..3600000, got 0",
        "demo                        | Missing required option: '--out=FILE'",
        "demo --out /nonexistent/d.wav | cannot write /nonexistent/d.wav: folder /nonexistent does not exist",
    })
    void badUsageExitsTwoWithAOneLineReasonBeforeAnythingStarts(String args, String reason) {
        Result r = run(args.trim().split("\\s+"));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().startsWith("latentkit: "), r.err());
        assertTrue(r.err().contains(reason), r.err());
        assertEquals(1, r.err().strip().lines().count(), "one line: " + r.err());
        assertEquals(0, Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("latentkit-")).count(), "no engine thread started");
    }

    @Test
    void aFolderAsOutputIsRefused() {
        Result r = run("demo", "--out", dir.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("it is a folder"), r.err());
    }

    @Test
    void demoRendersAtLeastEightSecondsOfTheGrooveOnAllPads() throws Exception {
        Path wav = dir.resolve("demo.wav");
        Result r = run("demo", "--out", wav.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("wrote " + wav), r.out());
        try (AudioInputStream in = AudioSystem.getAudioInputStream(wav.toFile())) {
            double seconds = in.getFrameLength() / (double) in.getFormat().getFrameRate();
            assertTrue(seconds >= 8.0, "demo length " + seconds + " s");
        }
        assertTrue(Files.size(wav) > 8 * 48_000 * 8, "frames of audio in the file");
    }

    @Test
    void demoIsTheSameOnEveryRun() throws Exception {
        Path a = dir.resolve("a.wav");
        Path b = dir.resolve("b.wav");
        assertEquals(0, run("demo", "--out", a.toString()).code());
        assertEquals(0, run("demo", "--out", b.toString()).code());
        assertEquals(-1L, Files.mismatch(a, b));
    }

    @Test
    void usageHintsNameTheCommandThatWasMisused() {
        Result top = run("--bogus");
        assertTrue(top.err().contains("(see 'latentkit --help')"), top.err());
        Result sub = run("kit", "import", "--bogus");
        assertTrue(sub.err().contains("(see 'latentkit kit import --help')"), sub.err());
    }

    @Test
    void namespaceJsonIsAnOscQueryTreeOfEveryAddressWithTypesRangesAndValues() throws Exception {
        Result r = run("namespace", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertEquals("/", root.get("FULL_PATH").asText());
        JsonNode gain = root.at("/CONTENTS/pad/CONTENTS/kick/CONTENTS/gain");
        assertEquals("/pad/kick/gain", gain.get("FULL_PATH").asText());
        assertEquals("f", gain.get("TYPE").asText());
        assertEquals(0.0, gain.at("/RANGE/0/MIN").asDouble());
        assertEquals(4.0, gain.at("/RANGE/0/MAX").asDouble());
        assertEquals(3, gain.get("ACCESS").asInt());
        assertEquals(1.0, gain.at("/VALUE/0").asDouble());
        assertTrue(gain.get("DESCRIPTION").asText().contains("gain"));
        JsonNode hit = root.at("/CONTENTS/hit");
        assertEquals("ifi", hit.get("TYPE").asText());
        assertEquals("/hit/snare", hit.at("/CONTENTS/snare/FULL_PATH").asText());
        assertEquals(120.0, root.at("/CONTENTS/tempo/VALUE/0").asDouble());
        assertTrue(root.at("/CONTENTS/started").isMissingNode(), "replies are not part of the OSCQuery tree");

        Result text = run("namespace");
        assertEquals(0, text.code(), text.err());
        assertTrue(text.out().contains("/pad/<n>/pitch"), text.out());
        assertTrue(text.out().contains("sends:"), text.out());
    }
}
