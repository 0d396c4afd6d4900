package io.latentkit.osc;

import static io.latentkit.osc.testkit.Packets.bundle;
import static io.latentkit.osc.testkit.Packets.message;
import static io.latentkit.osc.testkit.Packets.msg;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.latentkit.osc.codec.TimeTags;
import io.latentkit.osc.testkit.OscTestRig;
import io.latentkit.osc.testkit.TestKits;
import io.latentkit.osc.testkit.UdpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BundleTimingTest {
    private final OscTestRig rig = new OscTestRig();
    private final UdpClient client = new UdpClient(rig.port());

    @AfterEach
    void tearDown() {
        client.close();
        rig.close();
    }

    private void syncAndRender(int frames) {
        long before = rig.counters().messages();
        client.send(message("/sync", 7));
        rig.awaitMessages(before + 1);
        rig.render(frames);
        assertEquals("/synced i 7", client.receiveStartingWith("/synced"));
    }

    @Test
    void timestampedBundlesRenderAtTheExactFramesTheirTimetagsAskFor() {
        // Two hits inside one block, one in a later block, one a second later, in two bundles sent
        // out of order: each lands on its own sample.
        client.send(bundle(rig.timetagOfFrame(4817), msg("/hit", 7)));
        client.send(bundle(rig.timetagOfFrame(1000), msg("/hit", 1), msg("/hit", 2, 1.0f)));
        client.send(bundle(rig.timetagOfFrame(1001), msg("/note", 36)));
        client.send(bundle(rig.timetagOfFrame(1234), msg("/hit/crash", 1.0f)));
        rig.awaitMessages(5);
        syncAndRender(8192);
        assertArrayEquals(new int[] {1000, 1001, 1234, 4817}, rig.sink.nonZeroFrames(0));
        float both = TestKits.clickAmplitude(1, 1f) + TestKits.clickAmplitude(2, 1f);
        assertEquals(both, rig.sink.left(1000), 1e-6);
        assertEquals(TestKits.clickAmplitude(0, 1f), rig.sink.left(1001), 1e-6);
        assertEquals(TestKits.clickAmplitude(9, 1f), rig.sink.left(1234), 1e-6);
        assertEquals(TestKits.clickAmplitude(7, 1f), rig.sink.left(4817), 1e-6);
        assertEquals(0, rig.engine.counters().lateEvents());
    }

    @Test
    void immediateTimetagPlaysAtTheNextBlock() {
        rig.render(640);
        client.send(bundle(TimeTags.IMMEDIATELY, msg("/hit", 4)));
        rig.awaitMessages(1);
        syncAndRender(128);
        assertArrayEquals(new int[] {640}, rig.sink.nonZeroFrames(0));
    }

    @Test
    void pastTimetagPlaysAtOnceAndCountsLate() {
        rig.render(6400);
        client.send(bundle(rig.timetagOfFrame(100), msg("/hit", 4)));
        rig.awaitMessages(1);
        syncAndRender(128);
        assertArrayEquals(new int[] {6400}, rig.sink.nonZeroFrames(0));
        assertEquals(1, rig.engine.counters().lateEvents());
    }

    @Test
    void timetagBeyondTheHorizonIsRefusedAndCounted() {
        client.send(bundle(rig.timetagOfFrame(61L * OscTestRig.RATE_HZ), msg("/hit", 4)));
        rig.awaitDrops(1);
        assertEquals(1, rig.counters().drops(DropReason.BEYOND_HORIZON));
        client.send(bundle(rig.timetagOfFrame(59L * OscTestRig.RATE_HZ), msg("/hit", 4)));
        rig.awaitMessages(1);
    }
}
