package io.latentkit.osc.codec;

import io.latentkit.osc.DropReason;

/**
 * Zero-copy OSC 1.0/1.1 packet decoder for the receive path. {@link #decode} validates a whole packet
 * (message or nested bundles) against {@link OscLimits} without allocating, and records where each
 * message lies and which timetag applies to it; {@link #message(int)} then reads one of them through a
 * reused flyweight. A packet is either accepted whole or rejected whole with one {@link DropReason},
 * so a malformed bundle never half-plays.
 *
 * <p>Accepted argument tags: {@code i f s S b h t d c r m T F N I} and the array brackets {@code [ ]}
 * (which carry no data). A message with no type tag string at all (pre-1.0 senders) has no arguments.
 *
 * <p>Threading: not thread-safe; one instance per receiver thread. The decoded positions refer into the
 * caller's array and stay valid until the next {@code decode}.
 */
public final class OscPacketDecoder {
    private static final byte[] BUNDLE = {'#', 'b', 'u', 'n', 'd', 'l', 'e', 0};

    private final OscLimits limits;
    private final int[] messageOffsets;
    private final int[] messageLengths;
    private final long[] messageTimetags;
    private final OscMessageView view;
    private byte[] buffer;
    private int messageCount;
    private boolean bundled;

    public OscPacketDecoder(OscLimits limits) {
        this.limits = limits;
        this.messageOffsets = new int[limits.maxMessagesPerPacket()];
        this.messageLengths = new int[limits.maxMessagesPerPacket()];
        this.messageTimetags = new long[limits.maxMessagesPerPacket()];
        this.view = new OscMessageView(limits.maxArguments());
    }

    /**
     * Validates one packet. Returns {@code null} when it is well formed (then {@link #messageCount()}
     * messages are ready to read) or the reason it is rejected (then there are none).
     */
    public DropReason decode(byte[] buf, int offset, int length) {
        this.buffer = buf;
        this.messageCount = 0;
        this.bundled = false;
        if (length > limits.maxPacketBytes()) {
            return DropReason.OVERSIZE;
        }
        DropReason r = element(buf, offset, length, 0, TimeTags.IMMEDIATELY);
        if (r != null) {
            messageCount = 0;
        }
        return r;
    }

    /** Number of messages in the last packet decoded successfully. */
    public int messageCount() {
        return messageCount;
    }

    /** Whether the last packet was a bundle (then timetags apply; a bare message is "immediately"). */
    public boolean wasBundle() {
        return bundled;
    }

    /** Timetag that applies to message {@code i}: its innermost bundle's, or 1 for a bare message. */
    public long timetag(int i) {
        return messageTimetags[i];
    }

    /** Message {@code i} through the shared flyweight; valid until the next call of this method. */
    public OscMessageView message(int i) {
        view.wrap(buffer, messageOffsets[i], messageLengths[i]);
        return view;
    }

    private DropReason element(byte[] b, int off, int len, int depth, long timetag) {
        if (len < 4) {
            return len == 0 ? DropReason.TRUNCATED : DropReason.BAD_ALIGNMENT;
        }
        if ((len & 3) != 0) {
            return DropReason.BAD_ALIGNMENT;
        }
        if (b[off] == '#') {
            return bundle(b, off, len, depth + 1);
        }
        if (b[off] != '/') {
            return DropReason.BAD_ADDRESS;
        }
        DropReason r = OscMessageView.validate(b, off, len, limits.maxAddressBytes(), limits.maxArguments());
        if (r != null) {
            return r;
        }
        if (messageCount == messageOffsets.length) {
            return DropReason.TOO_MANY_MESSAGES;
        }
        messageOffsets[messageCount] = off;
        messageLengths[messageCount] = len;
        messageTimetags[messageCount] = timetag;
        messageCount++;
        return null;
    }

    private DropReason bundle(byte[] b, int off, int len, int depth) {
        if (depth > limits.maxBundleDepth()) {
            return DropReason.BUNDLE_TOO_DEEP;
        }
        if (len < 16) {
            return DropReason.TRUNCATED;
        }
        for (int i = 0; i < BUNDLE.length; i++) {
            if (b[off + i] != BUNDLE[i]) {
                return DropReason.BAD_ADDRESS;
            }
        }
        bundled = true;
        long timetag = OscBytes.getLong(b, off + 8);
        int p = off + 16;
        int end = off + len;
        while (p < end) {
            if (end - p < 4) {
                return DropReason.TRUNCATED;
            }
            int size = OscBytes.getInt(b, p);
            p += 4;
            // A lying size (negative, zero, unaligned, or past the enclosing bundle) rejects the
            // whole packet: nothing in it has been acted on yet.
            if (size <= 0 || (size & 3) != 0 || size > end - p) {
                return DropReason.BAD_BUNDLE_ELEMENT;
            }
            DropReason r = element(b, p, size, depth, timetag);
            if (r != null) {
                return r;
            }
            p += size;
        }
        return null;
    }
}
