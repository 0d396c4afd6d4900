package io.latentkit.core.namespace;

/**
 * What a client may do with a namespace node, with the numeric codes of OSCQuery's {@code ACCESS}
 * attribute.
 *
 * <p>Immutable; any thread.
 */
public enum Access {
    /** Nothing to read or write: a container, or a node that only structures the tree. */
    NONE(0),
    /** The value can be read (queried, followed) but not set. */
    READ(1),
    /** Messages can be sent to it (a parameter without a readable value, an event, a command). */
    WRITE(2),
    /** A parameter that can be set and whose current value can be read. */
    READ_WRITE(3);

    private final int oscQueryCode;

    Access(int oscQueryCode) {
        this.oscQueryCode = oscQueryCode;
    }

    /** The OSCQuery {@code ACCESS} value. */
    public int oscQueryCode() {
        return oscQueryCode;
    }

    /** Whether the value can be read. */
    public boolean readable() {
        return (oscQueryCode & 1) != 0;
    }

    /** Whether messages can be sent to it. */
    public boolean writable() {
        return (oscQueryCode & 2) != 0;
    }
}
