package io.latentkit.osc.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.osc.DropReason;
import io.latentkit.osc.OscCounters;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The inbox other transports hand packets to the receiver thread through: bounded, in order, guarded. */
class PacketInboxTest {
    @Test
    void packetsOfferedFromAnotherThreadAreHandedOverInOrderAndAFullInboxRefuses() throws Exception {
        OscCounters counters = new OscCounters();
        PacketInbox inbox = new PacketInbox(8, counters);
        AtomicInteger wakeups = new AtomicInteger();
        inbox.wakeup(wakeups::incrementAndGet);
        Thread producer = new Thread(() -> {
            for (int i = 0; i < 10; i++) {
                inbox.offer(new byte[] {(byte) i, 0, 0, 0}, 4, null, i);
            }
        });
        producer.start();
        producer.join();
        assertEquals(8, wakeups.get(), "one wakeup per queued packet");
        assertEquals(2, inbox.refused(), "two offers found the inbox full");
        List<Integer> seen = new ArrayList<>();
        int n = inbox.drain((b, off, len, from, nanos) -> seen.add((int) b[off]), 5);
        assertEquals(5, n, "at most the burst per call");
        inbox.drain((b, off, len, from, nanos) -> seen.add((int) b[off]), 100);
        assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), seen);
        assertEquals(8, counters.packets());
        assertTrue(inbox.offer(new byte[4], 4, null, 0));
    }

    @Test
    void aPacketWhoseHandlerThrowsIsCountedAndTheRestStillRun() {
        OscCounters counters = new OscCounters();
        PacketInbox inbox = new PacketInbox(4, counters);
        inbox.offer(new byte[] {1, 0, 0, 0}, 4, null, 0);
        inbox.offer(new byte[] {2, 0, 0, 0}, 4, null, 0);
        List<Integer> seen = new ArrayList<>();
        inbox.drain((b, off, len, from, nanos) -> {
            if (b[off] == 1) {
                throw new IllegalStateException("provoked");
            }
            seen.add((int) b[off]);
        }, 10);
        assertEquals(List.of(2), seen);
        assertEquals(1, counters.drops(DropReason.INTERNAL_ERROR));
        assertFalse(inbox.size() > 0);
    }
}
