package io.latentkit.perf.compare;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A minimal OSC 1.0 encoder for the harness's clients and scores (int32, float32, string, blob;
 * bundles with NTP timetags). Deliberately independent of latentkit's own codec, so the
 * comparison does not rest on the code under test.
 *
 * <p>Threading: static methods, any thread.
 */
public final class Osc {
    private Osc() {
    }

    /** A blob argument. */
    public record Blob(byte[] bytes) {
    }

    public static Blob blob(byte[] b) {
        return new Blob(b);
    }

    /** Encodes one message; arguments may be Integer, Float, String or {@link Blob}. */
    public static byte[] message(String address, Object... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        str(o, address);
        StringBuilder tags = new StringBuilder(",");
        for (Object a : args) {
            if (a instanceof Integer) {
                tags.append('i');
            } else if (a instanceof Float) {
                tags.append('f');
            } else if (a instanceof String) {
                tags.append('s');
            } else if (a instanceof Blob) {
                tags.append('b');
            } else {
                throw new IllegalArgumentException("unsupported OSC argument " + a);
            }
        }
        str(o, tags.toString());
        for (Object a : args) {
            if (a instanceof Integer i) {
                int32(o, i);
            } else if (a instanceof Float f) {
                int32(o, Float.floatToRawIntBits(f));
            } else if (a instanceof String s) {
                str(o, s);
            } else {
                byte[] b = ((Blob) a).bytes();
                int32(o, b.length);
                o.write(b, 0, b.length);
                pad(o, b.length);
            }
        }
        return o.toByteArray();
    }

    /** A bundle at {@code seconds} (NTP-style 32.32 fixed point from zero, as NRT scores use). */
    public static byte[] bundle(double seconds, List<byte[]> messages) {
        long secs = (long) Math.floor(seconds);
        long frac = (long) ((seconds - secs) * 4294967296.0);
        return bundleAt((secs << 32) | (frac & 0xFFFFFFFFL), messages);
    }

    /** A bundle with a raw 64-bit OSC timetag. */
    public static byte[] bundleAt(long timetag, List<byte[]> messages) {
        int n = 16;
        for (byte[] m : messages) {
            n += 4 + m.length;
        }
        ByteBuffer b = ByteBuffer.allocate(n);
        b.put("#bundle\0".getBytes(StandardCharsets.US_ASCII)).putLong(timetag);
        for (byte[] m : messages) {
            b.putInt(m.length).put(m);
        }
        return b.array();
    }

    /** The OSC timetag for a wall-clock instant in epoch nanoseconds. */
    public static long timetagOfEpochNanos(long epochNanos) {
        long secs = Math.floorDiv(epochNanos, 1_000_000_000L);
        long nanos = Math.floorMod(epochNanos, 1_000_000_000L);
        long ntpSecs = secs + 2_208_988_800L;
        long frac = (nanos << 32) / 1_000_000_000L;
        return (ntpSecs << 32) | frac;
    }

    /** The address of a received message. */
    public static String address(byte[] p, int len) {
        int e = 0;
        while (e < len && p[e] != 0) {
            e++;
        }
        return new String(p, 0, e, StandardCharsets.US_ASCII);
    }

    /** The arguments of a received message (int32, float32, float64, string; others skipped as null). */
    public static Object[] args(byte[] p, int len) {
        ByteBuffer b = ByteBuffer.wrap(p, 0, len);
        skipString(b);
        if (!b.hasRemaining() || p[b.position()] != ',') {
            return new Object[0];
        }
        int tagStart = b.position() + 1;
        skipString(b);
        int tagEnd = tagStart;
        while (p[tagEnd] != 0) {
            tagEnd++;
        }
        Object[] out = new Object[tagEnd - tagStart];
        for (int i = 0; i < out.length; i++) {
            switch (p[tagStart + i]) {
                case 'i' -> out[i] = b.getInt();
                case 'f' -> out[i] = b.getFloat();
                case 'd' -> out[i] = b.getDouble();
                case 'h', 't' -> out[i] = b.getLong();
                case 's' -> {
                    int st = b.position();
                    int e = st;
                    while (p[e] != 0) {
                        e++;
                    }
                    out[i] = new String(p, st, e - st, StandardCharsets.US_ASCII);
                    skipString(b);
                }
                case 'b' -> {
                    int n = b.getInt();
                    b.position(b.position() + ((n + 3) & ~3));
                }
                default -> out[i] = null;
            }
        }
        return out;
    }

    private static void skipString(ByteBuffer b) {
        int i = b.position();
        byte[] a = b.array();
        while (a[i] != 0) {
            i++;
        }
        b.position((i + 4) & ~3);
    }

    private static void str(ByteArrayOutputStream o, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        o.write(b, 0, b.length);
        o.write(0);
        pad(o, b.length + 1);
    }

    private static void pad(ByteArrayOutputStream o, int len) {
        while ((len & 3) != 0) {
            o.write(0);
            len++;
        }
    }

    private static void int32(ByteArrayOutputStream o, int v) {
        o.write(v >>> 24);
        o.write(v >>> 16);
        o.write(v >>> 8);
        o.write(v);
    }
}
