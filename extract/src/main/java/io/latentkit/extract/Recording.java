package io.latentkit.extract;

import io.latentkit.models.AudioFiles;
import io.latentkit.models.BadAudioException;
import java.nio.file.Path;

/**
 * One recording to extract from: mono samples at the models' rate (channels averaged, resampled
 * with the engine's resampler), decoded by the engine's decoder (WAV, AIFF, FLAC).
 *
 * <p>Immutable once made (the array is owned; do not write it); any thread.
 *
 * @param name what the report calls it (the file name)
 * @param source the file it came from, or {@code null} for audio made in memory
 */
public record Recording(String name, Path source, float[] samples, int sampleRateHz) {

    /**
     * Reads {@code file} at {@code rateHz}.
     *
     * @throws ExtractionException BAD_INPUT with the decoder's one-line reason
     */
    public static Recording read(Path file, int rateHz) throws ExtractionException {
        try {
            return new Recording(String.valueOf(file.getFileName()), file, AudioFiles.readMono(file, rateHz), rateHz);
        } catch (BadAudioException e) {
            throw new ExtractionException(ExtractionException.Kind.BAD_INPUT, e.getMessage(), e);
        }
    }

    /** Length in seconds. */
    public double seconds() {
        return (double) samples.length / sampleRateHz;
    }
}
