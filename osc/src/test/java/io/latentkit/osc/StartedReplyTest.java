package io.latentkit.osc;

import java.util.Collections;
import static io.latentkit.osc.testkit.Packets.bundle;
import static io.latentkit.osc.testkit.Packets.bundlePacket;
import static io.latentkit.osc.testkit.Packets.message;
import static io.latentkit.osc.testkit.Packets.msg;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.illposed.osc.OSCPacket;
import io.latentkit.osc.dispatch.OscDispatcher;
import io.latentkit.osc.testkit.OscTestRig;
import io.latentkit.osc.testkit.TestKits;
import io.latentkit.osc.testkit.UdpClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code /hit ... id} -> {@code /started id pad frame targetFrame} when the voice's first block
 * renders, over real UDP with a real engine rendered offline; refusals and voices that never start
 * are answered with {@code /fail /hit id reason} and counted, never left pending.
 */
class StartedReplyTest {
    private final OscTestRig rig = new OscTestRig(c -> c.withRate(1e9, 1e6), null);
    private final UdpClient client = new UdpClient(rig.port());

    @AfterEach
    void tearDown() {
        client.close();
        rig.close();
    }

    @Test
    void immediateHitWithIdRepliesStartedWithTheFrameItsVoiceStarted() {
        rig.render(640);
        client.send(message("/hit", 4, 1.0f, 42));
        rig.awaitMessages(1);
        rig.render(128);
        assertEquals("/started iihh 42 4 640 -1", client.receive());
        assertArrayEquals(new int[] {640}, rig.sink.nonZeroFrames(0));
    }

    @Test
    void classAddressAndIntVelocityAskForTheReplyToo() {
        client.send(message("/hit/snare", 1.0f, 5));
        client.send(message("/hit", 3, 1, 6)); // Max sends ints
        rig.awaitMessages(2);
        rig.render(64);
        assertEquals("/started iihh 5 1 0 -1", client.receive());
        assertEquals("/started iihh 6 3 0 -1", client.receive());
    }

    @Test
    void timestampedHitRepliesOnceItsVoiceStartsAtTheTimetagsFrame() {
        client.send(bundle(rig.timetagOfFrame(4817), msg("/hit", 7, 1.0f, 99)));
        rig.awaitMessages(1);
        rig.render(4736); // the block holding frame 4817 is not rendered yet: no reply
        client.send(message("/sync", 1));
        rig.awaitMessages(2);
        rig.render(64);
        assertEquals("/synced i 1", client.receive());
        rig.render(64);
        assertEquals("/started iihh 99 7 4817 4817", client.receive());
        assertArrayEquals(new int[] {4817}, rig.sink.nonZeroFrames(0));
    }

    @Test
    void senderThatCannotReadInt64GetsFramesAsInt32PairsExactInAFloat() {
        // Past 2^24 frames (349 s at 48 kHz) a single int32-as-float (what Pd's oscparse makes of it)
        // is no longer exact; each half of the split form is.
        long far = (1L << 24) + 4_800;
        rig.render((int) far);
        client.send(message("/format/started", 1));
        rig.awaitMessages(1);
        assertEquals("/done s /format/started", client.receive());
        long target = far + 4817;
        client.send(bundle(rig.timetagOfFrame(target), msg("/hit", 7, 1.0f, 99)));
        client.send(message("/hit", 3, 1.0f, 5));
        rig.awaitMessages(3);
        rig.render(6_400);
        List<String> replies = List.of(client.receive(), client.receive());
        assertTrue(replies.contains("/started iiiiii 5 3 1 4800 -1 16777215"), replies.toString());
        assertTrue(replies.contains("/started iiiiii 99 7 1 9617 1 9617"), replies.toString());
        for (int half : new int[] {1, 9617, 16777215}) {
            assertEquals(half, (int) (float) half, "each half is exact as a 32-bit float");
        }
        // Another sender keeps the int64 form; 0 switches this one back.
        try (UdpClient other = new UdpClient(rig.port())) {
            other.send(message("/hit", 2, 1.0f, 8));
            rig.awaitMessages(4);
            rig.render(64);
            assertEquals("/started iihh 8 2 " + (far + 6_400) + " -1", other.receive());
        }
        client.send(message("/format/started", 0));
        client.send(message("/format/started", 2));
        assertEquals("/done s /format/started", client.receive());
        assertEquals("/fail ss /format/started expected ,i 0 (int64 frames) or 1 (int32 pairs below 2^24)",
                client.receive());
        client.send(message("/hit", 2, 1.0f, 9));
        rig.awaitMessages(6);
        rig.render(64);
        assertEquals("/started iihh 9 2 " + (far + 6_464) + " -1", client.receive());
    }

    @Test
    void plainHitIsUnchangedAndGetsNoReply() {
        client.send(message("/hit", 2, 1.0f));
        client.send(message("/hit", 3, 1.0f, "not an id")); // not a number: ignored, as before
        client.send(message("/sync", 3));
        rig.awaitMessages(3);
        rig.render(128);
        assertEquals("/synced i 3", client.receive());
        assertArrayEquals(new int[] {0}, rig.sink.nonZeroFrames(0));
        assertEquals(TestKits.clickAmplitude(2, 1f) + TestKits.clickAmplitude(3, 1f), rig.sink.left(0), 1e-6);
    }

    @Test
    void mutedPadStartsNoVoiceAndItsReplyExpiresAsCountedFailure() {
        client.send(message("/pad/2/mute", 1.0f));
        rig.awaitMessages(1);
        rig.render(640);
        client.send(message("/hit", 2, 1.0f, 9));
        rig.awaitMessages(2);
        rig.render(128);
        client.send(message("/sync", 1));
        rig.awaitMessages(3);
        rig.render(64);
        // Within its grace the hit is still pending: the sync's reply comes first.
        assertEquals("/synced i 1", client.receive());
        assertEquals(0, rig.counters().startedExpired());
        rig.render(OscTestRig.RATE_HZ + 1024);
        assertEquals("/fail sis /hit 9 no voice started (empty or muted pad, or the engine dropped the trigger)",
                client.receive());
        assertEquals(1, rig.counters().startedExpired());
        assertEquals(0, rig.sink.nonZeroFrames(0).length);
    }

    @Test
    void refusedHitsFailAtOnce() {
        client.send(bundle(rig.timetagOfFrame(61L * OscTestRig.RATE_HZ), msg("/hit", 4, 1.0f, 1)));
        assertEquals("/fail sis /hit 1 timetag beyond the scheduling horizon", client.receive());
        client.send(message("/hit", 4, 0.0f, 2));
        assertEquals("/fail sis /hit 2 velocity 0 starts no voice", client.receive());
    }

    @Test
    void fullTableFailsTheReplyButPlaysTheHitAndFreesAsVoicesStart() throws Exception {
        int n = 1025; // one more than the table holds
        assertEquals(1024, OscDispatcher.MAX_PENDING_STARTS);
        List<String> got = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            for (int i = 0; i < n; i++) {
                got.add(client.receive());
            }
        });
        reader.start();
        int perBundle = 64;
        for (int first = 0; first < n; first += perBundle) {
            List<OSCPacket> hits = new ArrayList<>();
            for (int i = first; i < Math.min(n, first + perBundle); i++) {
                // Each hit on its own frame (8 apart), so the untracked last one can be heard alone.
                hits.add(bundlePacket(rig.timetagOfFrame(10_000 + 8L * i), msg("/hit", i % 12, 1.0f, i)));
            }
            client.send(bundle(rig.timetagOfFrame(10_000 + 8L * first), hits.toArray(new OSCPacket[0])));
        }
        rig.awaitMessages(n);
        assertEquals(1, rig.counters().startedUntracked());
        rig.render(9984);
        // A block at a time (8 starts each), waiting for its replies, so the client's socket buffer
        // never overflows.
        for (int end = 10_048; end <= 10_000 + 8 * 1024 + 64; end += 64) {
            rig.render(64);
            int expected = 1 + Math.min(1024, (end - 10_000 + 7) / 8);
            OscTestRig.await(expected + " replies (got " + got.size() + ", " + rig.counters() + ")",
                    () -> got.size() >= expected);
        }
        reader.join();
        assertEquals("/fail sis /hit 1024 too many pending /started replies; the hit was played", got.get(0));
        for (int i = 0; i < 1024; i++) {
            long frame = 10_000 + 8L * i;
            assertEquals("/started iihh " + i + " " + (i % 12) + " " + frame + " " + frame, got.get(i + 1));
        }
        assertNotEquals(0f, rig.sink.left(10_000 + 8 * 1024));
        // The table is empty again: the next hit is tracked.
        client.send(message("/hit", 0, 1.0f, 2000));
        rig.awaitMessages(n + 1);
        rig.render(64);
        assertTrue(client.receive().startsWith("/started iihh 2000 0 "));
        assertEquals(0, rig.counters().startedExpired());
    }
}
