package io.latentkit.osc.testkit;

import com.illposed.osc.BufferBytesReceiver;
import com.illposed.osc.OSCBundle;
import com.illposed.osc.OSCMessage;
import com.illposed.osc.OSCPacket;
import com.illposed.osc.OSCSerializeException;
import com.illposed.osc.OSCSerializer;
import com.illposed.osc.OSCSerializerAndParserBuilder;
import com.illposed.osc.argument.OSCTimeTag64;
import io.latentkit.osc.codec.OscMessageWriter;
import io.latentkit.osc.codec.Slip;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Builds OSC packets for tests with JavaOSC's serializer (an encoder independent of ours), and raw
 * byte sequences for malformed inputs.
 */
public final class Packets {
    private Packets() {
    }

    public static byte[] message(String address, Object... args) {
        return encode(new OSCMessage(address, Arrays.asList(args)));
    }

    public static OSCMessage msg(String address, Object... args) {
        return new OSCMessage(address, Arrays.asList(args));
    }

    public static byte[] bundle(long ntpTimetag, OSCPacket... elements) {
        return encode(new OSCBundle(List.of(elements), OSCTimeTag64.valueOf(ntpTimetag)));
    }

    public static OSCBundle bundlePacket(long ntpTimetag, OSCPacket... elements) {
        return new OSCBundle(List.of(elements), OSCTimeTag64.valueOf(ntpTimetag));
    }

    public static byte[] encode(OSCPacket packet) {
        ByteBuffer buffer = ByteBuffer.allocate(70_000);
        OSCSerializer serializer = new OSCSerializerAndParserBuilder().buildSerializer(new BufferBytesReceiver(buffer));
        try {
            serializer.write(packet);
        } catch (OSCSerializeException e) {
            throw new IllegalStateException(e);
        }
        buffer.flip();
        byte[] out = new byte[buffer.remaining()];
        buffer.get(out);
        return out;
    }

    /** Concatenation of byte arrays and ASCII strings. */
    public static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object p : parts) {
            if (p instanceof byte[]) {
                out.writeBytes((byte[]) p);
            } else if (p instanceof String) {
                out.writeBytes(((String) p).getBytes(StandardCharsets.ISO_8859_1));
            } else if (p instanceof Integer) {
                int v = (Integer) p;
                out.write(v >>> 24);
                out.write(v >>> 16);
                out.write(v >>> 8);
                out.write(v);
            } else {
                throw new IllegalArgumentException("part " + p);
            }
        }
        return out.toByteArray();
    }

    /** A bundle built by hand: "#bundle", timetag, then (size, element) for each element. */
    public static byte[] rawBundle(long timetag, byte[]... elements) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes("#bundle\0".getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(ByteBuffer.allocate(8).putLong(timetag).array());
        for (byte[] e : elements) {
            out.writeBytes(ByteBuffer.allocate(4).putInt(e.length).array());
            out.writeBytes(e);
        }
        return out.toByteArray();
    }

    /** A message encoded by our own writer, for addresses JavaOSC refuses (patterns with braces). */
    public static byte[] raw(String address, String tags, Object... args) {
        OscMessageWriter w = new OscMessageWriter(65_536);
        w.begin(address, tags);
        for (Object a : args) {
            if (a instanceof Integer) {
                w.putInt((Integer) a);
            } else if (a instanceof Float) {
                w.putFloat((Float) a);
            } else if (a instanceof Long) {
                w.putLong((Long) a);
            } else if (a instanceof String) {
                w.putString((String) a);
            } else {
                throw new IllegalArgumentException("argument " + a);
            }
        }
        return w.toByteArray();
    }

    /** SLIP double-END framing of one packet. */
    public static byte[] slip(byte[] packet) {
        byte[] out = new byte[packet.length * 2 + 2];
        int n = Slip.encode(packet, 0, packet.length, out, 0);
        return Arrays.copyOf(out, n);
    }
}
