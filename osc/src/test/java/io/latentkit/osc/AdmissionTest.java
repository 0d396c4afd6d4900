package io.latentkit.osc;

import static io.latentkit.osc.testkit.Packets.bytes;
import static io.latentkit.osc.testkit.Packets.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.osc.testkit.OscTestRig;
import io.latentkit.osc.testkit.TcpClient;
import io.latentkit.osc.testkit.TestKits;
import io.latentkit.osc.testkit.UdpClient;
import io.latentkit.osc.transport.Cidr;
import java.net.InetAddress;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who may send, and how much: the bind address, the allowlist and the per-host rate limit. */
class AdmissionTest {
    @Test
    void defaultConfigurationBindsLoopbackOnPort9000() {
        OscServerConfig d = OscServerConfig.defaults();
        assertEquals("127.0.0.1", d.bindAddress().getHostAddress());
        assertEquals(9000, d.port());
        try (OscTestRig rig = new OscTestRig()) {
            assertEquals("127.0.0.1", rig.server.localAddress().getAddress().getHostAddress());
        }
    }

    @Test
    void nonLoopbackBindWithoutAllowlistIsRefusedWithAReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OscServerConfig.fromOptions(9000, "0.0.0.0", null));
        assertEquals("--osc-bind 0.0.0.0 is not loopback: give --osc-allow CIDR,... to say which hosts may send",
                e.getMessage());
        OscServerConfig ok = OscServerConfig.fromOptions(9100, "0.0.0.0", "192.168.1.0/24, 10.0.0.7");
        assertEquals(9100, ok.port());
        assertEquals(2, ok.allow().size());
        assertThrows(IllegalArgumentException.class, () -> OscServerConfig.fromOptions(null, "localhost", null));
        assertThrows(IllegalArgumentException.class, () -> OscServerConfig.fromOptions(null, null, "10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> OscServerConfig.fromOptions(70000, null, null));
    }

    @Test
    void cidrMatchesItsNetworkOnly() throws Exception {
        Cidr net = Cidr.parse("192.168.1.0/24");
        assertTrue(net.contains(InetAddress.getByName("192.168.1.200")));
        assertEquals(false, net.contains(InetAddress.getByName("192.168.2.1")));
        assertTrue(Cidr.parse("::1").contains(InetAddress.getByName("::1")));
        assertTrue(Cidr.parse("0.0.0.0/0").contains(InetAddress.getByName("8.8.8.8")));
    }

    @Test
    void packetFromOutsideTheAllowlistIsDroppedBeforeParsing() {
        try (OscTestRig rig = new OscTestRig(c -> c.withAllow(List.of(Cidr.parse("127.0.0.2/32"))),
                TestKits.library(Map.of()));
             UdpClient outsider = new UdpClient("127.0.0.3", rig.port());
             UdpClient insider = new UdpClient("127.0.0.2", rig.port())) {
            outsider.send(bytes("not OSC at all")); // would be bad_alignment if it were parsed
            outsider.send(message("/hit", 1));
            rig.awaitDrops(2);
            assertEquals(2, rig.counters().drops(DropReason.NOT_ALLOWED), rig.counters().toString());
            assertEquals(2, rig.counters().totalDrops(), rig.counters().toString());
            insider.send(message("/hit", 1));
            rig.awaitMessages(1);
        }
    }

    @Test
    void tcpConnectionFromOutsideTheAllowlistIsClosedUnread() {
        try (OscTestRig rig = new OscTestRig(c -> c.withAllow(List.of(Cidr.parse("127.0.0.2/32"))),
                TestKits.library(Map.of()));
             TcpClient outsider = new TcpClient("127.0.0.3", rig.port())) {
            assertTrue(outsider.closedByServer());
            assertEquals(1, rig.counters().drops(DropReason.NOT_ALLOWED));
            assertEquals(0, rig.counters().packets());
        }
    }

    @Test
    void floodingHostIsCutOffWhileAnotherHostStillPlays() {
        try (OscTestRig rig = new OscTestRig(c -> c.withRate(100, 5), TestKits.library(Map.of()));
             UdpClient flooder = new UdpClient("127.0.0.1", rig.port());
             UdpClient other = new UdpClient("127.0.0.2", rig.port())) {
            for (int i = 0; i < 50; i++) {
                flooder.send(message("/hit", 1));
            }
            OscTestRig.await("50 flood packets", () -> rig.counters().packets() >= 50);
            // The test's clock stands still: the flooder has its burst of 5 and no more.
            assertEquals(5, rig.counters().messages());
            assertEquals(45, rig.counters().drops(DropReason.RATE_LIMITED));
            other.send(message("/hit", 2));
            rig.awaitMessages(6);
            rig.nanos.advanceNanos(10_000_000L); // 10 ms at 100 packets/s: one more token
            flooder.send(message("/hit", 1));
            flooder.send(message("/hit", 1));
            OscTestRig.await("two more packets", () -> rig.counters().packets() >= 53);
            assertEquals(7, rig.counters().messages());
            assertEquals(46, rig.counters().drops(DropReason.RATE_LIMITED));
        }
    }

    @Test
    void commandsThatTouchFilesNeedTheAllowlistOrTheSecretFromOtherHosts() {
        try (OscTestRig rig = new OscTestRig();
             UdpClient other = new UdpClient("127.0.0.3", rig.port());
             UdpClient allowed = new UdpClient("127.0.0.2", rig.port());
             UdpClient local = new UdpClient("127.0.0.1", rig.port())) {
            rig.server.fileCommands(new FileCommandPolicy(List.of(Cidr.parse("127.0.0.2/32")), "s3cret"));
            other.send(message("/kit/load", "quiet"));
            assertEquals("/fail ss /kit/load commands that touch files need --osc-file-allow for 127.0.0.3 or the "
                    + "shared secret", other.receive());
            assertEquals(1, rig.counters().drops(DropReason.NOT_ALLOWED));
            other.send(message("/kit/load", "quiet", "wrong"));
            assertTrue(other.receive().startsWith("/fail ss /kit/load commands that touch files"));
            other.send(message("/kit/load", "quiet", "s3cret"));
            assertEquals("/done ss /kit/load quiet", rig.receiveWhileRendering(other));
            allowed.send(message("/kit/load", "clicks"));
            assertEquals("/done ss /kit/load clicks", rig.receiveWhileRendering(allowed));
            local.send(message("/kit/load", "quiet"));
            assertEquals("/done ss /kit/load quiet", rig.receiveWhileRendering(local));
            // Playing is not limited.
            long before = rig.counters().messages();
            other.send(message("/hit", 0));
            rig.awaitMessages(before + 1);
        }
    }
}
