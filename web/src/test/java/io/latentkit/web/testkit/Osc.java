package io.latentkit.web.testkit;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal, independent OSC encoder and decoder for the tests (so that what the server sends is
 * checked by code that is not the server's), and a UDP sender.
 */
public final class Osc {
    /** A decoded message. */
    public record Message(String address, String types, List<Object> args) {
        public float f(int i) {
            return ((Number) args.get(i)).floatValue();
        }
    }

    private Osc() {
    }

    public static byte[] message(String address, String types, Object... args) {
        ByteBuffer b = ByteBuffer.allocate(4096);
        string(b, address);
        string(b, "," + types);
        for (int i = 0; i < types.length(); i++) {
            switch (types.charAt(i)) {
                case 'i' -> b.putInt(((Number) args[i]).intValue());
                case 'f' -> b.putFloat(((Number) args[i]).floatValue());
                case 's' -> string(b, (String) args[i]);
                default -> throw new IllegalArgumentException("type " + types.charAt(i));
            }
        }
        byte[] out = new byte[b.position()];
        b.flip().get(out);
        return out;
    }

    private static void string(ByteBuffer b, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        b.put(bytes);
        int pad = 4 - bytes.length % 4;
        for (int i = 0; i < pad; i++) {
            b.put((byte) 0);
        }
    }

    public static Message decode(byte[] packet) {
        ByteBuffer b = ByteBuffer.wrap(packet);
        String address = readString(b);
        String tags = b.hasRemaining() ? readString(b) : ",";
        List<Object> args = new ArrayList<>();
        for (char t : tags.substring(1).toCharArray()) {
            switch (t) {
                case 'i' -> args.add(b.getInt());
                case 'f' -> args.add(b.getFloat());
                case 'h' -> args.add(b.getLong());
                case 's' -> args.add(readString(b));
                default -> args.add(null);
            }
        }
        return new Message(address, tags.substring(1), args);
    }

    private static String readString(ByteBuffer b) {
        int start = b.position();
        int end = start;
        while (b.get(end) != 0) {
            end++;
        }
        String s = new String(b.array(), start, end - start, StandardCharsets.UTF_8);
        b.position((end + 4) & ~3);
        return s;
    }

    /** Sends one datagram to the OSC server on loopback. */
    public static void udp(int port, byte[] packet) throws IOException {
        try (DatagramSocket s = new DatagramSocket()) {
            s.send(new DatagramPacket(packet, packet.length, InetAddress.getLoopbackAddress(), port));
        }
    }
}
