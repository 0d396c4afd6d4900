package io.latentkit.models;

import io.latentkit.core.dsp.Resampler;
import io.latentkit.core.audio.AudioDecoder;
import io.latentkit.core.audio.AudioFormatException;
import io.latentkit.core.audio.DecodedAudio;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import javax.sound.sampled.AudioFileFormat;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;

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

    /**
     * Mono samples (channels averaged) of {@code file} (WAV, AIFF or FLAC, through the engine's
     * {@link AudioDecoder}), resampled to {@code rateHz} with the engine's band-limited
     * {@link Resampler}.
     */
    public static float[] readMono(Path file, int rateHz) throws BadAudioException {
        if (!Files.isRegularFile(file)) {
            throw new BadAudioException("no such file: " + file);
        }
        DecodedAudio audio;
        try {
            audio = AudioDecoder.decode(file);
        } catch (AudioFormatException e) {
            throw new BadAudioException(e.getMessage(), e); // the decoder names the file
        } catch (IOException e) {
            throw new BadAudioException("cannot read " + file.getFileName() + ": " + e.getMessage(), e);
        }
        if (audio.seconds() > MAX_FILE_SECONDS) {
            throw new BadAudioException(String.format(Locale.ROOT, "too long: %s is %.0f s, the limit is %.0f s",
                    file.getFileName(), audio.seconds(), MAX_FILE_SECONDS));
        }
        int channels = audio.channelCount();
        int n = audio.frames();
        float[] mono = new float[n];
        for (int c = 0; c < channels; c++) {
            float[] ch = audio.channel(c);
            for (int i = 0; i < n; i++) {
                mono[i] += ch[i];
            }
        }
        for (int i = 0; i < n; i++) {
            mono[i] /= channels;
        }
        int srcRate = audio.sampleRateHz();
        return srcRate == rateHz ? mono : Resampler.resample(mono, srcRate, rateHz);
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
