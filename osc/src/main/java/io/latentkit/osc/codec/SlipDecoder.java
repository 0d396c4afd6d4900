package io.latentkit.osc.codec;

import io.latentkit.osc.DropReason;

/**
 * Streaming SLIP deframer for one TCP connection: feed it whatever bytes the socket returned and it
 * hands out each complete frame. Empty frames (the double-END between packets) are skipped. A frame
 * larger than the cap, or one holding a bad escape, is discarded up to its closing END and reported
 * once, so the stream resynchronises on the next frame instead of dying.
 *
 * <p>Threading: not thread-safe; owned by the receiver thread that owns the connection. Allocation-free
 * after construction.
 */
public final class SlipDecoder {
    /** Receives the decoder's output. Frames are valid only during the call. */
    public interface FrameHandler {
        /** A complete, unescaped frame. */
        void onFrame(byte[] frame, int offset, int length);

        /** A frame discarded for {@code reason} ({@link DropReason#SLIP_BAD_ESCAPE} or {@link DropReason#SLIP_FRAME_TOO_LARGE}). */
        void onFrameDropped(DropReason reason);
    }

    private final byte[] frame;
    private int length;
    private boolean escaped;
    /** Non-null while discarding the rest of a bad frame up to the next END. */
    private DropReason discarding;

    /** A decoder whose frames may be at most {@code maxFrameBytes} long. */
    public SlipDecoder(int maxFrameBytes) {
        this.frame = new byte[maxFrameBytes];
    }

    /** Feeds bytes; calls {@code handler} for every frame they complete. */
    public void feed(byte[] src, int off, int len, FrameHandler handler) {
        for (int i = off; i < off + len; i++) {
            byte b = src[i];
            if (b == Slip.END) {
                if (discarding != null) {
                    handler.onFrameDropped(discarding);
                    discarding = null;
                } else if (escaped) {
                    handler.onFrameDropped(DropReason.SLIP_BAD_ESCAPE);
                } else if (length > 0) {
                    handler.onFrame(frame, 0, length);
                }
                length = 0;
                escaped = false;
                continue;
            }
            if (discarding != null) {
                continue;
            }
            if (escaped) {
                escaped = false;
                if (b == Slip.ESC_END) {
                    b = Slip.END;
                } else if (b == Slip.ESC_ESC) {
                    b = Slip.ESC;
                } else {
                    discarding = DropReason.SLIP_BAD_ESCAPE;
                    continue;
                }
            } else if (b == Slip.ESC) {
                escaped = true;
                continue;
            }
            if (length == frame.length) {
                discarding = DropReason.SLIP_FRAME_TOO_LARGE;
                continue;
            }
            frame[length++] = b;
        }
    }

    /** Bytes of the frame in progress (for tests and connection-close accounting). */
    public int pendingBytes() {
        return length;
    }

    /** Whether bytes of an unfinished frame (or of a bad frame being discarded) are held. */
    public boolean inFrame() {
        return length > 0 || escaped || discarding != null;
    }
}
