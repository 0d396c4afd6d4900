package io.latentkit.perf.compare;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.DefaultKit;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Pad;
import io.latentkit.core.kit.PadParam;
import io.latentkit.core.kit.Sample;
import io.latentkit.core.kit.VelocityLayer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The one set of sounds every engine plays in the comparison: the default kit's twelve sounds,
 * mono, 48 kHz, each cut or zero-padded to exactly {@code lengthSeconds} (last 5 ms faded), peak
 * {@value #PEAK}, with a fixed pan per sound. Written as WAV (scsynth buffers), as an SF2 bank
 * (FluidSynth and Gervill) and built as a latentkit {@link Kit}.
 *
 * <p>Every voice plays to the end of its sample: a voice's life is exactly the sample's length, so
 * a score that restarts each voice slot every {@code lengthSeconds} keeps exactly N voices sounding.
 *
 * <p>Threading: instances are immutable; any thread.
 */
public final class Fixtures {
    /** Engine rate for every engine in the comparison. */
    public static final int RATE_HZ = 48_000;
    /** Peak of every sample: 4096 voices summed stay far from clipping in float engines. */
    public static final float PEAK = 0.05f;
    /** Pan of sound {@code i}, -1..1: spread so that the pan law is exercised on every voice. */
    static final float[] PAN = {0f, -0.3f, 0.3f, -0.6f, 0.6f, -0.9f, 0.9f, -0.15f, 0.15f, -0.45f, 0.45f, 0f};

    private final float[][] sounds;
    private final int frames;

    private Fixtures(float[][] sounds, int frames) {
        this.sounds = sounds;
        this.frames = frames;
    }

    /** The default kit's sounds at {@link #RATE_HZ}, each exactly {@code lengthSeconds} long. */
    public static Fixtures defaultKit(double lengthSeconds) {
        Kit kit = DefaultKit.create(RATE_HZ);
        int frames = (int) Math.round(lengthSeconds * RATE_HZ);
        float[][] out = new float[DrumClass.COUNT][];
        int fade = RATE_HZ / 200;
        for (int p = 0; p < DrumClass.COUNT; p++) {
            Sample s = kit.pad(p).layer(0).sample(0);
            float[] l = s.left();
            float[] r = s.isStereo() ? s.right() : l;
            float[] m = new float[frames];
            float peak = 1e-9f;
            int n = Math.min(frames, s.frames());
            for (int i = 0; i < n; i++) {
                m[i] = 0.5f * (l[i] + r[i]);
                peak = Math.max(peak, Math.abs(m[i]));
            }
            for (int i = 0; i < n; i++) {
                float g = PEAK / peak;
                if (n == frames && i >= frames - fade) {
                    g *= (frames - i) / (float) fade;
                }
                m[i] *= g;
            }
            out[p] = m;
        }
        return new Fixtures(out, frames);
    }

    public int frames() {
        return frames;
    }

    public int count() {
        return sounds.length;
    }

    /** A fresh latentkit kit of these sounds, one pad per sound, pans set, at unit pitch. */
    public Kit kit() {
        return kit(0);
    }

    /** A fresh latentkit kit of these sounds, one pad per sound, pans set, every pad at {@code pitch} semitones. */
    public Kit kit(double pitch) {
        Pad[] pads = new Pad[sounds.length];
        for (int p = 0; p < pads.length; p++) {
            pads[p] = new Pad(DrumClass.ofPad(p), VelocityLayer.of(Sample.mono("cmp-" + p, sounds[p].clone(), RATE_HZ)));
            pads[p].set(PadParam.PAN, PAN[p]);
            pads[p].set(PadParam.PITCH, (float) pitch);
        }
        return new Kit("compare", RATE_HZ, pads);
    }

    /** Writes sound {@code i} as a 32-bit float mono WAV. */
    public void writeWav(int i, Path file) throws IOException {
        float[] x = sounds[i];
        ByteBuffer b = ByteBuffer.allocate(44 + 4 * x.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(ascii("RIFF")).putInt(36 + 4 * x.length).put(ascii("WAVE"));
        b.put(ascii("fmt ")).putInt(16).putShort((short) 3).putShort((short) 1).putInt(RATE_HZ).putInt(RATE_HZ * 4)
                .putShort((short) 4).putShort((short) 32);
        b.put(ascii("data")).putInt(4 * x.length);
        for (float v : x) {
            b.putFloat(v);
        }
        Files.write(file, b.array());
    }

    /**
     * Writes an SF2 bank: one instrument per sound (one zone: the sample, its pan, no loop, no key
     * tracking so every key plays it at unit pitch) and three presets, program {@code p} layering
     * instruments {@code 4p..4p+3}: one note starts four voices. Envelopes and filter are the SF2
     * defaults (instant attack, full sustain, 1 ms release; filter cutoff at its 13.5 kcent maximum).
     * Every zone is tuned by {@code pitch} semitones (coarseTune and fineTune generators), so every
     * note plays at that pitch, as latentkit's pads and scsynth's PlayBuf rate do.
     */
    public void writeSf2(Path file, double pitch) throws IOException {
        int cents = (int) Math.round(pitch * 100);
        int coarse = cents / 100;
        int fine = cents - 100 * coarse;
        int pad = 46;
        ByteArrayOutputStream smpl = new ByteArrayOutputStream();
        ByteArrayOutputStream shdr = new ByteArrayOutputStream();
        long start = 0;
        for (int i = 0; i < sounds.length; i++) {
            ByteBuffer b = le(2 * (frames + pad));
            for (float v : sounds[i]) {
                b.putShort((short) Math.max(-32768, Math.min(32767, Math.round(v * 32767f))));
            }
            smpl.write(b.array());
            ByteBuffer h = le(46);
            h.put(name20("s" + i)).putInt((int) start).putInt((int) (start + frames)).putInt((int) start)
                    .putInt((int) (start + frames - 1)).putInt(RATE_HZ).put((byte) 60).put((byte) 0).putShort((short) 0)
                    .putShort((short) 1);
            shdr.write(h.array());
            start += frames + pad;
        }
        shdr.write(le(46).put(name20("EOS")).array());

        // Instruments: one zone each: pan, sampleModes 0, scaleTuning 0, coarse and fine tune, sampleID (last).
        ByteArrayOutputStream inst = new ByteArrayOutputStream();
        ByteArrayOutputStream ibag = new ByteArrayOutputStream();
        ByteArrayOutputStream igen = new ByteArrayOutputStream();
        int gen = 0;
        for (int i = 0; i < sounds.length; i++) {
            inst.write(le(22).put(name20("i" + i)).putShort((short) i).array());
            ibag.write(le(4).putShort((short) gen).putShort((short) 0).array());
            igen.write(gen(17, Math.round(PAN[i] * 500)));
            igen.write(gen(54, 0));
            igen.write(gen(56, 0));
            igen.write(gen(51, coarse));
            igen.write(gen(52, fine));
            igen.write(gen(53, i));
            gen += 6;
        }
        inst.write(le(22).put(name20("EOI")).putShort((short) sounds.length).array());
        ibag.write(le(4).putShort((short) gen).putShort((short) 0).array());
        igen.write(gen(0, 0));

        ByteArrayOutputStream phdr = new ByteArrayOutputStream();
        ByteArrayOutputStream pbag = new ByteArrayOutputStream();
        ByteArrayOutputStream pgen = new ByteArrayOutputStream();
        int bag = 0;
        gen = 0;
        int presets = sounds.length / 4;
        for (int p = 0; p < presets; p++) {
            phdr.write(le(38).put(name20("layer" + p)).putShort((short) p).putShort((short) 0).putShort((short) bag)
                    .putInt(0).putInt(0).putInt(0).array());
            for (int j = 0; j < 4; j++) {
                pbag.write(le(4).putShort((short) gen).putShort((short) 0).array());
                pgen.write(le(4).putShort((short) 43).put((byte) 0).put((byte) 127).array());
                pgen.write(gen(41, 4 * p + j));
                gen += 2;
                bag++;
            }
        }
        phdr.write(le(38).put(name20("EOP")).putShort((short) 0).putShort((short) 0).putShort((short) bag)
                .putInt(0).putInt(0).putInt(0).array());
        pbag.write(le(4).putShort((short) gen).putShort((short) 0).array());
        pgen.write(gen(0, 0));

        byte[] info = list("INFO", chunk("ifil", le(4).putShort((short) 2).putShort((short) 1).array()),
                chunk("isng", zstr("EMU8000")), chunk("INAM", zstr("latentkit compare")));
        byte[] sdta = list("sdta", chunk("smpl", smpl.toByteArray()));
        byte[] pdta = list("pdta", chunk("phdr", phdr.toByteArray()), chunk("pbag", pbag.toByteArray()),
                chunk("pmod", new byte[10]), chunk("pgen", pgen.toByteArray()), chunk("inst", inst.toByteArray()),
                chunk("ibag", ibag.toByteArray()), chunk("imod", new byte[10]), chunk("igen", igen.toByteArray()),
                chunk("shdr", shdr.toByteArray()));
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(ascii("sfbk"));
        body.write(info);
        body.write(sdta);
        body.write(pdta);
        Files.write(file, chunk("RIFF", body.toByteArray()));
    }

    private static byte[] gen(int oper, int amount) {
        return le(4).putShort((short) oper).putShort((short) amount).array();
    }

    private static byte[] list(String type, byte[]... chunks) throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        o.write(ascii(type));
        for (byte[] c : chunks) {
            o.write(c);
        }
        return chunk("LIST", o.toByteArray());
    }

    private static byte[] chunk(String id, byte[] data) {
        int padded = data.length + (data.length & 1);
        ByteBuffer b = le(8 + padded);
        b.put(ascii(id)).putInt(data.length).put(data);
        return b.array();
    }

    private static byte[] zstr(String s) {
        byte[] a = ascii(s);
        byte[] z = new byte[(a.length + 2) & ~1];
        System.arraycopy(a, 0, z, 0, a.length);
        return z;
    }

    private static byte[] name20(String s) {
        byte[] z = new byte[20];
        byte[] a = ascii(s);
        System.arraycopy(a, 0, z, 0, Math.min(19, a.length));
        return z;
    }

    static ByteBuffer le(int n) {
        return ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
