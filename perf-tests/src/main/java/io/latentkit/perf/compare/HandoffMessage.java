package io.latentkit.perf.compare;

/**
 * The message a conventional queue carries in the ring comparison: the same fields as a trigger
 * event, allocated per message as code built on {@code java.util.concurrent} queues usually does.
 *
 * @param type event type
 * @param pad pad index
 * @param velocity velocity 0..1
 * @param frame target frame
 * @param tag the producer's {@code System.nanoTime()} at publication
 */
public record HandoffMessage(int type, int pad, float velocity, long frame, long tag) {
}
