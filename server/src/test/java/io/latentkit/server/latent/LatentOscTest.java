package io.latentkit.server.latent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Sample;
import io.latentkit.models.InferenceWorker;
import io.latentkit.models.LatentOps;
import io.latentkit.models.Models;
import io.latentkit.models.latent.LatentConfig;
import io.latentkit.models.latent.LatentMath;
import io.latentkit.models.latent.LatentSpace;
import io.latentkit.models.latent.VaeLatentSpace;
import io.latentkit.osc.codec.OscMessageWriter;
import io.latentkit.presets.kit.KitImporter;
import io.latentkit.presets.kit.KitLibrary;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.util.Arrays;

/**
 * Latent pads over real UDP against a real server (the OSC server, the namespace, the latent agent
 * on an inference worker with the shipped VAE, the preset store), rendered offline: what a pad plays
 * after {@code /latent/ready} is the decode of its point, sample for sample; a voice sounding during
 * a swap keeps its sound; presets reload the same bytes; a commit is a sound kit import takes; bad
 * input changes nothing.
 */
class LatentOscTest {
    private static final int PAD = DrumClass.PERC.pad();
    private static InferenceWorker worker;
    /** A second copy of the VAE on the test's thread: what the server's decode must equal. */
    private static Models reference;
    private static LatentSpace space;

    @TempDir
    Path home;
    private LatentRig rig;

    @BeforeAll
    static void loadModels() throws Exception {
        worker = new InferenceWorker(Models.loadDefault());
        reference = Models.loadDefault();
        space = new VaeLatentSpace(reference.vae());
    }

    @AfterAll
    static void closeModels() {
        worker.close();
        reference.close();
    }

    @AfterEach
    void stop() {
        if (rig != null) {
            rig.close();
        }
    }

    private LatentRig rig() throws Exception {
        rig = new LatentRig(home, worker, LatentConfig.defaults());
        return rig;
    }

    private static float[] point(long seed) {
        return LatentOps.random(space.size(), new Random(seed));
    }

    private static float[] decode(float[] z) throws Exception {
        float[] out = new float[space.clipSamples()];
        space.decode(z, out);
        return out;
    }

    private static Object[] zMessage(int pad, float[] z, int id) {
        Object[] args = new Object[z.length + 2];
        args[0] = pad;
        for (int i = 0; i < z.length; i++) {
            args[1 + i] = z[i];
        }
        args[args.length - 1] = id;
        return args;
    }

    /** Plays {@code pad} and returns the frame its voice started at. */
    private long hit(int pad, int id) throws Exception {
        rig.send("/hit", pad, 1f, id);
        List<Object> started = rig.await(r -> r.get(0).equals("/started") && r.get(1).equals(id), "/started " + id);
        return (Long) started.get(3);
    }

    @Test
    void aLatentPadsNextHitAfterReadyPlaysTheDecodeOfItsPointSampleForSample() throws Exception {
        rig();
        float[] z = point(1);
        rig.send("/latent/z", zMessage(PAD, z, 77));
        List<Object> pos = rig.await(r -> r.get(0).equals("/latent/pos"), "/latent/pos");
        assertEquals(PAD, pos.get(1));
        List<Object> ready = rig.await(r -> r.get(0).equals("/latent/ready"), "/latent/ready");
        assertEquals(List.of("/latent/ready", PAD, 77), ready.subList(0, 3));
        long liveAt = (Long) ready.get(3);
        long start = hit(PAD, 5);
        assertTrue(start >= liveAt, "the hit came after the sound went live");
        float[] expected = decode(z);
        for (int i = 0; i < expected.length / 64 + 2; i++) {
            rig.renderBlock();
        }
        float[] out = rig.sink.left((int) start, (int) start + expected.length);
        assertArrayEquals(expected, out, "the rendered hit is the decode, sample for sample");
    }

    @Test
    void notifySubscribersHearEveryLatentPadMoveWhateverSentIt() throws Exception {
        rig();
        try (DatagramSocket subscriber = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            subscriber.setSoTimeout(1);
            OscMessageWriter notify = new OscMessageWriter(64).begin("/notify", "i").putInt(1);
            subscriber.send(new DatagramPacket(notify.buffer(), notify.length(), InetAddress.getLoopbackAddress(),
                    rig.osc.port()));
            rig.await(subscriber, r -> r.get(0).equals("/done"), "/done for /notify");

            // A value node's move (as MIDI learn and the console send it) asks for no reply; the
            // subscriber, which sent nothing, still hears where the pad went and when it was live.
            rig.send("/latent/" + PAD + "/x", 0.75f);
            List<Object> pos = rig.await(subscriber, r -> r.get(0).equals("/latent/pos"), "/latent/pos");
            assertEquals(List.of("/latent/pos", PAD, 0.75f), pos.subList(0, 3));
            List<Object> ready = rig.await(subscriber, r -> r.get(0).equals("/latent/ready"), "/latent/ready");
            assertEquals(List.of("/latent/ready", PAD, -1), ready.subList(0, 3), "no id: nobody asked");
            assertTrue(ready.get(3) instanceof Long, "the frame is an OSC int64: " + ready);

            // An OSC move with an id: its sender gets its reply and the subscriber the same id.
            rig.send("/latent/xy", PAD, 0.25f, 0.5f, 42);
            List<Object> mine = rig.await(r -> r.get(0).equals("/latent/ready") && r.get(2).equals(42), "ready 42");
            List<Object> pos42 = rig.await(subscriber, r -> r.get(0).equals("/latent/pos"), "/latent/pos 42");
            assertEquals(List.of("/latent/pos", PAD, 0.25f, 0.5f), pos42);
            List<Object> theirs = rig.await(subscriber, r -> r.get(0).equals("/latent/ready"), "/latent/ready 42");
            assertEquals(mine, theirs, "the subscriber hears the sender's own /latent/ready");
        }
    }

    @Test
    void aVoiceSoundingDuringASwapKeepsItsSoundAndTheNextHitPlaysTheNewOne() throws Exception {
        rig();
        float[] a = point(2);
        float[] b = point(3);
        rig.send("/latent/z", zMessage(PAD, a, 1));
        rig.await(r -> r.get(0).equals("/latent/ready") && r.get(2).equals(1), "ready 1");
        long startA = hit(PAD, 10);
        rig.send("/latent/z", zMessage(PAD, b, 2));
        List<Object> ready = rig.await(r -> r.get(0).equals("/latent/ready") && r.get(2).equals(2), "ready 2");
        long swap = (Long) ready.get(3);
        float[] soundA = decode(a);
        assertTrue(swap - startA < soundA.length, "the swap happened while the first voice sounded");
        long startB = hit(PAD, 11);
        for (int i = 0; i < soundA.length / 64 + 2; i++) {
            rig.renderBlock();
        }
        int n = (int) (startB - startA);
        assertArrayEquals(Arrays.copyOf(soundA, n), rig.sink.left((int) startA, (int) startB),
                "across the swap at frame " + swap + " the sounding voice played its own sound to the sample");
        float[] soundB = decode(b);
        float[] mixed = rig.sink.left((int) startB, (int) startB + 64);
        for (int i = 0; i < 64; i++) {
            assertEquals(soundA[n + i] + soundB[i], mixed[i], 1e-6f, "the new hit plays the new sound");
        }
    }

    @Test
    void aPresetWithLatentPadsReloadsBitIdenticalSounds() throws Exception {
        rig();
        rig.send("/latent/anchor", PAD, 1, "pad:" + DrumClass.SNARE.pad());
        rig.awaitReply("/latent/anchor");
        rig.send("/latent/anchor", PAD, 3, "random");
        rig.awaitReply("/latent/anchor");
        rig.send("/latent/xy", PAD, 0.7f, 0.4f, 9);
        rig.await(r -> r.get(0).equals("/latent/ready"), "ready 9");
        Sample saved = rig.liveSample(PAD);
        assertNotNull(saved);
        rig.send("/preset/save", "morphs");
        assertEquals(List.of("/done", "/preset/save", "morphs"), rig.awaitReply("/preset/save"));
        rig.send("/latent/xy", PAD, 0.1f, 0.9f, 10);
        rig.await(r -> r.get(0).equals("/latent/ready"), "ready 10");
        assertNotEquals(Arrays.hashCode(saved.left()), Arrays.hashCode(rig.liveSample(PAD).left()));

        rig.send("/preset/load", "morphs");
        assertEquals(List.of("/done", "/preset/load", "morphs"), rig.awaitReply("/preset/load"));
        Sample reloaded = rig.liveSample(PAD);
        assertArrayEquals(saved.left(), reloaded.left(), "the same sound, bit for bit");
        assertEquals(1, rig.agent.states().size());
        assertEquals(0.7f, rig.agent.states().get(0).x(), 1f / 128);

        // In a server that never saw it: decoded afresh by another worker's state, still the same bytes.
        rig.close();
        rig = new LatentRig(home, worker, LatentConfig.defaults());
        rig.send("/preset/load", "morphs");
        assertEquals(List.of("/done", "/preset/load", "morphs"), rig.awaitReply("/preset/load"));
        assertArrayEquals(saved.left(), rig.liveSample(PAD).left());
    }

    @Test
    void anOldPresetWithoutLatentPadsLoadsAndHandsLatentPadsBackToTheirSamples() throws Exception {
        rig();
        rig.send("/preset/save", "plain");
        rig.awaitReply("/preset/save");
        rig.send("/latent/generate", PAD, 0.5f, 3);
        rig.await(r -> r.get(0).equals("/latent/ready"), "ready");
        assertNotNull(rig.liveSample(PAD));
        rig.send("/preset/load", "plain");
        assertEquals(List.of("/done", "/preset/load", "plain"), rig.awaitReply("/preset/load"));
        assertNull(rig.liveSample(PAD));
        // The pads adopt the preset on the inference worker after the stage is live (requests to
        // them queue behind it); a reader of states() sees it once the worker has run.
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!rig.agent.states().isEmpty() && System.nanoTime() < deadline) {
            rig.renderBlock();
        }
        assertTrue(rig.agent.states().isEmpty(), "latent pads after the plain preset: " + rig.agent.states());
    }

    @Test
    void commitWritesAWavAndItsVectorThatKitImportTakes() throws Exception {
        rig();
        rig.send("/latent/z", zMessage(DrumClass.SNARE.pad(), point(4), 1));
        rig.await(r -> r.get(0).equals("/latent/ready"), "ready");
        rig.send("/latent/commit", DrumClass.SNARE.pad(), "snare-morph");
        assertEquals(List.of("/done", "/latent/commit", "snare-morph"), rig.awaitReply("/latent/commit"));
        Path wav = rig.data.sounds().root().resolve("snare-morph.wav");
        assertTrue(Files.isRegularFile(wav));
        assertTrue(Files.isRegularFile(rig.data.sounds().root().resolve("snare-morph.latent.json")));

        KitImporter.Result imported = new KitLibrary(rig.data).importKit(rig.data.sounds().root(), "committed");
        assertTrue(imported.filledPads().contains("snare"), imported.filledPads().toString());

        rig.send("/latent/commit", DrumClass.SNARE.pad(), "snare-morph");
        List<Object> again = rig.awaitReply("/latent/commit");
        assertEquals("/fail", again.get(0));
        assertTrue(((String) again.get(3)).contains("already exists"), again.toString());

        // The committed sound is a library sound: an anchor can use it, from its vector file.
        rig.send("/latent/anchor", PAD, 2, "snare-morph");
        assertEquals("/done", rig.awaitReply("/latent/anchor").get(0));
    }

    @Test
    void badInputGetsFailAndChangesNothing() throws Exception {
        rig();
        Object[][] bad = {
            {"/latent/xy", PAD, Float.NaN, 0.5f},
            {"/latent/xy", PAD, 1.5f, 0.5f},
            {"/latent/xy", 12, 0.5f, 0.5f},
            {"/latent/morph", PAD, 99, 0.5f},
            {"/latent/anchor", PAD, 4, "random"},
            {"/latent/anchor", PAD, 0, "../../etc/passwd"},
            {"/latent/generate", PAD, -1f},
            {"/latent/commit", PAD, "a/b"},
            {"/latent/z", PAD, 0.5f, 0.5f},
        };
        for (Object[] m : bad) {
            rig.send((String) m[0], Arrays.copyOfRange(m, 1, m.length));
            List<Object> r = rig.awaitReply((String) m[0]);
            assertEquals("/fail", r.get(0), Arrays.toString(m) + " -> " + r);
        }
        // Unknown sounds are found out on the worker, with the same result.
        rig.send("/latent/anchor", PAD, 0, "no-such-sound");
        List<Object> r = rig.awaitReply("/latent/anchor");
        assertEquals("/fail", r.get(0));
        assertTrue(r.get(3).toString().contains("no sound named 'no-such-sound'"), r.toString());
        rig.send("/latent/commit", PAD, "never");
        assertEquals("/fail", rig.awaitReply("/latent/commit").get(0), "a pad that is not latent has nothing to commit");

        assertNull(rig.liveSample(PAD), "the pad still plays its kit's sample");
        assertTrue(rig.agent.states().isEmpty());
        assertEquals(List.of(), rig.drain(20), "nothing else was sent");
    }

    @Test
    void aPadWhoseModelIsMissingKeepsItsSoundAndTheSenderHearsWhy() throws Exception {
        rig = new LatentRig(home, null, LatentConfig.defaults());
        rig.agent.unavailable("vae_decoder.onnx: missing");
        rig.send("/latent/xy", PAD, 0.5f, 0.5f, 1);
        List<Object> r = rig.awaitReply("/latent/xy");
        assertEquals(List.of("/fail", "/latent/xy", "pad " + PAD, "models unavailable: vae_decoder.onnx: missing"), r);
        assertNull(rig.liveSample(PAD));
    }

    @Test
    void theXyValueNodesMoveThePadAndShowItsPosition() throws Exception {
        rig();
        rig.send("/latent/" + DrumClass.PERC.oscName() + "/x", 0.25f);
        rig.send("/latent/" + PAD + "/y", 0.75f);
        long deadline = System.nanoTime() + 60_000_000_000L;
        int slotX = rig.osc.namespace().find("/latent/" + PAD + "/x").slot();
        int slotY = rig.osc.namespace().find("/latent/" + PAD + "/y").slot();
        while (System.nanoTime() < deadline
                && !(rig.engine.values().board().read(slotX) == 0.25f && rig.engine.values().board().read(slotY) == 0.75f)) {
            rig.renderBlock();
        }
        assertEquals(0.25f, rig.engine.values().board().read(slotX));
        assertEquals(0.75f, rig.engine.values().board().read(slotY));
        // The sound is the corners' point at that position (every corner is the pad's own sound here).
        Sample live = null;
        while (System.nanoTime() < deadline && (live = rig.liveSample(PAD)) == null) {
            rig.renderBlock();
        }
        assertNotNull(live);
        assertEquals(1, rig.agent.states().size());
    }

    @Test
    void withAGridMovesAreServedFromItAtOnceAndRefinedToTheExactDecode() throws Exception {
        rig = new LatentRig(home, worker, LatentConfig.defaults().withGrid(3).withCache(0));
        rig.send("/latent/anchor", PAD, 1, "random");
        rig.awaitReply("/latent/anchor");
        rig.send("/latent/anchor", PAD, 2, "pad:" + DrumClass.KICK.pad());
        rig.awaitReply("/latent/anchor");
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (rig.agent.stats().gridsBuilt() < 1 && System.nanoTime() < deadline) {
            rig.renderBlock();
        }
        assertEquals(1, rig.agent.stats().gridsBuilt(), "the 3 x 3 grid was built while idle");
        assertEquals(9L * 4 * space.clipSamples(), rig.agent.stats().lastGridBytes());
        rig.send("/latent/xy", PAD, 0.3f, 0.6f, 4);
        rig.await(r -> r.get(0).equals("/latent/ready"), "ready");
        assertEquals(1, rig.agent.stats().gridHits());
        while (rig.agent.stats().refinements() < 1 && System.nanoTime() < deadline) {
            rig.renderBlock();
        }
        rig.drain(5);
        float[][] corners = rig.agent.states().get(0).corners();
        float[] exact = decode(LatentMath.bilinear(corners, LatentMath.quantise(0.3f, 128), LatentMath.quantise(0.6f, 128)));
        assertArrayEquals(exact, rig.liveSample(PAD).left(), "the exact decode replaced the blend");
    }

    @Test
    void aKitLoadKeepsTheLatentPadsSound() throws Exception {
        rig();
        float[] z = point(6);
        // A number after the vector's first would be a reply port on a fixed-arity command: not here.
        z[1] = 2.5f;
        rig.send("/latent/z", zMessage(PAD, z, 1));
        rig.await(r -> r.get(0).equals("/latent/ready"), "ready to the sender, whatever the vector holds");
        Sample live = rig.liveSample(PAD);
        rig.send("/kit/load", "default");
        assertEquals(List.of("/done", "/kit/load", "default"), rig.awaitReply("/kit/load"));
        assertSame(live, rig.liveSample(PAD));
        rig.send("/latent/revert", PAD);
        assertEquals(List.of("/done", "/latent/revert", "pad " + PAD), rig.awaitReply("/latent/revert"));
        assertNull(rig.liveSample(PAD));
        List<String> none = new ArrayList<>();
        rig.agent.states().forEach(s -> none.add("pad " + s.pad()));
        assertEquals(List.of(), none);
    }
}
