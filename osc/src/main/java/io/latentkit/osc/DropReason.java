package io.latentkit.osc;

/**
 * Why an incoming packet, frame or message was not acted on. Every rejection increments exactly one
 * counter in {@link OscCounters}, and {@code /status.reply} reports the non-zero ones by
 * {@link #oscName()}.
 *
 * <p>Immutable; any thread.
 */
public enum DropReason {
    /** Source address outside the {@code --osc-allow} list; dropped before parsing. */
    NOT_ALLOWED("not_allowed"),
    /** Source exceeded its per-source packet rate; dropped before parsing. */
    RATE_LIMITED("rate_limited"),
    /** Datagram or frame larger than the configured cap. */
    OVERSIZE("oversize"),
    /** Packet ends inside an element (string, argument, bundle header or element). */
    TRUNCATED("truncated"),
    /** Packet or element length not a multiple of four. */
    BAD_ALIGNMENT("bad_alignment"),
    /** A string is not terminated, or its padding holds non-zero bytes. */
    BAD_PADDING("bad_padding"),
    /** Address does not start with '/' or holds control characters. */
    BAD_ADDRESS("bad_address"),
    /** Address or pattern longer than the cap. */
    ADDRESS_TOO_LONG("address_too_long"),
    /** Type tag string missing its ',' or holding an unknown tag. */
    BAD_TYPE_TAGS("bad_type_tags"),
    /** More arguments than the cap. */
    TOO_MANY_ARGUMENTS("too_many_arguments"),
    /** Blob size negative, beyond the packet or beyond the cap. */
    BAD_BLOB("bad_blob"),
    /** Bundles nested deeper than the cap. */
    BUNDLE_TOO_DEEP("bundle_too_deep"),
    /** A bundle element's size is zero, negative, unaligned or beyond its bundle. */
    BAD_BUNDLE_ELEMENT("bad_bundle_element"),
    /** A message's bytes do not end where its type tags say. */
    LENGTH_MISMATCH("length_mismatch"),
    /** More messages in one packet than the cap. */
    TOO_MANY_MESSAGES("too_many_messages"),
    /** TCP stream: an ESC byte not followed by ESC_END or ESC_ESC. */
    SLIP_BAD_ESCAPE("slip_bad_escape"),
    /** TCP stream: a SLIP frame larger than the cap. */
    SLIP_FRAME_TOO_LARGE("slip_frame_too_large"),
    /** Well-formed message to an address nothing handles. */
    UNKNOWN_ADDRESS("unknown_address"),
    /** Well-formed message whose arguments do not fit its address (types, count or range). */
    BAD_ARGUMENTS("bad_arguments"),
    /** Bundle timetag further ahead than the scheduling horizon. */
    BEYOND_HORIZON("beyond_horizon"),
    /** The engine's control ring was full; the event was not published. */
    ENGINE_BUSY("engine_busy"),
    /** Too many connections or subscribers; the new one was refused. */
    TOO_MANY_PEERS("too_many_peers"),
    /** Source spent its share of the receiver thread's time (costly packets, e.g. patterns); dropped before parsing. */
    WORK_LIMITED("work_limited"),
    /** TCP connection closed: no complete packet for the idle timeout, or a packet begun and not finished in time. */
    TCP_TIMEOUT("tcp_timeout"),
    /** An unexpected exception while handling one packet; the listener carried on. */
    INTERNAL_ERROR("internal_error");

    private static final DropReason[] VALUES = values();

    /** Number of reasons. */
    public static final int COUNT = VALUES.length;

    private final String oscName;

    DropReason(String oscName) {
        this.oscName = oscName;
    }

    /** Name used in {@code /status.reply} and logs. */
    public String oscName() {
        return oscName;
    }

    /** Reason by ordinal; allocation-free. */
    public static DropReason ofOrdinal(int ordinal) {
        return VALUES[ordinal];
    }
}
