package io.latentkit.osc.codec;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Encodes OSC messages into a reused byte array, for replies and telemetry. Write the address and the
 * full type tag string first ({@link #begin}), then the arguments in order.
 *
 * <p>Threading: not thread-safe; one instance per sending thread. {@code begin(byte[], byte[])}, {@code putString(byte[])}
 * and the numeric puts are allocation-free; the {@code String} overloads encode (and so allocate).
 */
public final class OscMessageWriter {
    private final byte[] buf;
    private int pos;

    /** A writer whose messages may grow to {@code capacity} bytes. */
    public OscMessageWriter(int capacity) {
        this.buf = new byte[capacity];
    }

    /**
     * A whole message whose type tags follow from its arguments: {@code Integer} {@code i},
     * {@code Float} {@code f}, {@code Long} {@code h}, {@code String} {@code s}. For clients and
     * tests; allocates.
     *
     * @throws IllegalArgumentException for an argument of any other type
     */
    public static OscMessageWriter message(String address, Object... args) {
        StringBuilder tags = new StringBuilder(args.length);
        int size = address.length() + args.length + 16;
        for (Object a : args) {
            if (a instanceof Integer || a instanceof Float) {
                tags.append(a instanceof Integer ? 'i' : 'f');
                size += 4;
            } else if (a instanceof Long) {
                tags.append('h');
                size += 8;
            } else if (a instanceof String str) {
                tags.append('s');
                size += str.length() + 4;
            } else {
                throw new IllegalArgumentException("no OSC type for " + (a == null ? "null" : a.getClass().getName()));
            }
        }
        OscMessageWriter w = new OscMessageWriter(size).begin(address, tags.toString());
        for (Object a : args) {
            if (a instanceof Integer i) {
                w.putInt(i);
            } else if (a instanceof Float f) {
                w.putFloat(f);
            } else if (a instanceof Long l) {
                w.putLong(l);
            } else {
                w.putString((String) a);
            }
        }
        return w;
    }

    /** Starts a message; {@code typeTags} without the leading ','. */
    public OscMessageWriter begin(String address, String typeTags) {
        return begin(ascii(address), ascii("," + typeTags));
    }

    /** Starts a message from pre-encoded ASCII address and tags (tags including the leading ','). */
    public OscMessageWriter begin(byte[] address, byte[] commaTypeTags) {
        pos = 0;
        putPadded(address, 0, address.length);
        putPadded(commaTypeTags, 0, commaTypeTags.length);
        return this;
    }

    public OscMessageWriter putInt(int v) {
        ensure(4);
        OscBytes.putInt(buf, pos, v);
        pos += 4;
        return this;
    }

    public OscMessageWriter putFloat(float v) {
        return putInt(Float.floatToRawIntBits(v));
    }

    public OscMessageWriter putLong(long v) {
        ensure(8);
        OscBytes.putLong(buf, pos, v);
        pos += 8;
        return this;
    }

    /** A string argument, UTF-8, NUL-terminated and padded. */
    public OscMessageWriter putString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        putPadded(b, 0, b.length);
        return this;
    }

    /** A string argument from pre-encoded ASCII bytes (see {@link #ascii}); allocation-free. */
    public OscMessageWriter putString(byte[] ascii) {
        putPadded(ascii, 0, ascii.length);
        return this;
    }

    /** A blob argument. */
    public OscMessageWriter putBlob(byte[] b, int off, int len) {
        putInt(len);
        ensure(OscBytes.align4(len));
        System.arraycopy(b, off, buf, pos, len);
        int end = pos + OscBytes.align4(len);
        for (int i = pos + len; i < end; i++) {
            buf[i] = 0;
        }
        pos = end;
        return this;
    }

    /** The encoded bytes; valid until the next {@code begin}. */
    public byte[] buffer() {
        return buf;
    }

    /** Length of the encoded message. */
    public int length() {
        return pos;
    }

    /** Bytes left for arguments. */
    public int remaining() {
        return buf.length - pos;
    }

    /** A copy of the encoded message (tests and cold paths). */
    public byte[] toByteArray() {
        return Arrays.copyOf(buf, pos);
    }

    /** ASCII bytes of a constant, for {@link #begin(byte[], byte[])}. */
    public static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private void putPadded(byte[] s, int off, int len) {
        int padded = OscBytes.align4(len + 1);
        ensure(padded);
        System.arraycopy(s, off, buf, pos, len);
        for (int i = pos + len; i < pos + padded; i++) {
            buf[i] = 0;
        }
        pos += padded;
    }

    private void ensure(int n) {
        if (n > buf.length - pos) {
            throw new IllegalStateException("OSC message exceeds " + buf.length + " bytes");
        }
    }
}
