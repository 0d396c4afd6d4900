package io.latentkit.server.permute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.latentkit.core.DrumClass;
import io.latentkit.core.dsp.SampleEdits;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Pad;
import io.latentkit.core.kit.Sample;
import io.latentkit.core.kit.VelocityLayer;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.sink.MemorySink;
import io.latentkit.osc.OscServer;
import io.latentkit.osc.OscServerConfig;
import io.latentkit.osc.codec.OscMessageView;
import io.latentkit.osc.codec.OscMessageWriter;
import io.latentkit.server.ServerNamespace;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The permutation nodes over a real UDP socket, against an offline engine whose output the test
 * renders and analyses: a stretched pad sounds longer by the factor at its pitch, a reversed pad
 * plays its sound back to front, a spliced pad starts with its attack and ends with the other's
 * tail, and bad arguments get a reason.
 */
class PermuteNodesTest {
    private static final int SR = 48_000;
    private static final int LEN = SR / 2;
    /** Pad 5 (tom_low... whichever class) is left without sound. */
    private static final int EMPTY_PAD = 5;

    private Engine engine;
    private OscServer osc;
    private DatagramSocket client;
    private final MemorySink sink = new MemorySink();

    static float[] struck(double hz, int frames) {
        float[] x = new float[frames];
        for (int i = 0; i < frames; i++) {
            double env = i < 48 ? i / 48.0 : Math.exp(-(i - 48) / (0.4 * SR));
            x[i] = (float) (0.7 * env * Math.sin(2 * Math.PI * hz * i / SR));
        }
        return x;
    }

    @BeforeEach
    void start() throws Exception {
        Pad[] pads = new Pad[DrumClass.COUNT];
        for (int i = 0; i < pads.length; i++) {
            DrumClass c = DrumClass.ofPad(i);
            pads[i] = i == EMPTY_PAD ? new Pad(c)
                    : new Pad(c, VelocityLayer.of(Sample.mono("t/" + i, struck(220.0 * (i + 1), LEN), SR)));
        }
        engine = Engine.create(EngineConfig.defaults(), new Kit("test", SR, pads));
        osc = OscServer.start(OscServerConfig.defaults().withPort(0), ServerNamespace.build(engine, null, () -> null),
                engine, System::nanoTime);
        client = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        client.setSoTimeout(2);
    }

    @AfterEach
    void stop() {
        client.close();
        osc.close();
        engine.close();
    }

    private void send(String address, String tags, Object... args) throws Exception {
        OscMessageWriter w = new OscMessageWriter(1024).begin(address, tags);
        for (Object a : args) {
            if (a instanceof Float f) {
                w.putFloat(f);
            } else {
                w.putInt((Integer) a);
            }
        }
        client.send(new DatagramPacket(w.buffer(), w.length(), InetAddress.getLoopbackAddress(), osc.port()));
    }

    /** Renders block by block until a reply arrives; the reply as address and arguments. */
    private List<String> replyWhileRendering() throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        DatagramPacket p = new DatagramPacket(new byte[4096], 4096);
        while (System.nanoTime() < deadline) {
            engine.renderOffline(sink, engine.config().blockFrames());
            try {
                client.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            }
            OscMessageView v = OscMessageView.create(64);
            v.wrapChecked(p.getData(), 0, p.getLength(), 256);
            List<String> out = new ArrayList<>();
            out.add(v.address());
            for (int i = 0; i < v.argCount(); i++) {
                out.add(v.isString(i) ? v.string(i) : Integer.toString(v.intArg(i)));
            }
            return out;
        }
        return fail("no reply within 20 s of rendering");
    }

    /** Hits {@code pad} and renders {@code frames}; the left channel from the voice's first frame on. */
    private float[] hit(int pad, int frames) throws Exception {
        engine.renderOffline(sink, SR / 10); // let earlier voices and kit fades finish
        int from = sink.frames();
        engine.proxy().trigger(pad, 1f, -1L);
        engine.renderOffline(sink, frames);
        // An immediate hit starts at the first frame of the next block.
        return sink.left(from, sink.frames());
    }

    /** Frames up to the last one that is not silent. */
    static int soundingFrames(float[] x) {
        int last = x.length - 1;
        while (last >= 0 && Math.abs(x[last]) < 1e-6f) {
            last--;
        }
        return last + 1;
    }

    private void done(String address, String tags, Object arg, String detail) throws Exception {
        send(address, tags, arg);
        assertEquals(List.of("/done", address, detail), replyWhileRendering());
    }

    static double zeroCrossingHz(float[] x, int from, int to) {
        int first = -1;
        int last = -1;
        int n = 0;
        for (int i = Math.max(1, from); i < to; i++) {
            if (x[i - 1] < 0f && x[i] >= 0f) {
                if (first < 0) {
                    first = i;
                } else {
                    n++;
                }
                last = i;
            }
        }
        return n * (double) SR / (last - first);
    }

    @Test
    void aStretchedPadSoundsLongerByTheFactorAtItsOwnPitch() throws Exception {
        float[] before = hit(0, LEN * 2);
        done("/pad/0/stretch", "f", 1.5f, "x1.5");
        float[] after = hit(0, LEN * 2);
        int n = soundingFrames(before);
        int m = soundingFrames(after);
        assertEquals(LEN, n, "the hit plays the whole sound from the block's first frame");
        assertTrue(Math.abs(m - n * 1.5) <= 512, n + " -> " + m);
        assertEquals(220.0, zeroCrossingHz(after, m / 3, m * 9 / 10), 1.5);
        // The attack plays as it did.
        for (int i = 0; i < 480; i++) {
            assertEquals(before[i], after[i], 1e-4f, "attack frame " + i);
        }
        send("/pad/kick/stretch", "f", 1f);
        assertEquals(List.of("/done", "/pad/0/stretch", "x1.0"), replyWhileRendering(), "replies name the pad's number");
        assertEquals(n, soundingFrames(hit(0, LEN * 2)), "stretch 1 gives the original back");
    }

    @Test
    void aReversedPadPlaysItsSoundBackToFront() throws Exception {
        float[] forwards = hit(1, LEN * 2);
        done("/pad/1/reverse", "i", 1, "reversed");
        float[] backwards = hit(1, LEN * 2);
        for (int i = 0; i < LEN; i++) {
            assertEquals(forwards[LEN - 1 - i], backwards[i], 1e-6f, "frame " + i);
        }
        assertEquals(0f, backwards[LEN], "nothing after the reversed sound");
    }

    @Test
    void aSplicedPadStartsWithItsAttackAndEndsWithTheOtherPadsTail() throws Exception {
        float[] a = hit(0, LEN * 2);
        float[] b = hit(2, LEN * 2);
        done("/pad/0/splice", "i", 2, "tail of pad 2");
        float[] s = hit(0, LEN * 2);
        float[][] base = {struck(220, LEN)};
        int cut = SampleEdits.spliceCutFrame(SR, base);
        int fade = SampleEdits.spliceFadeFrames(SR);
        int offset = SampleEdits.spliceOffsetFrames(base, new float[][] {struck(660, LEN)});
        for (int i = 0; i < cut; i++) {
            assertEquals(a[i], s[i], 1e-6f, "attack frame " + i);
        }
        for (int i = cut + fade; i < soundingFrames(s); i++) {
            assertEquals(b[i + offset], s[i], 1e-6f, "tail frame " + i);
        }
        assertEquals(660.0, zeroCrossingHz(s, LEN / 2, LEN * 9 / 10), 2.0);
    }

    @Test
    void badArgumentsFailWithAClearReason() throws Exception {
        send("/pad/0/stretch", "f", 3f);
        assertEquals(List.of("/fail", "/pad/0/stretch", "0", "stretch factor must be 0.5..2, got 3.0"),
                replyWhileRendering());
        send("/pad/0/splice", "i", 0);
        assertEquals(List.of("/fail", "/pad/0/splice", "0", "a pad cannot splice with itself; -1 restores its own tail"),
                replyWhileRendering());
        send("/pad/0/splice", "i", EMPTY_PAD);
        assertEquals(List.of("/fail", "/pad/0/splice", "0", "pad " + EMPTY_PAD + " ("
                + DrumClass.ofPad(EMPTY_PAD).oscName() + ") has no sound to splice"), replyWhileRendering());
        send("/pad/" + EMPTY_PAD + "/reverse", "i", 1);
        assertEquals(List.of("/fail", "/pad/" + EMPTY_PAD + "/reverse", Integer.toString(EMPTY_PAD), "pad "
                + EMPTY_PAD + " (" + DrumClass.ofPad(EMPTY_PAD).oscName() + ") has no sound to permute"),
                replyWhileRendering());
        send("/pad/0/reverse", "i", 2);
        assertEquals(List.of("/fail", "/pad/0/reverse", "0", "expected ,i 1 (reversed) or 0 (forwards)"),
                replyWhileRendering());
    }
}
