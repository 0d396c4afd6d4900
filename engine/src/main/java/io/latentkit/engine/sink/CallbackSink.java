package io.latentkit.engine.sink;

/**
 * A sink whose device calls the engine, instead of the engine's render thread writing to it: the
 * device's own real-time thread (JACK's process callback) asks for audio, and the engine renders
 * one block per {@link Renderer#renderBlock} call, which in turn arrives at {@link #write}.
 *
 * <p>Threading: {@link #open}, {@link #start} and {@link #close} on a control thread; the
 * renderer and {@link #write} on the device's thread only.
 */
public interface CallbackSink extends AudioSink {
    /** Renders the next block into the sink; called on the device's thread. Never throws. */
    @FunctionalInterface
    interface Renderer {
        void renderBlock();
    }

    /**
     * Starts the device calling {@code renderer}; returns once the device runs.
     *
     * @throws AudioSinkException with a one-line reason when the device cannot start
     */
    void start(Renderer renderer) throws AudioSinkException;

    /** The device thread that renders, once it has called at least once; {@code null} before. */
    Thread callbackThread();

    /** That thread's Linux thread id (for its scheduler statistics), or -1 while unknown. */
    default long nativeThreadId() {
        return -1;
    }
}
