package io.latentkit.osc;

import static io.latentkit.osc.testkit.Packets.bytes;
import static io.latentkit.osc.testkit.Packets.message;
import static io.latentkit.osc.testkit.Packets.rawBundle;
import static io.latentkit.osc.testkit.Packets.slip;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.latentkit.osc.codec.Slip;
import io.latentkit.osc.testkit.OscTestRig;
import io.latentkit.osc.testkit.TcpClient;
import io.latentkit.osc.testkit.UdpClient;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every kind of broken input is counted by its reason, and the listener keeps playing what follows. */
class MalformedPacketTest {
    private final OscTestRig rig = new OscTestRig();

    @AfterEach
    void tearDown() {
        rig.close();
    }

    static Stream<Arguments> malformedPackets() {
        byte[] hit = message("/hit", 1, 0.5f);
        byte[] deep = message("/hit", 1);
        for (int i = 0; i < 9; i++) {
            deep = rawBundle(1, deep);
        }
        return Stream.of(
                Arguments.of("truncated message", Arrays.copyOf(hit, hit.length - 4), DropReason.TRUNCATED),
                Arguments.of("unaligned length", Arrays.copyOf(hit, hit.length - 1), DropReason.BAD_ALIGNMENT),
                Arguments.of("bad string padding", bytes("/h\0x,\0\0\0"), DropReason.BAD_PADDING),
                Arguments.of("type tags without comma", bytes("/hit\0\0\0\0i\0\0\0", 1), DropReason.BAD_TYPE_TAGS),
                Arguments.of("unknown type tag", bytes("/hit\0\0\0\0,iq\0", 1, 2), DropReason.BAD_TYPE_TAGS),
                Arguments.of("oversized blob", bytes("/b\0\0,b\0\0", 1_000_000, 0), DropReason.BAD_BLOB),
                Arguments.of("bundles nested too deep", deep, DropReason.BUNDLE_TOO_DEEP),
                Arguments.of("bundle element size lies", bytes(rawBundle(1), 4000, hit), DropReason.BAD_BUNDLE_ELEMENT),
                Arguments.of("garbage", bytes("\u00ff\u00fe garbage!"), DropReason.BAD_ALIGNMENT),
                Arguments.of("aligned garbage", bytes("\u00ff\u00fe\u00fdgarbage!!"), DropReason.BAD_ADDRESS),
                Arguments.of("argument type mismatch", message("/hit", "kick"), DropReason.BAD_ARGUMENTS),
                Arguments.of("pad out of range", message("/hit", 12), DropReason.BAD_ARGUMENTS),
                Arguments.of("unknown address", message("/no/such", 1), DropReason.UNKNOWN_ADDRESS));
    }

    @ParameterizedTest(name = "UDP: {0}")
    @MethodSource("malformedPackets")
    void malformedDatagramIsCountedByReasonAndTheNextMessageStillPlays(String name, byte[] packet, DropReason reason) {
        try (UdpClient client = new UdpClient(rig.port())) {
            client.send(packet);
            client.send(message("/hit", 5));
            rig.awaitMessages(1);
            assertEquals(1, rig.counters().drops(reason), name + ": " + rig.counters());
            assertEquals(1, rig.counters().totalDrops(), name + ": " + rig.counters());
            rig.render(64);
            assertArrayEquals(new int[] {0}, rig.sink.nonZeroFrames(0), name);
        }
    }

    @ParameterizedTest(name = "TCP/SLIP: {0}")
    @MethodSource("malformedPackets")
    void malformedSlipFrameIsCountedByReasonAndTheNextFrameStillPlays(String name, byte[] packet, DropReason reason) {
        try (TcpClient client = new TcpClient(rig.port())) {
            client.write(bytes(slip(packet), slip(message("/hit", 5))));
            rig.awaitMessages(1);
            assertEquals(1, rig.counters().drops(reason), name + ": " + rig.counters());
            assertEquals(1, rig.counters().totalDrops(), name + ": " + rig.counters());
            rig.render(64);
            assertArrayEquals(new int[] {0}, rig.sink.nonZeroFrames(0), name);
        }
    }

    static Stream<Arguments> brokenStreams() {
        byte[] big = new byte[70_000];
        Arrays.fill(big, (byte) 'x');
        return Stream.of(
                Arguments.of("garbage before a SLIP frame", bytes(new byte[] {Slip.END}, "junk junk", slip(message("/hit", 5))),
                        DropReason.BAD_ALIGNMENT),
                Arguments.of("bad SLIP escape", bytes(new byte[] {Slip.END, '/', Slip.ESC, 'x', Slip.END}, slip(message("/hit", 5))),
                        DropReason.SLIP_BAD_ESCAPE),
                Arguments.of("SLIP frame over 64 KiB", bytes(slip(big), slip(message("/hit", 5))),
                        DropReason.SLIP_FRAME_TOO_LARGE));
    }

    @ParameterizedTest(name = "TCP: {0}")
    @MethodSource("brokenStreams")
    void brokenStreamIsCountedAndTheConnectionResynchronises(String name, byte[] stream, DropReason reason) {
        try (TcpClient client = new TcpClient(rig.port())) {
            client.write(stream);
            rig.awaitMessages(1);
            assertEquals(1, rig.counters().drops(reason), name + ": " + rig.counters());
            assertEquals(1, rig.counters().totalDrops(), name + ": " + rig.counters());
            rig.render(64);
            assertArrayEquals(new int[] {0}, rig.sink.nonZeroFrames(0), name);
        }
    }

    @ParameterizedTest(name = "length prefix {0} bytes")
    @MethodSource("hugePrefixes")
    void lyingLengthPrefixClosesOnlyThatConnection(int prefix) {
        try (TcpClient liar = new TcpClient(rig.port()); TcpClient honest = new TcpClient(rig.port())) {
            liar.write(bytes(prefix, "/hit"));
            rig.awaitDrops(1);
            assertEquals(1, rig.counters().drops(DropReason.OVERSIZE), rig.counters().toString());
            assertEquals(true, liar.closedByServer());
            byte[] hit = message("/hit", 5);
            honest.write(bytes(hit.length, hit));
            rig.awaitMessages(1);
        }
    }

    static Stream<Integer> hugePrefixes() {
        return Stream.of(70_000, -1);
    }
}
