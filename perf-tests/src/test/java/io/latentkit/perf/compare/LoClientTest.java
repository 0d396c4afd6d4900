package io.latentkit.perf.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.sink.NullSink;
import io.latentkit.osc.OscServer;
import io.latentkit.osc.OscServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Part 3's liblo client against a real latentkit OSC server rendering in real time on the null sink:
 * every {@code /hit ,ifi} gets its {@code /started}, and every timestamped one reports the frame its
 * timetag mapped to. Asserts on counts and frames only, never on times.
 */
class LoClientTest {
    @TempDir
    Path dir;

    @Test
    void libloClientGetsStartedForEveryHitAndTimestampedHitsStartAtTheirTimetagsFrame() throws Exception {
        StringBuilder why = new StringBuilder();
        Path bin = LoClient.compile(dir, why);
        // Like the oscsend interop tests, this needs its Debian packages (liblo-dev, gcc): .ci/run
        // installs them, and a machine without them fails here with the reason rather than skipping.
        assertNotNull(bin, "liblo client not built (install liblo-dev and gcc): " + why);
        Engine engine = Engine.create(EngineConfig.defaults(), Fixtures.defaultKit(0.1).kit());
        engine.start(new NullSink(256));
        try (OscServer osc = OscServer.start(OscServerConfig.defaults().withPort(0), engine, null)) {
            Path raw = dir.resolve("raw.txt");
            Process p = new ProcessBuilder(bin.toString(), "latentkit", Integer.toString(osc.port()), "10",
                    raw.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("client.log").toFile()).start();
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "client finished");
            assertEquals(0, p.exitValue(), Files.readString(dir.resolve("client.log")));
            List<String> lines = Files.readAllLines(raw);
            assertEquals(20, lines.size(), lines.toString());
            Map<String, String> s = LoClient.summarise(raw);
            assertEquals("0", s.get("imm_lost"), s.toString());
            assertEquals("0", s.get("ts_lost"), s.toString());
            assertEquals("0", s.get("imm_fail"), s.toString());
            assertEquals("10/10", s.get("ts_exact_frames"), s.toString());
            assertEquals(0, osc.counters().startedExpired());
        } finally {
            engine.close();
        }
    }
}
