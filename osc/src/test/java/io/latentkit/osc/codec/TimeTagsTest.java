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

    @Test
    void timetagsAfterTheNtpEraRolloverOf2036DecodeToTheirTime() {
        long rollover = 2_085_978_496L * 1_000_000_000L; // 2036-02-07T06:28:16Z, NTP seconds wrap to 0
        assertEquals(rollover, TimeTags.toEpochNanos(0L));
        assertEquals(rollover + 60_000_000_000L, TimeTags.toEpochNanos(60L << 32));
        long year2040 = 2_208_988_800L * 1_000_000_000L; // 2040-01-01T00:00:00Z
        assertEquals(year2040, TimeTags.toEpochNanos(TimeTags.fromEpochNanos(year2040)));
        long y2100 = 4_102_444_800L * 1_000_000_000L + 123_456_789L; // 2100-01-01
        assertEquals(y2100, TimeTags.toEpochNanos(TimeTags.fromEpochNanos(y2100)));
        // Before the rollover nothing changes.
        long y2030 = 1_893_456_000L * 1_000_000_000L;
        assertEquals(y2030, TimeTags.toEpochNanos(TimeTags.fromEpochNanos(y2030)));
    }
}
