package io.latentkit.listen.input;

import java.nio.file.Path;

/**
 * Where listen mode's sound comes from: a capture device ({@link LineSource}) or a file played in at
 * real-time pace ({@link FileSource}). A source delivers mono float frames at the rate it was
 * opened with; {@link #read} blocks, as a capture device does, until the frames asked for have
 * been captured.
 *
 * <p>Threading: {@link #open} and {@link #read} on the input agent's thread only (or, for the first
 * open, by the owner before that thread starts); {@link #close} there too, or by the owner from
 * another thread to release a read blocked on a stalled device (it must then be idempotent);
 * {@link #describe} from any thread.
 */
public interface AudioSource extends AutoCloseable {
    /**
     * Opens the device or file for mono input at {@code sampleRateHz}.
     *
     * @throws AudioSourceException with a one-line reason when there is no such device or file
     */
    void open(int sampleRateHz) throws AudioSourceException;

    /**
     * Reads exactly {@code frames} frames into {@code into[0, frames)}, blocking until they have
     * been captured. Returns {@code frames}, or a smaller number (possibly 0) when the input
     * stopped delivering: the device disappeared or was closed under us. Never allocates.
     */
    int read(float[] into, int frames);

    /** What the source is, for the start-up banner and warnings. */
    String describe();

    @Override
    void close();

    /**
     * The source an option names: {@code default} (the system's default capture device),
     * {@code device:NAME} (a Java Sound mixer by exact name or unique substring) or
     * {@code wav:FILE} (a WAV, AIFF or FLAC file played in at real-time pace, then silence).
     *
     * @throws IllegalArgumentException with a one-line reason for anything else
     */
    static AudioSource parse(String spec, int blockFrames) {
        String s = spec == null ? "" : spec.trim();
        if (s.equals("default")) {
            return new LineSource(null, blockFrames);
        }
        if (s.startsWith("device:") && s.length() > 7) {
            return new LineSource(s.substring(7), blockFrames);
        }
        if (s.startsWith("wav:") && s.length() > 4) {
            return new FileSource(Path.of(s.substring(4)));
        }
        throw new IllegalArgumentException("--listen must be default, device:NAME or wav:FILE, got '" + spec + "'");
    }
}
