package io.latentkit.perf.soak;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.DefaultKit;
import io.latentkit.core.kit.Kit;
import io.latentkit.listen.ListenConfig;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The files a soak's server is given: two folder kits, a copy of the shipped models for
 * {@code serve --models DIR} (which the script reloads and, now and then, breaks), and the drum
 * take the soak's microphone hears.
 *
 * <p>Stateless; any thread.
 */
final class SoakFiles {
    /** The shipped model files, as {@code --models DIR} wants them. */
    static final String[] MODELS = {"classifier.onnx", "classifier_short.onnx", "vae_encoder.onnx", "vae_decoder.onnx"};
    /** Seconds of the take; the microphone plays it again at its end. */
    static final int TAKE_SECONDS = 8;

    private SoakFiles() {
    }

    /** A folder kit of twelve short synthesized 16-bit WAVs named by class, at {@code level}. */
    static Path writeKit(Path dir, float level) throws IOException {
        Files.createDirectories(dir);
        String[] names = {"kick", "snare", "rim", "clap", "hihat_closed", "hihat_open", "tom_low", "tom_mid",
            "tom_high", "crash", "ride", "perc"};
        for (int c = 0; c < names.length; c++) {
            int frames = 48_000 / 4;
            float[] x = new float[frames];
            double hz = 60 + 70 * c;
            for (int i = 0; i < frames; i++) {
                double env = Math.exp(-i / (48_000 * 0.05));
                x[i] = (float) (level * env * Math.sin(2 * Math.PI * hz * i / 48_000));
            }
            writeWav(dir.resolve(names[c] + ".wav"), x, 48_000);
        }
        return dir;
    }

    /** Copies the shipped models out of the class path into {@code dir}. */
    static Path copyModels(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String name : MODELS) {
            try (InputStream in = SoakFiles.class.getResourceAsStream("/io/latentkit/models/" + name)) {
                if (in == null) {
                    throw new IOException("shipped model " + name + " is not on the class path");
                }
                Files.copy(in, dir.resolve(name));
            }
        }
        return dir;
    }

    /**
     * A drum take at the listen input rate: {@value #TAKE_SECONDS} s of a rock beat at 120 bpm from
     * the built-in kit (kick on 1 and 3, snare on 2 and 4, closed hi-hat on the eighths, an open hat
     * and a crash once per take), levels varied by a fixed rule.
     */
    static Path writeTake(Path file) throws IOException {
        int rate = ListenConfig.INPUT_RATE_HZ;
        Kit kit = DefaultKit.create(rate);
        float[] take = new float[TAKE_SECONDS * rate];
        int eighth = rate / 4;
        for (int e = 0; e < TAKE_SECONDS * 4; e++) {
            long at = (long) e * eighth;
            float accent = 0.5f + 0.1f * (e % 5);
            if (e % 4 == 0) {
                mix(take, kit, DrumClass.KICK, at, accent);
            } else if (e % 4 == 2) {
                mix(take, kit, DrumClass.SNARE, at, accent);
            } else if (e == 15) {
                mix(take, kit, DrumClass.HIHAT_OPEN, at, accent);
            } else if (e == 31) {
                mix(take, kit, DrumClass.CRASH, at, accent);
            } else {
                mix(take, kit, DrumClass.HIHAT_CLOSED, at, 0.6f * accent);
            }
        }
        writeWav(file, take, rate);
        return file;
    }

    private static void mix(float[] dst, Kit kit, DrumClass c, long at, float gain) {
        float[] s = kit.pad(c).pick(1f).left();
        for (int i = 0; i < s.length && at + i < dst.length; i++) {
            dst[(int) (at + i)] += gain * s[i];
        }
    }

    /** A mono 16-bit WAV, clipped to full scale. */
    static void writeWav(Path file, float[] x, int rateHz) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(44 + x.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(36 + x.length * 2)
                .put("WAVEfmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(rateHz).putInt(rateHz * 2).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes(StandardCharsets.US_ASCII)).putInt(x.length * 2);
        for (float v : x) {
            b.putShort((short) Math.round(32767 * Math.max(-1f, Math.min(1f, v))));
        }
        Files.write(file, b.array());
    }
}
