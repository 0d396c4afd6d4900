package io.latentkit.osc.codec;

/**
 * SLIP framing constants (RFC 1055) as OSC 1.1 uses them over TCP: each packet is sent between two
 * END bytes ("double-END"), END and ESC inside a packet are escaped.
 *
 * <p>Stateless; any thread.
 */
public final class Slip {
    public static final byte END = (byte) 0xC0;
    public static final byte ESC = (byte) 0xDB;
    public static final byte ESC_END = (byte) 0xDC;
    public static final byte ESC_ESC = (byte) 0xDD;

    private Slip() {
    }

    /**
     * Encodes one packet as END, escaped bytes, END into {@code dst} at {@code dstOff}; returns the
     * number of bytes written. {@code dst} needs {@code 2 * len + 2} bytes in the worst case.
     * Stateless, allocation-free.
     */
    public static int encode(byte[] src, int off, int len, byte[] dst, int dstOff) {
        int p = dstOff;
        dst[p++] = END;
        for (int i = off; i < off + len; i++) {
            byte b = src[i];
            if (b == END) {
                dst[p++] = ESC;
                dst[p++] = ESC_END;
            } else if (b == ESC) {
                dst[p++] = ESC;
                dst[p++] = ESC_ESC;
            } else {
                dst[p++] = b;
            }
        }
        dst[p++] = END;
        return p - dstOff;
    }
}
