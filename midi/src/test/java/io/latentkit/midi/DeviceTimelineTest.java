package io.latentkit.midi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class DeviceTimelineTest {
    @Test
    void deviceTimestampsRemoveDeliveryJitterOnceAPromptDeliveryHasBeenSeen() {
        DeviceTimeline t = new DeviceTimeline();
        Random r = new Random(3);
        long base = 5_000_000_000L;
        long worstAfterWarmUp = 0;
        for (int i = 0; i < 400; i++) {
            long stampMicros = 1_000_000L + i * 10_000L; // every 10 ms on the device clock
            long delay = i == 20 ? 200_000L : 200_000L + r.nextInt(3_000_000); // 0.2..3.2 ms; one prompt at 20
            long mapped = t.eventNanos(stampMicros, base + stampMicros * 1000 + delay);
            long error = mapped - (base + stampMicros * 1000 + 200_000L);
            assertTrue(error <= 3_000_000L && error >= 0, "never later than arrival, never before the stamp: " + error);
            if (i >= 20) {
                worstAfterWarmUp = Math.max(worstAfterWarmUp, Math.abs(error));
            }
        }
        // The estimate may creep up by 200 ppm of elapsed time (to follow a slow device clock):
        // over 3.8 s that is at most 0.76 ms, and only while no prompt delivery pulls it back.
        assertTrue(worstAfterWarmUp < 800_000L, "worst " + worstAfterWarmUp + " ns");
    }

    @Test
    void messageWithoutTimestampIsPlacedAtItsArrival() {
        assertEquals(123_456L, new DeviceTimeline().eventNanos(-1, 123_456L));
    }

    @Test
    void deviceClockThatRestartsIsReanchored() {
        DeviceTimeline t = new DeviceTimeline();
        t.eventNanos(10_000_000L, 20_000_000_000L);
        long mapped = t.eventNanos(0L, 21_000_000_000L); // device clock back to zero a second later
        assertEquals(21_000_000_000L, mapped);
        assertEquals(1, t.reanchors());
    }
}
