package io.latentkit.osc;

import java.util.Arrays;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.osc.testkit.Liblo;
import io.latentkit.osc.testkit.OscTestRig;
import io.latentkit.osc.testkit.TestKits;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server against a real peer: liblo's oscsend, oscsendfile and oscdump. */
class LibloInteropTest {
    @Test
    void oscsendMessagesOverUdpPlay() {
        try (OscTestRig rig = new OscTestRig()) {
            String url = "osc.udp://127.0.0.1:" + rig.port();
            Liblo.run("oscsend", url, "/hit", "if", "3", "0.5");
            Liblo.run("oscsend", url, "/hit/snare", "f", "1.0");
            Liblo.run("oscsend", url, "/note", "ii", "36", "1");
            Liblo.run("oscsend", url, "/pad/4/pan", "d", "-1.0");
            rig.awaitMessages(4);
            assertEquals(0, rig.counters().totalDrops(), rig.counters().toString());
            rig.render(64);
            assertArrayEquals(new int[] {0}, rig.sink.nonZeroFrames(0));
        }
    }

    @Test
    void oscsendMessagesOverTcpPlay() {
        try (OscTestRig rig = new OscTestRig()) {
            String url = "osc.tcp://127.0.0.1:" + rig.port();
            Liblo.run("oscsend", url, "/hit", "if", "3", "0.5");
            Liblo.run("oscsend", url, "/hit/kick", "T");
            rig.awaitMessages(2);
            assertEquals(0, rig.counters().totalDrops(), rig.counters().toString());
            rig.render(64);
            assertArrayEquals(new int[] {0}, rig.sink.nonZeroFrames(0));
        }
    }

    @Test
    void oscsendfileBundlesKeepTheirTimetagSpacingToTheSample(@TempDir Path dir) throws IOException {
        // oscsendfile re-stamps each line as a bundle at (now + its offset in the file), so the
        // absolute frame depends on when it ran, and the spacing must be exact: 1/16 s = 3000 frames,
        // 3/16 s = 9000 frames at 48 kHz. Frame 0 of the engine is "now".
        long now = System.currentTimeMillis() * 1_000_000L;
        try (OscTestRig rig = new OscTestRig(c -> c, TestKits.library(Map.of()), now)) {
            Path file = dir.resolve("hits.txt");
            Files.writeString(file, String.join("\n",
                    "00000001.00000000 /hit i 1",
                    "00000001.10000000 /hit i 2",
                    "00000001.30000000 /hit if 3 1.0", ""), StandardCharsets.US_ASCII);
            for (String proto : new String[] {"udp", "tcp"}) {
                long before = rig.counters().messages();
                Liblo.run("oscsendfile", "osc." + proto + "://127.0.0.1:" + rig.port(), file.toString());
                rig.awaitMessages(before + 3);
            }
            assertEquals(0, rig.counters().totalDrops(), rig.counters().toString());
            rig.render(3 * OscTestRig.RATE_HZ);
            int[] onsets = rig.sink.nonZeroFrames(0);
            assertEquals(6, onsets.length, Arrays.toString(onsets));
            for (int run = 0; run < 2; run++) {
                assertEquals(3000, onsets[3 * run + 1] - onsets[3 * run], Arrays.toString(onsets));
                assertEquals(9000, onsets[3 * run + 2] - onsets[3 * run], Arrays.toString(onsets));
                assertEquals(TestKits.clickAmplitude(1, 1f), rig.sink.left(onsets[3 * run]), 1e-6);
                assertEquals(TestKits.clickAmplitude(3, 1f), rig.sink.left(onsets[3 * run + 2]), 1e-6);
            }
            assertEquals(0, rig.engine.counters().lateEvents());
        }
    }

    @Test
    void oscdumpReceivesStatusReplyAndTelemetry() {
        try (OscTestRig rig = new OscTestRig(); Liblo.OscDump dump = new Liblo.OscDump()) {
            String url = "osc.udp://127.0.0.1:" + rig.port();
            String port = Integer.toString(dump.port);
            // oscdump listens on its own port, so queries name it as their reply port.
            String status = dump.await("/status.reply", () -> Liblo.run("oscsend", url, "/status", "i", port));
            assertTrue(status.contains("/status.reply iffiiiisisisisisisisi 0 0.0"), status);
            // nonfinite and the models' pair, then deadline misses by cause (none here).
            assertTrue(status.endsWith("\"nonfinite\" 0 \"models\" 0 \"misses_scheduling\" 0 \"misses_steal\" 0 \"misses_render\" 0 "
                    + "\"misses_gc\" 0 \"misses_unexplained\" 0"), status);
            assertTrue(status.contains(" 48000 "), status);
            dump.await("/done s \"/notify\"", () -> Liblo.run("oscsend", url, "/notify", "ii", "1", port));
            long before = rig.counters().messages();
            Liblo.run("oscsend", url, "/hit", "i", "0");
            rig.awaitMessages(before + 1);
            rig.nanos.advanceNanos(50_000_000L);
            rig.render(OscTestRig.RATE_HZ);
            String meter = dump.await("/meter/l f ", null);
            dump.await("/meter/r f ", null);
            dump.await("/voices f ", null);
            dump.await("/beat f ", null);
            assertTrue(meter.matches(".*/meter/l f \\d+\\.\\d+.*"), meter);
        }
    }
}
