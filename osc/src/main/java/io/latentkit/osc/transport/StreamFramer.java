package io.latentkit.osc.transport;

import io.latentkit.osc.DropReason;
import io.latentkit.osc.codec.Slip;
import io.latentkit.osc.codec.SlipDecoder;

/**
 * Splits one TCP byte stream into OSC packets. The first byte of the connection chooses the framing,
 * as liblo does: {@code 0xC0} (SLIP END) means OSC 1.1 SLIP (double-END); anything else means OSC 1.0
 * stream framing, a 32-bit big-endian size before each packet (what liblo 0.31's {@code oscsend}
 * sends over {@code osc.tcp://}). Replies on the connection use the same framing.
 *
 * <p>Threading: receiver thread only (one instance per connection). Allocation-free after construction.
 */
final class StreamFramer {
    enum Framing { UNKNOWN, SLIP, LENGTH_PREFIX }

    private final SlipDecoder slip;
    private final byte[] frame;
    private Framing framing = Framing.UNKNOWN;
    private int header;
    private int headerBytes;
    private int expected = -1;
    private int filled;
    /** Set when a length prefix exceeds the cap: the stream cannot be resynchronised. */
    private boolean broken;

    StreamFramer(int maxFrameBytes) {
        this.slip = new SlipDecoder(maxFrameBytes);
        this.frame = new byte[maxFrameBytes];
    }

    Framing framing() {
        return framing;
    }

    /** Whether the stream lost framing for good (the connection should be closed). */
    boolean broken() {
        return broken;
    }

    /** Whether part of a frame (or of its length prefix) has arrived and the rest has not. */
    boolean inFrame() {
        if (framing == Framing.SLIP) {
            return slip.inFrame();
        }
        return headerBytes > 0 || expected >= 0;
    }

    void feed(byte[] src, int off, int len, SlipDecoder.FrameHandler handler) {
        if (len == 0 || broken) {
            return;
        }
        if (framing == Framing.UNKNOWN) {
            framing = src[off] == Slip.END ? Framing.SLIP : Framing.LENGTH_PREFIX;
        }
        if (framing == Framing.SLIP) {
            slip.feed(src, off, len, handler);
            return;
        }
        int p = off;
        int end = off + len;
        while (p < end) {
            if (expected < 0) {
                header = (header << 8) | (src[p++] & 0xFF);
                if (++headerBytes == 4) {
                    headerBytes = 0;
                    if (header < 0 || header > frame.length) {
                        handler.onFrameDropped(DropReason.OVERSIZE);
                        broken = true;
                        return;
                    }
                    expected = header;
                    filled = 0;
                    header = 0;
                    if (expected == 0) {
                        expected = -1;
                    }
                }
                continue;
            }
            int n = Math.min(expected - filled, end - p);
            System.arraycopy(src, p, frame, filled, n);
            filled += n;
            p += n;
            if (filled == expected) {
                expected = -1;
                handler.onFrame(frame, 0, filled);
            }
        }
    }
}
