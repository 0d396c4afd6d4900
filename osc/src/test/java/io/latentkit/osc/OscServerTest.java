package io.latentkit.osc;

import io.latentkit.core.kit.Kit;
import io.latentkit.osc.codec.TimeTags;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import static io.latentkit.osc.testkit.Packets.message;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.DrumClass;
import io.latentkit.osc.testkit.OscTestRig;
import io.latentkit.testsupport.CapturedLog;
import io.latentkit.osc.testkit.Packets;
import io.latentkit.osc.testkit.TestKits;
import io.latentkit.osc.transport.Figures;
import java.util.Locale;
import io.latentkit.osc.testkit.UdpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OscServerTest {
    private final OscTestRig rig = new OscTestRig();
    private final UdpClient client = new UdpClient(rig.port());

    @AfterEach
    void tearDown() {
        client.close();
        rig.close();
    }

    @Test
    void hitOverUdpPlaysItsPadAtTheStartOfTheNextBlock() {
        client.send(message("/hit", 3, 1.0f));
        rig.awaitMessages(1);
        rig.render(256);
        assertArrayEquals(new int[] {0}, rig.sink.nonZeroFrames(0));
    }

    @Test
    void everyNumericTypeIsAcceptedWherePadAndVelocityAreExpected() {
        client.send(message("/hit", 1));
        client.send(message("/hit", 1.0f, 1));
        client.send(message("/hit", 1.0d, 1.0d));
        client.send(message("/hit", 1L, true));
        rig.awaitMessages(4);
        rig.render(64);
        assertEquals(0, rig.counters().totalDrops(), rig.counters().toString());
        // Four clicks of pad 1 at frame 0 sum to four times one click.
        client.send(message("/hit", 1));
        rig.awaitMessages(5);
        rig.render(64);
        assertEquals(4 * rig.sink.left(64), rig.sink.left(0), 1e-6);
    }

    @Test
    void classAddressesAndGmNotesReachTheirPads() {
        client.send(message("/hit/snare", 1.0f));
        rig.awaitMessages(1);
        rig.render(64);
        client.send(message("/note", 38, 1.0f)); // GM acoustic snare
        rig.awaitMessages(2);
        rig.render(64);
        client.send(message("/hit", DrumClass.SNARE.pad()));
        rig.awaitMessages(3);
        rig.render(64);
        assertArrayEquals(new int[] {0, 64, 128}, rig.sink.nonZeroFrames(0));
        assertEquals(rig.sink.left(0), rig.sink.left(64));
        assertEquals(rig.sink.left(0), rig.sink.left(128));
    }

    @Test
    void patternAddressHitsEveryMatchingClassOnce() {
        client.send(Packets.raw("/hit/{kick,snare}", "f", 1.0f));
        rig.awaitMessages(2);
        client.send(Packets.raw("/hit/tom_*", "f", 1.0f));
        rig.awaitMessages(5);
        assertEquals(5, rig.counters().messages());
    }

    @Test
    void padParameterChangesTheNextHit() {
        client.send(message("/hit", 2));
        rig.awaitMessages(1);
        rig.render(64);
        client.send(message("/pad/rim/gain", 0.5f));
        rig.awaitMessages(2);
        rig.render(64); // the engine ramps a gain change across one block
        client.send(message("/hit", 2));
        rig.awaitMessages(3);
        rig.render(64);
        assertEquals(0.5f * rig.sink.left(0), rig.sink.left(128), 1e-6);
    }

    @Test
    void statusRepliesToTheSenderWithCountersAndDropsByReason() {
        client.send(message("/hit", 99)); // no such pad: counted as bad arguments
        rig.awaitDrops(1);
        client.send(message("/status"));
        String reply = client.receive();
        assertTrue(reply.startsWith("/status.reply iffiiiisisisisisisisisi 0 "), reply);
        assertTrue(reply.contains(" 48000 "), reply);
        // Drops by reason, the models' availability (no server actions here: 0), then deadline
        // misses by cause, after every older field.
        assertTrue(reply.endsWith(" 1 bad_arguments 1 nonfinite 0 models 0 misses_scheduling 0 misses_steal 0 misses_render 0"
                + " misses_gc 0 misses_unexplained 0"), reply);
    }

    @Test
    void versionRepliesWithTheProgramName() {
        client.send(message("/version"));
        assertTrue(client.receive().startsWith("/version.reply ss latentkit "));
    }

    @Test
    void syncRepliesOnceTheEngineHandledEveryEarlierEvent() {
        client.send(message("/hit", 0));
        client.send(message("/sync", 42));
        rig.awaitMessages(2);
        rig.render(64);
        assertEquals("/synced i 42", client.receive());
        assertArrayEquals(new int[] {0}, rig.sink.nonZeroFrames(0));
    }

    @Test
    void unknownQueryIsCountedAndAnsweredWithFail() {
        client.send(message("/nonsense"));
        assertEquals("/fail ss /nonsense unknown address", client.receive());
        assertEquals(1, rig.counters().drops(DropReason.UNKNOWN_ADDRESS));
    }

    @Test
    void kitLoadSwapsTheKitAndRepliesDone() {
        client.send(message("/kit/load", "quiet"));
        // The reply comes once the render thread has applied the stage, so the test renders meanwhile.
        assertEquals("/done ss /kit/load quiet", rig.receiveWhileRendering(client));
        int rendered = rig.sink.frames();
        rig.render(2048); // past the kit crossfade
        client.send(message("/hit", 5));
        rig.awaitMessages(2);
        rig.render(64);
        int onset = rig.sink.nonZeroFrames(rendered + 2048)[0];
        assertEquals(rendered + 2048, onset);
        client.send(message("/kit/load", "clicks"));
        assertEquals("/done ss /kit/load clicks", rig.receiveWhileRendering(client));
        int louder = rig.sink.frames() + 2048;
        rig.render(2048);
        client.send(message("/hit", 5));
        rig.awaitMessages(4);
        rig.render(64);
        assertEquals(2 * rig.sink.left(onset), rig.sink.left(louder), 1e-6);
    }

    @Test
    void kitLoadOfAMissingKitOrAPathRepliesFail() {
        client.send(message("/kit/load", "nope"));
        assertEquals("/fail sss /kit/load nope no kit named 'nope' in the library", client.receive());
        client.send(message("/kit/load", "../etc/passwd"));
        assertEquals("/fail sss /kit/load ../etc/passwd kit names are names in the library, not paths", client.receive());
    }

    @Test
    void kitListRepliesWithTheLibrary() {
        client.send(message("/kit/list"));
        assertEquals("/kit/list.reply ss clicks quiet", client.receive());
    }

    @Test
    void repliesGoToTheReplyPortWhenOneIsGiven() {
        try (UdpClient listener = new UdpClient(rig.port())) {
            client.send(message("/version", listener.localPort()));
            assertTrue(listener.receive().startsWith("/version.reply"));
        }
    }

    @Test
    void exceptionInsideAHandlerIsCountedAndTheListenerCarriesOn() throws Exception {
        KitLoader broken = new KitLoader() {
            @Override
            public Kit loadNow(String name) {
                throw new IllegalStateException("library on fire");
            }

            @Override
            public List<String> list() {
                throw new IllegalStateException("library on fire");
            }
        };
        try (OscTestRig other = new OscTestRig(c -> c, broken); UdpClient c = new UdpClient(other.port())) {
            // A handler that throws on the receiver thread: counted, and the next message plays.
            other.server.actions(new ServerActions() {
                @Override
                public CompletionStage<String> presetSave(String name) {
                    throw new IllegalStateException("presets on fire");
                }

                @Override
                public CompletionStage<String> presetLoad(String name) {
                    // The heap running out while one packet is handled must not kill the receiver.
                    throw new OutOfMemoryError("simulated: the heap ran out");
                }

                @Override
                public CompletionStage<List<String>> presetList() {
                    throw new IllegalStateException("presets on fire");
                }

                @Override
                public CompletionStage<String> midiLearn(String parameter) {
                    throw new IllegalStateException("midi on fire");
                }

                @Override
                public boolean modelsAvailable() {
                    return false;
                }
            });
            try (CapturedLog log = CapturedLog.open()) {
                log.expect("counted as internal_error");
                c.send(message("/preset/list"));
                c.send(message("/preset/save", "x"));
                c.send(message("/preset/load", "x"));
                c.send(message("/hit", 0));
                other.awaitMessages(1);
                OscTestRig.await("three internal errors", () -> other.counters().drops(DropReason.INTERNAL_ERROR) == 3);
                assertEquals(2, log.recordsWith("counted as internal_error").size(), "logged once per kind");
                assertEquals(1, log.recordsWith("OutOfMemoryError").size());
            }
            other.render(64);
            assertArrayEquals(new int[] {0}, other.sink.nonZeroFrames(0));
            // A library that throws on the loader thread: the sender is told why.
            c.send(message("/kit/load", "x"));
            assertEquals("/fail sss /kit/load x library on fire", c.receive());
            c.send(message("/kit/list"));
            assertEquals("/fail ss /kit/list library on fire", c.receive());
        }
    }

    @Test
    void anErrorNoGuardCatchesRestartsTheControlThreadsWhichSayWhyAndControlGoesOn() throws Exception {
        KitLoader kits = TestKits.library(Map.of(
                "unlinkable", () -> {
                    throw new LinkageError("simulated: a kit codec class failed to link");
                },
                "links", () -> TestKits.clicks("links", OscTestRig.RATE_HZ, 1f)));
        try (OscTestRig other = new OscTestRig(c -> c, kits); UdpClient c = new UdpClient(other.port())) {
            other.server.actions(new ServerActions() {
                @Override
                public CompletionStage<String> presetSave(String name) {
                    // An Error the packet guard does not catch: it escapes the receiver's duty cycle.
                    throw new LinkageError("simulated: a preset codec class failed to link");
                }

                @Override
                public CompletionStage<String> presetLoad(String name) {
                    throw new IllegalStateException("unused");
                }

                @Override
                public CompletionStage<List<String>> presetList() {
                    throw new IllegalStateException("unused");
                }

                @Override
                public CompletionStage<String> midiLearn(String parameter) {
                    throw new IllegalStateException("unused");
                }

                @Override
                public boolean modelsAvailable() {
                    return false;
                }
            });
            try (CapturedLog log = CapturedLog.open()) {
                log.expect("control thread latentkit-osc died of java.lang.LinkageError");
                log.expect("control thread latentkit-loader died of java.lang.LinkageError");
                long sent = System.nanoTime();
                c.send(message("/preset/save", "x"));
                OscTestRig.await("the receiver restarted", () -> other.engine.controlThreads().restarts() == 1);
                // The restarted receiver answers, reports the restart and plays.
                c.send(message("/status"));
                String status = c.receive();
                long receiverBack = System.nanoTime() - sent;
                assertTrue(status.contains(" control_restarts 1 "), status);
                assertEquals(1, log.recordsWith("control thread latentkit-osc died of java.lang.LinkageError").size());
                c.send(message("/hit", 0));
                other.awaitMessages(2);
                other.render(64);
                assertArrayEquals(new int[] {0}, other.sink.nonZeroFrames(0));
                // The loader: the sender hears why, the loader is restarted, and the next load works.
                c.send(message("/kit/load", "unlinkable"));
                assertEquals("/fail sss /kit/load unlinkable the loader failed (java.lang.LinkageError: simulated: a kit"
                        + " codec class failed to link); it was restarted", c.receive());
                long failed = System.nanoTime();
                c.send(message("/kit/load", "links"));
                assertEquals("/done ss /kit/load links", other.receiveWhileRendering(c));
                long loaderBack = System.nanoTime() - failed;
                Figures.write("control-restarts.txt", String.format(Locale.ROOT,
                        "receiver: failing packet sent -> /status.reply from the restarted receiver %.1f ms%n"
                        + "loader: /fail received -> next /kit/load /done from the restarted loader %.1f ms%n",
                        receiverBack / 1e6, loaderBack / 1e6));
                assertEquals(2, other.engine.controlThreads().restarts());
                assertTrue(other.engine.controlThreads().lastFailure().startsWith("latentkit-loader: java.lang.LinkageError"),
                        other.engine.controlThreads().lastFailure());
                assertEquals(1, log.recordsWith("control thread latentkit-loader died of java.lang.LinkageError").size());
            }
        }
    }

    @Test
    void patternMatchingWorkPerPacketIsBounded() {
        byte[][] many = new byte[20][];
        for (int i = 0; i < many.length; i++) {
            many[i] = Packets.raw("/hit/k?ck", "f", 1.0f);
        }
        client.send(Packets.rawBundle(TimeTags.IMMEDIATELY, many));
        rig.awaitMessages(16);
        rig.awaitDrops(4);
        assertEquals(4, rig.counters().drops(DropReason.TOO_MANY_MESSAGES));
    }
}
