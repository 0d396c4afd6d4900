package io.latentkit.osc.codec;

/**
 * OSC timetags: 64-bit NTP time, seconds since 1900-01-01 in the high 32 bits (unsigned) and a
 * binary fraction of a second in the low 32 bits. The value 1 means "immediately".
 *
 * <p>Stateless; any thread; allocation-free.
 */
public final class TimeTags {
    /** The timetag that means "immediately". */
    public static final long IMMEDIATELY = 1L;

    /** Seconds from the NTP epoch (1900) to the Unix epoch (1970): 70 years with 17 leap days. */
    public static final long NTP_TO_UNIX_SECONDS = 2_208_988_800L;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private TimeTags() {
    }

    /**
     * Unix-epoch nanoseconds of an NTP timetag, exact to the nanosecond (rounded to nearest). The
     * 32-bit seconds wrap in February 2036 (the NTP era rollover); as RFC 4330 proposes, a seconds
     * value with its top bit clear is read as the next era, so timetags from 1968 to 2104 decode
     * right.
     */
    public static long toEpochNanos(long timetag) {
        long seconds = timetag >>> 32;
        if ((seconds & 0x8000_0000L) == 0) {
            seconds += 1L << 32; // era 1: after 2036-02-07T06:28:16Z
        }
        long fraction = timetag & 0xFFFF_FFFFL;
        // fraction * 1e9 < 2^32 * 2^30 = 2^62: no overflow. Add half a unit to round to nearest.
        long nanos = (fraction * NANOS_PER_SECOND + (1L << 31)) >>> 32;
        return (seconds - NTP_TO_UNIX_SECONDS) * NANOS_PER_SECOND + nanos;
    }

    /**
     * NTP timetag of a Unix-epoch time in nanoseconds (rounded to the nearest fraction unit); after
     * the 2036 rollover the seconds wrap into era 1, as NTP does.
     */
    public static long fromEpochNanos(long epochNanos) {
        long seconds = Math.floorDiv(epochNanos, NANOS_PER_SECOND);
        long nanos = Math.floorMod(epochNanos, NANOS_PER_SECOND);
        long fraction = ((nanos << 32) + NANOS_PER_SECOND / 2) / NANOS_PER_SECOND;
        if (fraction > 0xFFFF_FFFFL) {
            fraction = 0xFFFF_FFFFL;
        }
        return ((seconds + NTP_TO_UNIX_SECONDS) << 32) | fraction;
    }
}
