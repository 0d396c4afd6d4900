package io.latentkit.osc.transport;

import static io.latentkit.osc.testkit.Packets.message;
import static io.latentkit.osc.testkit.Packets.slip;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.osc.DropReason;
import io.latentkit.osc.OscServerConfig;
import io.latentkit.osc.testkit.OscTestRig;
import io.latentkit.osc.testkit.TcpClient;
import io.latentkit.osc.testkit.TestKits;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * TCP connections that hold a slot without using it: 64 idle connections and a one-byte-a-second
 * sender, on real loopback sockets from several source addresses (127.0.0.x), against the per-host
 * and global caps and the idle and frame timeouts. Time is the rig's manual clock, so the timeouts
 * are decided by what the test advances, not by how fast this machine is.
 */
class TcpConnectionLimitsTest {
    private static final long SECOND = 1_000_000_000L;

    @Test
    void idleAndSlowConnectionsAreClosedAndANewClientIsThenServed() {
        List<TcpClient> idle = new ArrayList<>();
        try (OscTestRig rig = new OscTestRig(c -> c.withTcp(new OscServerConfig.TcpLimits(16, 60 * SECOND, 2 * SECOND)),
                TestKits.library(Map.of()))) {
            int port = rig.port();
            // One host holds its 16; a 17th from the same host is refused although the global cap has room.
            for (int i = 0; i < 16; i++) {
                idle.add(new TcpClient("127.0.0.2", port));
            }
            OscTestRig.await("16 connections", () -> rig.server.tcpConnections() == 16);
            try (TcpClient seventeenth = new TcpClient("127.0.0.2", port)) {
                assertTrue(seventeenth.closedWithin(10_000), "17th connection from one host must be refused");
            }
            assertEquals(1, rig.counters().drops(DropReason.TOO_MANY_PEERS));
            // Fill the global cap of 64: 62 idle in all, one live client and one slow one.
            for (int host = 3; host <= 5; host++) {
                for (int i = 0; i < (host == 5 ? 14 : 16); i++) {
                    idle.add(new TcpClient("127.0.0." + host, port));
                }
            }
            TcpClient live = new TcpClient("127.0.0.7", port);
            TcpClient slow = new TcpClient("127.0.0.6", port);
            OscTestRig.await("64 connections", () -> rig.server.tcpConnections() == 64);
            try (TcpClient locked = new TcpClient("127.0.0.9", port)) {
                assertTrue(locked.closedWithin(10_000), "65th connection must be refused while 64 are held");
            }
            assertEquals(2, rig.counters().drops(DropReason.TOO_MANY_PEERS));

            // The slow client sends one byte per (manual) second of a packet far longer than it will live.
            byte[] packet = slip(message("/version", "x".repeat(200)));
            int sent = 0;
            boolean closed = false;
            while (sent < packet.length && !closed) {
                slow.write(Arrays.copyOfRange(packet, sent, sent + 1));
                sent++;
                rig.nanos.advanceNanos(SECOND);
                closed = slow.closedWithin(200);
            }
            assertTrue(closed, "a one-byte-a-second client must be closed");
            assertTrue(sent < packet.length, "closed before its packet was finished, after " + sent + " bytes");
            assertEquals(1, rig.counters().drops(DropReason.TCP_TIMEOUT));
            OscTestRig.await("63 connections", () -> rig.server.tcpConnections() == 63);

            // The live client renews within the idle timeout; the idle ones do not.
            rig.nanos.advanceNanos(30 * SECOND);
            live.write(slip(message("/version")));
            assertTrue(live.receiveSlip().startsWith("/version.reply"));
            rig.nanos.advanceNanos(35 * SECOND);
            OscTestRig.await("idle connections closed", () -> rig.server.tcpConnections() == 1);
            for (TcpClient c : idle) {
                assertTrue(c.closedWithin(10_000), "idle connection must be closed");
            }
            assertEquals(1 + 62, rig.counters().drops(DropReason.TCP_TIMEOUT));
            assertFalse(live.closedWithin(100), "a connection that sends within the idle timeout stays open");
            live.write(slip(message("/version")));
            assertTrue(live.receiveSlip().startsWith("/version.reply"));

            // A new client, from a host that held 16 idle connections before, is served.
            try (TcpClient fresh = new TcpClient("127.0.0.2", port)) {
                fresh.write(slip(message("/version")));
                assertTrue(fresh.receiveSlip().startsWith("/version.reply"));
            }
            live.close();
            slow.close();
        } finally {
            for (TcpClient c : idle) {
                c.close();
            }
        }
    }
}
