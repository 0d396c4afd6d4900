package io.latentkit.osc;

import io.latentkit.osc.testkit.Packets;
import static io.latentkit.osc.testkit.Packets.message;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.sequence.SequencerProxy;
import io.latentkit.osc.testkit.OscTestRig;
import io.latentkit.osc.testkit.TcpClient;
import io.latentkit.osc.testkit.UdpClient;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** /notify subscriptions: one float per address, leases, unsubscribe, and replies over TCP. */
class TelemetryTest {
    private final OscTestRig rig = new OscTestRig();
    private final UdpClient client = new UdpClient(rig.port());

    @AfterEach
    void tearDown() {
        client.close();
        rig.close();
    }

    @Test
    void subscriberReceivesMetersVoicesAndBeatsAsOneFloatPerAddress() {
        client.send(message("/notify", 1));
        assertEquals("/done s /notify", client.receive());
        client.send(message("/hit", 0));
        rig.awaitMessages(2);
        rig.nanos.advanceNanos(50_000_000L);
        rig.render(48_000); // one second: meters every 20 ms, two beats at 120 BPM
        List<String> got = new ArrayList<>();
        String s;
        do {
            s = client.receive();
            got.add(s);
        } while (!s.startsWith("/voices"));
        assertTrue(got.stream().anyMatch(x -> x.startsWith("/beat f ")), got.toString());
        assertTrue(got.stream().anyMatch(x -> x.startsWith("/meter/l f ")), got.toString());
        assertTrue(got.stream().anyMatch(x -> x.startsWith("/meter/r f ")), got.toString());
        String left = got.stream().filter(x -> x.startsWith("/meter/l")).findFirst().orElseThrow();
        assertTrue(Float.parseFloat(left.substring("/meter/l f ".length())) > 0f, left);
    }

    @Test
    void subscriberReceivesTheSequencersBeatsAsBarAndTick() {
        client.send(message("/notify", 1));
        assertEquals("/done s /notify", client.receive());
        new SequencerProxy(rig.engine.proxy()).play(EngineProxy.ASAP);
        rig.nanos.advanceNanos(50_000_000L);
        rig.render(60_000); // 1.25 s at 120 BPM: beats 0, 1 and 2 of bar 0
        List<String> steps = new ArrayList<>();
        while (steps.size() < 3) {
            String s = client.receive();
            if (s.startsWith("/pattern/step")) {
                steps.add(s);
            }
        }
        assertEquals(List.of("/pattern/step ii 0 0", "/pattern/step ii 0 32", "/pattern/step ii 0 64"), steps);
    }

    @Test
    void silentSubscriberExpiresAfterItsLease() {
        client.send(message("/notify", 1));
        assertEquals("/done s /notify", client.receive());
        assertEquals(1, rig.counters().subscribers());
        rig.nanos.advanceNanos(29_000_000_000L);
        client.send(message("/notify", 1)); // renewal
        assertEquals("/done s /notify", client.receive());
        rig.nanos.advanceNanos(29_000_000_000L);
        client.send(message("/version"));
        client.receive();
        assertEquals(1, rig.counters().subscribers());
        rig.nanos.advanceNanos(2_000_000_000L);
        OscTestRig.await("the lease to expire", () -> rig.counters().subscribers() == 0);
    }

    @Test
    void notifyZeroUnsubscribes() {
        client.send(message("/notify", 1));
        client.receive();
        client.send(message("/notify", 0));
        assertEquals("/done s /notify", client.receive());
        assertEquals(0, rig.counters().subscribers());
    }

    @Test
    void tcpRepliesUseTheFramingTheClientChose() {
        try (TcpClient slip = new TcpClient(rig.port()); TcpClient prefixed = new TcpClient(rig.port())) {
            slip.write(Packets.slip(message("/version")));
            assertTrue(slip.receiveSlip().startsWith("/version.reply ss latentkit"));
            byte[] v = message("/version");
            prefixed.write(Packets.bytes(v.length, v));
            assertTrue(prefixed.receivePrefixed().startsWith("/version.reply ss latentkit"));
        }
    }
}
