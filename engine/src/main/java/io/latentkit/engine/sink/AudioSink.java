package io.latentkit.engine.sink;

/**
 * Where rendered audio goes: a sound card, a WAV file, or nowhere at wall-clock pace. The engine
 * opens the sink before its render thread starts, writes one block of interleaved stereo floats per
 * {@link #write}, and closes it after the thread has stopped.
 *
 * <p>Threading: {@link #open} and {@link #close} on a control thread; {@link #write} on the render
 * thread only, where it may block only for its own pacing and must not allocate;
 * {@link #deadlineMisses()} from any thread.
 */
public interface AudioSink extends AutoCloseable {
    /**
     * Prepares the sink for blocks of {@code blockFrames} frames at {@code sampleRateHz}.
     *
     * @throws AudioSinkException with a one-line reason when the sink cannot be opened
     */
    void open(int sampleRateHz, int blockFrames) throws AudioSinkException;

    /** Writes {@code frames} interleaved stereo frames of {@code interleaved}. */
    void write(float[] interleaved, int frames);

    /**
     * Blocks that reached the output too late: the device had already run dry, or the wall-clock
     * deadline of a paced sink had passed. Always 0 for offline sinks, which have no deadline.
     */
    long deadlineMisses();

    /** What the sink plays to, for the start-up banner (e.g. "null (wall-clock paced)"). */
    String describe();

    /** Output latency the sink adds, in frames (its buffer), or 0 when it has none. */
    default int latencyFrames() {
        return 0;
    }

    @Override
    void close();
}
