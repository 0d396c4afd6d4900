package io.latentkit.core.dsp;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

/** Reads the committed 16-bit mono WAV fixtures and float32 references (test helper). */
final class FixtureAudio {
    private FixtureAudio() {
    }

    static float[] wav(String name) throws Exception {
        try (InputStream raw = FixtureAudio.class.getResourceAsStream(name);
             AudioInputStream in = AudioSystem.getAudioInputStream(new BufferedInputStream(raw))) {
            AudioFormat f = in.getFormat();
            if (f.getSampleSizeInBits() != 16 || f.getChannels() != 1 || f.getSampleRate() != 48000f) {
                throw new IllegalStateException("fixture must be 16-bit mono 48 kHz: " + f);
            }
            byte[] bytes = in.readAllBytes();
            ByteBuffer bb = ByteBuffer.wrap(bytes).order(f.isBigEndian() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
            float[] out = new float[bytes.length / 2];
            for (int i = 0; i < out.length; i++) {
                out[i] = bb.getShort() / 32768f;
            }
            return out;
        }
    }

    static float[] f32(String name) throws Exception {
        try (InputStream in = FixtureAudio.class.getResourceAsStream(name)) {
            byte[] bytes = in.readAllBytes();
            ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
            float[] out = new float[bytes.length / 4];
            bb.asFloatBuffer().get(out);
            return out;
        }
    }
}
