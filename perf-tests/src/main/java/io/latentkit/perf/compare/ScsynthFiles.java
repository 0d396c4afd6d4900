package io.latentkit.perf.compare;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What scsynth needs without sclang: the compiled SynthDef (SCgf version 2, written byte by byte)
 * and the binary OSC score for non-real-time mode ({@code scsynth -N}).
 *
 * <p>The SynthDef {@code lkplay}: {@code Out.ar(0, Pan2.ar(PlayBuf.ar(1, buf, rate, 1, 0, 0, doneAction: 2)
 * * EnvGen.kr(Env([0,1,1,0], [0.001, 0.993, 0.006]), levelScale: amp, timeScale: dur), pan))}:
 * sample playback at {@code rate} (default 1; PlayBuf interpolates cubically at other rates) that
 * frees the synth at the sample's end, a three-segment linear
 * envelope, equal-power pan.
 *
 * <p>Threading: static methods, any thread.
 */
public final class ScsynthFiles {
    /** Name of the SynthDef. */
    public static final String DEF = "lkplay";

    private ScsynthFiles() {
    }

    /** The SCgf v2 bytes of {@link #DEF}. */
    public static byte[] synthDef() {
        try {
            List<Float> consts = new ArrayList<>();
            // Constants used as inputs, by index.
            float[] cs = {1f, 0f, 2f, 3f, -99f, 0.001f, 0.993f, 0.006f};
            for (float c : cs) {
                consts.add(c);
            }
            ByteArrayOutputStream bo = new ByteArrayOutputStream();
            DataOutputStream o = new DataOutputStream(bo);
            o.writeBytes("SCgf");
            o.writeInt(2);
            o.writeShort(1);
            pstring(o, DEF);
            o.writeInt(consts.size());
            for (float c : consts) {
                o.writeFloat(c);
            }
            String[] params = {"buf", "pan", "amp", "dur", "rate"};
            float[] init = {0f, 0f, 1f, 1f, 1f};
            o.writeInt(params.length);
            for (float v : init) {
                o.writeFloat(v);
            }
            o.writeInt(params.length);
            for (int i = 0; i < params.length; i++) {
                pstring(o, params[i]);
                o.writeInt(i);
            }
            o.writeInt(6);
            // 0: Control.kr -> buf pan amp dur rate
            ugen(o, "Control", 1, new int[0][], new int[] {1, 1, 1, 1, 1}, 0);
            // 1: PlayBuf.ar(1, buf, rate, trigger 1, start 0, loop 0, doneAction 2)
            ugen(o, "PlayBuf", 2, new int[][] {{0, 0}, {0, 4}, {-1, c(cs, 1f)}, {-1, c(cs, 0f)},
                {-1, c(cs, 0f)}, {-1, c(cs, 2f)}}, new int[] {2}, 0);
            // 2: EnvGen.kr(gate 1, levelScale amp, levelBias 0, timeScale dur, doneAction 0, env...)
            int[][] env = {{-1, c(cs, 1f)}, {0, 2}, {-1, c(cs, 0f)}, {0, 3}, {-1, c(cs, 0f)},
                {-1, c(cs, 0f)}, {-1, c(cs, 3f)}, {-1, c(cs, -99f)}, {-1, c(cs, -99f)},
                {-1, c(cs, 1f)}, {-1, c(cs, 0.001f)}, {-1, c(cs, 1f)}, {-1, c(cs, 0f)},
                {-1, c(cs, 1f)}, {-1, c(cs, 0.993f)}, {-1, c(cs, 1f)}, {-1, c(cs, 0f)},
                {-1, c(cs, 0f)}, {-1, c(cs, 0.006f)}, {-1, c(cs, 1f)}, {-1, c(cs, 0f)}};
            ugen(o, "EnvGen", 1, env, new int[] {1}, 0);
            // 3: BinaryOpUGen.ar '*' (special index 2)
            ugen(o, "BinaryOpUGen", 2, new int[][] {{1, 0}, {2, 0}}, new int[] {2}, 2);
            // 4: Pan2.ar(in, pos pan, level 1)
            ugen(o, "Pan2", 2, new int[][] {{3, 0}, {0, 1}, {-1, c(cs, 1f)}}, new int[] {2, 2}, 0);
            // 5: Out.ar(0, L, R)
            ugen(o, "Out", 2, new int[][] {{-1, c(cs, 0f)}, {4, 0}, {4, 1}}, new int[0], 0);
            o.writeShort(0);
            o.flush();
            return bo.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int c(float[] cs, float v) {
        for (int i = 0; i < cs.length; i++) {
            if (cs[i] == v) {
                return i;
            }
        }
        throw new IllegalArgumentException("no constant " + v);
    }

    private static void ugen(DataOutputStream o, String name, int rate, int[][] inputs, int[] outputs, int special)
            throws IOException {
        pstring(o, name);
        o.writeByte(rate);
        o.writeInt(inputs.length);
        o.writeInt(outputs.length);
        o.writeShort(special);
        for (int[] in : inputs) {
            o.writeInt(in[0]);
            o.writeInt(in[1]);
        }
        for (int r : outputs) {
            o.writeByte(r);
        }
    }

    private static void pstring(DataOutputStream o, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        o.writeByte(b.length);
        o.write(b);
    }

    /**
     * Writes the NRT score: at time 0 the SynthDef and one buffer per sound file, then one
     * {@code /s_new} per voice of the {@link Score} (every voice at the rate of {@code pitch}
     * semitones), and a final {@code /c_set} at the end time so
     * that scsynth renders exactly {@code score.frames()} frames.
     */
    public static void writeScore(Path file, Score score, List<Path> wavs, int rateHz, double pitch)
            throws IOException {
        // The score's length is already the played length (sample length over the rate).
        double dur = score.lengthFrames() / (double) rateHz;
        float rate = (float) Score.ratio(pitch);
        try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
            List<byte[]> first = new ArrayList<>();
            first.add(Osc.message("/d_recv", Osc.blob(synthDef())));
            for (int i = 0; i < wavs.size(); i++) {
                first.add(Osc.message("/b_allocRead", i, wavs.get(i).toAbsolutePath().toString(), 0, -1));
            }
            writeBundle(os, 0.0, first);
            IOException[] err = new IOException[1];
            score.forEachNote((s, frame) -> {
                List<byte[]> msgs = new ArrayList<>(4);
                for (int j = 0; j < 4; j++) {
                    int snd = Score.sound(s, j);
                    msgs.add(Osc.message("/s_new", DEF, -1, 0, 0, "buf", snd, "pan", Fixtures.PAN[snd], "amp", 1.0f,
                            "dur", (float) dur, "rate", rate));
                }
                try {
                    writeBundle(os, frame / (double) rateHz, msgs);
                } catch (IOException e) {
                    err[0] = e;
                }
            });
            if (err[0] != null) {
                throw err[0];
            }
            writeBundle(os, score.frames() / (double) rateHz, List.of(Osc.message("/c_set", 0, 0)));
        }
    }

    private static void writeBundle(OutputStream os, double seconds, List<byte[]> msgs) throws IOException {
        byte[] b = Osc.bundle(seconds, msgs);
        os.write(new byte[] {(byte) (b.length >>> 24), (byte) (b.length >>> 16), (byte) (b.length >>> 8),
            (byte) b.length});
        os.write(b);
    }
}
