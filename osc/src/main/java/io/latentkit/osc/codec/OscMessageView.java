package io.latentkit.osc.codec;

import io.latentkit.core.namespace.Args;
import io.latentkit.osc.DropReason;
import java.nio.charset.StandardCharsets;

/**
 * A flyweight over one validated OSC message inside a receive buffer: address, type tags and
 * argument positions, read in place. Numbers of any OSC numeric type ({@code i f d h T F}) read as
 * numbers, so Max's ints and TouchDesigner's floats both work where a number is expected.
 *
 * <p>Threading: not thread-safe; owned by the receiver thread that owns its buffer. Only the methods
 * that return {@code String} allocate.
 */
public final class OscMessageView implements Args {
    private final int[] argOffsets;
    private final byte[] argTypes;
    private byte[] buf;
    private int offset;
    private int length;
    private int addressLength;
    private int tagsOffset;
    private int argCount;

    OscMessageView(int maxArguments) {
        this.argOffsets = new int[maxArguments];
        this.argTypes = new byte[maxArguments];
    }

    /** A view with its own argument table, for reading messages outside a decoder (tests, tools). */
    public static OscMessageView create(int maxArguments) {
        return new OscMessageView(maxArguments);
    }

    /**
     * Validates a message element without recording anything; {@code null} when well formed.
     * Allocation-free.
     */
    static DropReason validate(byte[] b, int off, int len, int maxAddressBytes, int maxArguments) {
        int end = off + len;
        int addrLen = stringLength(b, off, end);
        if (addrLen < 0) {
            return addrLen == -1 ? DropReason.TRUNCATED : DropReason.BAD_PADDING;
        }
        if (addrLen > maxAddressBytes) {
            return DropReason.ADDRESS_TOO_LONG;
        }
        for (int i = off; i < off + addrLen; i++) {
            int c = b[i] & 0xFF;
            if (c <= ' ' || c == 0x7F) {
                return DropReason.BAD_ADDRESS;
            }
        }
        int p = off + OscBytes.align4(addrLen + 1);
        if (p == end) {
            return null; // no type tag string: an old-style message without arguments
        }
        if (b[p] != ',') {
            return DropReason.BAD_TYPE_TAGS;
        }
        int tagsLen = stringLength(b, p, end);
        if (tagsLen < 0) {
            return tagsLen == -1 ? DropReason.TRUNCATED : DropReason.BAD_PADDING;
        }
        int tags = p + 1;
        int tagsEnd = p + tagsLen;
        p += OscBytes.align4(tagsLen + 1);
        int args = 0;
        int arrayDepth = 0;
        for (int t = tags; t < tagsEnd; t++) {
            int need;
            switch (b[t]) {
                case 'i': case 'f': case 'c': case 'r': case 'm':
                    need = 4;
                    break;
                case 'h': case 't': case 'd':
                    need = 8;
                    break;
                case 'T': case 'F': case 'N': case 'I':
                    need = 0;
                    break;
                case '[':
                    arrayDepth++;
                    continue;
                case ']':
                    if (--arrayDepth < 0) {
                        return DropReason.BAD_TYPE_TAGS;
                    }
                    continue;
                case 's': case 'S': {
                    if (++args > maxArguments) {
                        return DropReason.TOO_MANY_ARGUMENTS;
                    }
                    int sl = stringLength(b, p, end);
                    if (sl < 0) {
                        return sl == -1 ? DropReason.TRUNCATED : DropReason.BAD_PADDING;
                    }
                    p += OscBytes.align4(sl + 1);
                    continue;
                }
                case 'b': {
                    if (++args > maxArguments) {
                        return DropReason.TOO_MANY_ARGUMENTS;
                    }
                    if (end - p < 4) {
                        return DropReason.TRUNCATED;
                    }
                    int size = OscBytes.getInt(b, p);
                    p += 4;
                    if (size < 0 || size > end - p) {
                        return DropReason.BAD_BLOB;
                    }
                    int padded = OscBytes.align4(size);
                    if (padded > end - p) {
                        return DropReason.TRUNCATED;
                    }
                    for (int i = p + size; i < p + padded; i++) {
                        if (b[i] != 0) {
                            return DropReason.BAD_PADDING;
                        }
                    }
                    p += padded;
                    continue;
                }
                default:
                    return DropReason.BAD_TYPE_TAGS;
            }
            if (++args > maxArguments) {
                return DropReason.TOO_MANY_ARGUMENTS;
            }
            if (end - p < need) {
                return DropReason.TRUNCATED;
            }
            p += need;
        }
        if (arrayDepth != 0) {
            return DropReason.BAD_TYPE_TAGS;
        }
        return p == end ? null : DropReason.LENGTH_MISMATCH;
    }

    /**
     * Length of the NUL-terminated string at {@code off} (without the NUL), or -1 when no NUL or its
     * padding fits before {@code end}, or -2 when a padding byte is not zero.
     */
    private static int stringLength(byte[] b, int off, int end) {
        int i = off;
        while (i < end && b[i] != 0) {
            i++;
        }
        if (i == end) {
            return -1;
        }
        int len = i - off;
        int padded = off + OscBytes.align4(len + 1);
        if (padded > end) {
            return -1;
        }
        for (int j = i + 1; j < padded; j++) {
            if (b[j] != 0) {
                return -2;
            }
        }
        return len;
    }

    /** Points this view at a message already validated by the decoder (or by {@link #wrapChecked}). */
    void wrap(byte[] b, int off, int len) {
        this.buf = b;
        this.offset = off;
        this.length = len;
        int end = off + len;
        int a = off;
        while (b[a] != 0) {
            a++;
        }
        addressLength = a - off;
        int p = off + OscBytes.align4(addressLength + 1);
        argCount = 0;
        if (p == end) {
            tagsOffset = p;
            return;
        }
        int tagsEnd = p;
        while (b[tagsEnd] != 0) {
            tagsEnd++;
        }
        tagsOffset = p + 1;
        p += OscBytes.align4(tagsEnd - p + 1);
        int n = 0;
        for (int t = tagsOffset; t < tagsEnd; t++) {
            byte tag = b[t];
            if (tag == '[' || tag == ']') {
                continue;
            }
            argTypes[n] = tag;
            argOffsets[n++] = p;
            switch (tag) {
                case 'i': case 'f': case 'c': case 'r': case 'm':
                    p += 4;
                    break;
                case 'h': case 't': case 'd':
                    p += 8;
                    break;
                case 's': case 'S': {
                    int s = p;
                    while (b[s] != 0) {
                        s++;
                    }
                    p += OscBytes.align4(s - p + 1);
                    break;
                }
                case 'b':
                    p += 4 + OscBytes.align4(OscBytes.getInt(b, p));
                    break;
                default:
                    break;
            }
        }
        argCount = n;
    }

    /**
     * Validates and wraps one bare message; returns the reason it is malformed, or {@code null} when
     * the view now shows it.
     */
    public DropReason wrapChecked(byte[] b, int off, int len, int maxAddressBytes) {
        if ((len & 3) != 0 || len < 4) {
            return DropReason.BAD_ALIGNMENT;
        }
        if (b[off] != '/') {
            return DropReason.BAD_ADDRESS;
        }
        DropReason r = validate(b, off, len, maxAddressBytes, argOffsets.length);
        if (r == null) {
            wrap(b, off, len);
        }
        return r;
    }

    /** The buffer this view reads. */
    public byte[] buffer() {
        return buf;
    }

    /** Offset of the message in {@link #buffer()}. */
    public int offset() {
        return offset;
    }

    /** Length of the message in bytes. */
    public int length() {
        return length;
    }

    /** Offset of the address's first byte (always '/') in {@link #buffer()}. */
    public int addressOffset() {
        return offset;
    }

    /** Address length in bytes, without its NUL. */
    public int addressLength() {
        return addressLength;
    }

    /** Whether the address is exactly {@code ascii}; allocation-free. */
    public boolean addressEquals(byte[] ascii) {
        if (ascii.length != addressLength) {
            return false;
        }
        for (int i = 0; i < addressLength; i++) {
            if (buf[offset + i] != ascii[i]) {
                return false;
            }
        }
        return true;
    }

    /** The address as a string; allocates (cold paths only). */
    public String address() {
        return new String(buf, offset, addressLength, StandardCharsets.US_ASCII);
    }

    /** Number of arguments (array brackets not counted). */
    @Override
    public int count() {
        return argCount();
    }

    public int argCount() {
        return argCount;
    }

    /** Type tag of argument {@code i}. */
    public char type(int i) {
        checkIndex(i);
        return (char) argTypes[i];
    }

    /** Type tags of every argument, without the leading ','; allocates (cold paths only). */
    public String typeTags() {
        StringBuilder sb = new StringBuilder(argCount);
        for (int i = 0; i < argCount; i++) {
            sb.append(type(i));
        }
        return sb.toString();
    }

    /** Whether argument {@code i} exists and is a number ({@code i f d h T F}). */
    public boolean isNumber(int i) {
        if (i < 0 || i >= argCount) {
            return false;
        }
        switch (type(i)) {
            case 'i': case 'f': case 'd': case 'h': case 'T': case 'F':
                return true;
            default:
                return false;
        }
    }

    /** Argument {@code i} as a double; any numeric type ({@code T} is 1, {@code F} is 0). */
    public double number(int i) {
        int p = argOffsets[i];
        switch (type(i)) {
            case 'i': return OscBytes.getInt(buf, p);
            case 'f': return Float.intBitsToFloat(OscBytes.getInt(buf, p));
            case 'd': return Double.longBitsToDouble(OscBytes.getLong(buf, p));
            case 'h': return OscBytes.getLong(buf, p);
            case 'T': return 1.0;
            case 'F': return 0.0;
            default: throw new IllegalStateException("argument " + i + " is not a number: " + type(i));
        }
    }

    /** Argument {@code i} as a float; see {@link #number(int)}. */
    public float floatArg(int i) {
        return (float) number(i);
    }

    /**
     * Argument {@code i} as an int, rounding floats to the nearest integer (TouchDesigner sends
     * {@code 3.0} for 3) and saturating out-of-range values.
     */
    public int intArg(int i) {
        char t = type(i);
        if (t == 'i') {
            return OscBytes.getInt(buf, argOffsets[i]);
        }
        double d = number(i);
        if (d != d) {
            return Integer.MIN_VALUE;
        }
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, Math.rint(d)));
    }

    /** Whether argument {@code i} exists and is a string or symbol. */
    public boolean isString(int i) {
        if (i < 0 || i >= argCount) {
            return false;
        }
        char t = type(i);
        return t == 's' || t == 'S';
    }

    /** Argument {@code i} (a string or symbol) as a string; allocates (cold paths only). */
    public String string(int i) {
        int p = argOffsets[i];
        int e = p;
        while (buf[e] != 0) {
            e++;
        }
        return new String(buf, p, e - p, StandardCharsets.UTF_8);
    }

    /** Argument {@code i} as a 64-bit integer (for {@code h}, {@code t}); other numbers are truncated. */
    public long longArg(int i) {
        char t = type(i);
        if (t == 'h' || t == 't') {
            return OscBytes.getLong(buf, argOffsets[i]);
        }
        return (long) number(i);
    }

    /** Offset of argument {@code i}'s data (for blobs: of its size field). */
    public int argOffset(int i) {
        checkIndex(i);
        return argOffsets[i];
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= argCount) {
            throw new IndexOutOfBoundsException("argument " + i + " of " + argCount);
        }
    }
}
