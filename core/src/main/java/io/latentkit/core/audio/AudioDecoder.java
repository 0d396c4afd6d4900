package io.latentkit.core.audio;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Decodes sound files into float channels at the file's own rate: WAV (PCM 8/16/24/32-bit, IEEE
 * float 32/64-bit, WAVE_FORMAT_EXTENSIBLE), AIFF/AIFF-C, and FLAC (through jflac's Java Sound
 * provider); mono or stereo, any rate from 1 kHz to 1.536 MHz. The format is recognised from the
 * file's first bytes, not its name.
 *
 * <p>Bad input of any kind is reported as {@link AudioFormatException} with a one-line reason
 * that names the file; nothing else escapes for bad bytes. Files are read whole into memory
 * (bounded by {@link #MAX_FILE_BYTES}).
 *
 * <p>Loader thread only (allocates, reads files, CPU-heavy); never the render thread. Stateless,
 * so several loader threads may decode at once.
 */
public final class AudioDecoder {
    /** Largest file accepted. */
    public static final long MAX_FILE_BYTES = 1L << 30;

    private AudioDecoder() {
    }

    /**
     * Reads and decodes a file.
     *
     * @throws AudioFormatException the file is not a supported, intact sound file
     * @throws IOException the file cannot be read (missing, unreadable)
     */
    public static DecodedAudio decode(Path file) throws IOException {
        String name = String.valueOf(file.getFileName());
        long size = Files.size(file);
        if (size > MAX_FILE_BYTES) {
            throw new AudioFormatException(name + ": " + size + " bytes is larger than the "
                    + MAX_FILE_BYTES + " bytes a sound file may have");
        }
        return decode(name, Files.readAllBytes(file));
    }

    /**
     * Decodes a whole file held in memory; {@code name} only labels error messages.
     *
     * @throws AudioFormatException the bytes are not a supported, intact sound file
     */
    public static DecodedAudio decode(String name, byte[] data) throws AudioFormatException {
        // Our own WAV and AIFF parsers are bounds-checked and let no runtime exception out (the
        // fuzz tests hold them to that); the FLAC reader wraps whatever the codec library throws.
        if (WavReader.matches(data)) {
            return WavReader.read(name, data);
        }
        if (AiffReader.matches(data)) {
            return AiffReader.read(name, data);
        }
        if (FlacReader.matches(data)) {
            return FlacReader.read(name, data);
        }
        throw new AudioFormatException(name + ": not a WAV, AIFF or FLAC file");
    }
}
