package io.latentkit.listen;

/**
 * Told of every hit listen mode decides (whether or not it played a pad): for telemetry such as
 * {@code /listen/hit ,sfii class confidence pad frame}, meters, or a test.
 *
 * <p>Called on the listen agent's thread, right after the trigger was published: an implementation
 * must return quickly and must not block (post the hit to its own thread if it does I/O that can
 * wait). An exception is caught, counted and logged once.
 */
@FunctionalInterface
public interface ListenHitListener {
    void onHit(ListenHit hit);
}
