package io.latentkit.osc.codec;

import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import static io.latentkit.osc.testkit.Packets.bundle;
import static io.latentkit.osc.testkit.Packets.bytes;
import static io.latentkit.osc.testkit.Packets.message;
import static io.latentkit.osc.testkit.Packets.msg;
import static io.latentkit.osc.testkit.Packets.rawBundle;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.osc.DropReason;
import io.latentkit.osc.testkit.Packets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class OscPacketDecoderTest {
    private final OscPacketDecoder decoder = new OscPacketDecoder(OscLimits.defaults());

    private DropReason decode(byte[] p) {
        return decoder.decode(p, 0, p.length);
    }

    @Test
    void readsEveryNumericTypeAsANumber() {
        byte[] p = message("/hit", 3, 0.5f, 0.25d, 7L, true, false);
        assertNull(decode(p));
        assertEquals(1, decoder.messageCount());
        OscMessageView m = decoder.message(0);
        assertTrue(m.addressEquals(OscMessageWriter.ascii("/hit")));
        assertEquals("ifdhTF", m.typeTags());
        assertEquals(3, m.intArg(0));
        assertEquals(0.5f, m.floatArg(1));
        assertEquals(0.25, m.number(2));
        assertEquals(7, m.intArg(3));
        assertEquals(1.0, m.number(4));
        assertEquals(0.0, m.number(5));
        for (int i = 0; i < 6; i++) {
            assertTrue(m.isNumber(i));
        }
        assertFalse(m.isNumber(6));
    }

    @Test
    void theWritersMessageFromArgumentsIsByteForByteTheTestkitsIndependentEncoding() {
        assertArrayEquals(message("/latent/xy", 3, 0.25f, 7L, "kick"),
                OscMessageWriter.message("/latent/xy", 3, 0.25f, 7L, "kick").toByteArray());
        assertArrayEquals(message("/status"), OscMessageWriter.message("/status").toByteArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> OscMessageWriter.message("/x", 0.5d));
        assertEquals("no OSC type for java.lang.Double", e.getMessage());
    }

    @Test
    void roundsFloatPadNumbersToTheNearestInteger() {
        assertNull(decode(message("/hit", 2.9999f)));
        assertEquals(3, decoder.message(0).intArg(0));
    }

    @Test
    void readsStringsAndBlobsInPlace() {
        assertNull(decode(message("/kit/load", "909", new byte[] {1, 2, 3})));
        OscMessageView m = decoder.message(0);
        assertTrue(m.isString(0));
        assertEquals("909", m.string(0));
        assertEquals('b', m.type(1));
    }

    @Test
    void acceptsAMessageWithoutTypeTagsAsHavingNoArguments() {
        assertNull(decode(bytes("/status\0")));
        assertEquals(0, decoder.message(0).argCount());
    }

    @Test
    void givesEachMessageOfNestedBundlesItsInnermostTimetag() {
        byte[] p = Packets.encode(Packets.bundlePacket(5L << 32,
                msg("/hit", 0),
                Packets.bundlePacket(6L << 32, msg("/hit", 1), msg("/hit", 2)),
                msg("/hit", 3)));
        assertNull(decode(p));
        assertTrue(decoder.wasBundle());
        assertEquals(4, decoder.messageCount());
        long[] tags = new long[4];
        int[] pads = new int[4];
        for (int i = 0; i < 4; i++) {
            tags[i] = decoder.timetag(i);
            pads[i] = decoder.message(i).intArg(0);
        }
        assertEquals(Arrays.toString(new int[] {0, 1, 2, 3}), Arrays.toString(pads));
        assertEquals(Arrays.toString(new long[] {5L << 32, 6L << 32, 6L << 32, 5L << 32}), Arrays.toString(tags));
    }

    @Test
    void bareMessageIsImmediate() {
        assertNull(decode(message("/hit", 1)));
        assertFalse(decoder.wasBundle());
        assertEquals(TimeTags.IMMEDIATELY, decoder.timetag(0));
    }

    static Object[][] malformed() {
        byte[] hit = message("/hit", 1, 0.5f);
        byte[] deep = message("/hit", 1);
        for (int i = 0; i < 9; i++) {
            deep = rawBundle(1, deep);
        }
        byte[] manyArgs = new byte[OscLimits.defaults().maxArguments() + 1];
        Arrays.fill(manyArgs, (byte) 'i');
        return new Object[][] {
            {"empty", new byte[0], DropReason.TRUNCATED},
            {"truncated message", Arrays.copyOf(hit, hit.length - 4), DropReason.TRUNCATED},
            {"unaligned length", Arrays.copyOf(hit, hit.length - 1), DropReason.BAD_ALIGNMENT},
            {"address not terminated", bytes("/hit"), DropReason.TRUNCATED},
            {"non-zero address padding", bytes("/h\0x,\0\0\0"), DropReason.BAD_PADDING},
            {"non-zero tag padding", bytes("/hit\0\0\0\0,i\0x", 1), DropReason.BAD_PADDING},
            {"address without slash", bytes("hit\0,\0\0\0"), DropReason.BAD_ADDRESS},
            {"control character in address", bytes("/h\nt\0\0\0\0,\0\0\0"), DropReason.BAD_ADDRESS},
            {"address too long", message("/" + "a".repeat(300)), DropReason.ADDRESS_TOO_LONG},
            {"type tags without comma", bytes("/hit\0\0\0\0i\0\0\0", 1), DropReason.BAD_TYPE_TAGS},
            {"unknown type tag", bytes("/hit\0\0\0\0,q\0\0", 1), DropReason.BAD_TYPE_TAGS},
            {"unbalanced array", bytes("/hit\0\0\0\0,[i\0", 1), DropReason.BAD_TYPE_TAGS},
            {"too many arguments", bytes("/hit\0\0\0\0,", new String(manyArgs, StandardCharsets.US_ASCII), "\0\0", new byte[manyArgs.length * 4]), DropReason.TOO_MANY_ARGUMENTS},
            {"argument missing", bytes("/hit\0\0\0\0,ii\0", 1), DropReason.TRUNCATED},
            {"oversized blob", bytes("/b\0\0,b\0\0", 1_000_000, 0), DropReason.BAD_BLOB},
            {"negative blob", bytes("/b\0\0,b\0\0", -4, 0), DropReason.BAD_BLOB},
            {"trailing bytes", bytes(hit, 0), DropReason.LENGTH_MISMATCH},
            {"bundle header cut", bytes("#bundle\0", 0), DropReason.TRUNCATED},
            {"misspelt bundle", bytes("#bungle\0", 0, 1), DropReason.BAD_ADDRESS},
            {"bundle element size lies", bytes(rawBundle(1), 400, hit), DropReason.BAD_BUNDLE_ELEMENT},
            {"bundle element size zero", bytes(rawBundle(1), 0), DropReason.BAD_BUNDLE_ELEMENT},
            {"bundle element size negative", bytes(rawBundle(1), -8, hit), DropReason.BAD_BUNDLE_ELEMENT},
            {"bundle element size unaligned", bytes(rawBundle(1), 6, hit), DropReason.BAD_BUNDLE_ELEMENT},
            {"bundles nested nine deep", deep, DropReason.BUNDLE_TOO_DEEP},
            {"oversize packet", new byte[70_000], DropReason.OVERSIZE},
        };
    }

    static Stream<Arguments> malformedCases() {
        return Arrays.stream(malformed()).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedCases")
    void rejectsMalformedPacketWithItsReason(String name, byte[] packet, DropReason expected) {
        assertEquals(expected, decode(packet), name);
        assertEquals(0, decoder.messageCount());
    }

    @Test
    void bundleWithOneBadElementIsRejectedWhole() {
        byte[] p = rawBundle(1, message("/hit", 1), bytes("/hit\0\0\0\0,q\0\0", 1));
        assertEquals(DropReason.BAD_TYPE_TAGS, decode(p));
        assertEquals(0, decoder.messageCount());
    }

    @Test
    void tooManyMessagesInOnePacketAreRejected() {
        OscPacketDecoder small = new OscPacketDecoder(new OscLimits(65536, 8, 8, 64, 2));
        byte[] p = bundle(1, msg("/a"), msg("/b"), msg("/c"));
        assertEquals(DropReason.TOO_MANY_MESSAGES, small.decode(p, 0, p.length));
    }
}
