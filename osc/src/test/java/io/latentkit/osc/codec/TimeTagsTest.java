package io.latentkit.osc.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TimeTagsTest {
    @Test
    void unixEpochIsNtpSecond2208988800() {
        assertEquals(0L, TimeTags.toEpochNanos(2_208_988_800L << 32));
    }

    @Test
    void halfASecondFractionIsFiveHundredMillion() {
        assertEquals(1_500_000_000L, TimeTags.toEpochNanos((2_208_988_801L << 32) | 0x8000_0000L));
    }

    @Test
    void conversionRoundTripsToTheNanosecond() {
        long[] samples = {0L, 1L, 999_999_999L, 1_763_840_000_123_456_789L, 1_763_840_000_999_999_999L};
        for (long ns : samples) {
            assertEquals(ns, TimeTags.toEpochNanos(TimeTags.fromEpochNanos(ns)), "at " + ns);
        }
    }
}
