package io.latentkit.models.latent;

/**
 * Times at each hop of a latent request, for the benchmark that finds where a move's time goes
 * between its datagram and its {@code /latent/ready}: received by the agent (the control thread),
 * taken from the pad's mailbox by the inference worker, its sound ready (decoded, or taken from the
 * cache or the grid), its stage published to the engine, and its stage's future completed (the
 * reply is sent right after). A move superseded in the mailbox has only {@link #RECEIVED}: the
 * newer move that replaced it answers it.
 *
 * <p>Threading: called from the control thread ({@link #RECEIVED}), the inference worker
 * ({@link #TAKEN}, {@link #SOUND}, {@link #PUBLISHED}) and whichever thread completes the stage
 * ({@link #COMPLETED}); an implementation must be thread-safe and return at once. Never called
 * from the render thread.
 */
@FunctionalInterface
public interface LatentTrace {
    /** The agent received the request; {@code arg} is its reply id (or -1 without one). */
    int RECEIVED = 0;
    /** The worker took the move from the mailbox. */
    int TAKEN = 1;
    /** The move's sound is ready to hand over; {@code arg} is 0 for an exact decode, 1 for the cache, 2 for the grid. */
    int SOUND = 2;
    /** The stage is on the engine's control ring. */
    int PUBLISHED = 3;
    /** The stage's future completed; {@code arg} is the frame the sound is live from. */
    int COMPLETED = 4;

    /** One hop of request {@code seq} at {@code nanos} ({@link System#nanoTime()}). */
    void hop(long seq, int hop, long nanos, long arg);
}
