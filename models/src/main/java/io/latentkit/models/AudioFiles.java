package io.latentkit.models;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.UnsupportedAudioFileException;

/**
 * Reads sound files into mono float at a wanted rate, and writes 16-bit WAV. Reading goes through
 * {@code javax.sound.sampled} (WAV and AIFF, any PCM depth or float); FLAC is not read here.
 *
 * <p>Stateless; any thread (but file I/O: never the render thread).
 */
public final class AudioFiles {
    /** Longest file read, in seconds: a guard against reading an hour-long file into memory by mistake. */
    public static final double MAX_FILE_SECONDS = 20 * 60;

    private AudioFiles() {
    }

    /** Mono samples (channels averaged) of {@code file}, converted to {@code rateHz}. */
    public static float[] readMono(Path file, int rateHz) throws BadAudioException {
        if (!Files.isRegularFile(file)) {
            throw new BadAudioException("no such file: " + file);
        }
        AudioInputStream source;
        try {
            InputStream in = new BufferedInputStream(Files.newInputStream(file));
            source = AudioSystem.getAudioInputStream(in);
        } catch (UnsupportedAudioFileException e) {
            throw new BadAudioException("not a WAV or AIFF file this build can read: " + file.getFileName(), e);
        } catch (IOException e) {
            throw new BadAudioException("cannot read " + file.getFileName() + ": " + e.getMessage(), e);
        }
        try (AudioInputStream src = source) {
            AudioFormat f = src.getFormat();
            int channels = f.getChannels();
            float rate = f.getSampleRate();
            if (channels < 1 || !(rate > 0)) {
                throw new BadAudioException("unsupported audio format in " + file.getFileName() + ": " + f);
            }
            long frames = src.getFrameLength();
            if (frames != AudioSystem.NOT_SPECIFIED && frames > MAX_FILE_SECONDS * rate) {
                throw new BadAudioException(String.format(Locale.ROOT, "too long: %s is %.0f s, the limit is %.0f s",
                        file.getFileName(), frames / rate, MAX_FILE_SECONDS));
            }
            AudioFormat target = new AudioFormat(AudioFormat.Encoding.PCM_FLOAT, rate, 32, channels,
                    4 * channels, rate, false);
            byte[] bytes;
            try (AudioInputStream conv = AudioSystem.getAudioInputStream(target, src)) {
                bytes = conv.readAllBytes();
            } catch (IllegalArgumentException e) {
                throw new BadAudioException("unsupported audio encoding in " + file.getFileName() + ": " + f, e);
            }
            FloatBufferView view = new FloatBufferView(bytes);
            int n = bytes.length / (4 * channels);
            float[] mono = new float[n];
            for (int i = 0; i < n; i++) {
                float acc = 0f;
                for (int c = 0; c < channels; c++) {
                    acc += view.get(i * channels + c);
                }
                mono[i] = acc / channels;
            }
            int srcRate = Math.round(rate);
            return srcRate == rateHz ? mono : RateConverter.convert(mono, srcRate, rateHz);
        } catch (IOException e) {
            throw new BadAudioException("cannot read " + file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    /** Little-endian float view over bytes, without copying. */
    private static final class FloatBufferView {
        private final ByteBuffer bb;

        FloatBufferView(byte[] bytes) {
            this.bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }

        float get(int i) {
            return bb.getFloat(i * 4);
        }
    }

    /**
     * Writes mono 16-bit PCM WAV, clipping to [-1, 1]; atomically (a temporary file in the same
     * folder, then a rename), so a reader never sees half a file.
     */
    public static void writeWav16(Path file, float[] mono, int rateHz) throws IOException {
        byte[] pcm = new byte[mono.length * 2];
        for (int i = 0; i < mono.length; i++) {
            float v = Math.max(-1f, Math.min(1f, mono[i]));
            int s = Math.round(v * 32767f);
            pcm[2 * i] = (byte) s;
            pcm[2 * i + 1] = (byte) (s >> 8);
        }
        AudioFormat f = new AudioFormat(rateHz, 16, 1, true, false);
        Path abs = file.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir != null) {
            Files.createDirectories(dir);
        }
        Path tmp = Files.createTempFile(dir, abs.getFileName().toString(), ".tmp");
        try (AudioInputStream in = new AudioInputStream(new ByteArrayInputStream(pcm), f, mono.length)) {
            AudioSystem.write(in, AudioFileFormat.Type.WAVE, tmp.toFile());
            Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
