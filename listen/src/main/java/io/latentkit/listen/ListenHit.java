package io.latentkit.listen;

/**
 * One hit listen mode decided.
 *
 * @param className    the drum class or learned class it was given
 * @param confidence   0..1: the classifier's probability, or the nearest-neighbour share
 * @param pad          the pad it played, or -1 when its class is mapped to none (nothing played)
 * @param onsetFrame   the onset on the engine's frame clock
 * @param triggerFrame the frame the drum was scheduled at: {@code onsetFrame + L}, or, when the
 *                     decision missed that slot, the start of the next block (then {@code missedSlot})
 * @param missedSlot   the decision came too late for {@code onsetFrame + L} and the drum played at once
 * @param velocity     0..1, from the hit's peak level
 * @param inputFrame   the onset in input frames (counted from the first frame read)
 * @param decidedNanos {@link System#nanoTime()} just after the trigger was published
 * @param example      the hit was recorded as an example of the class being learned
 * @param detectedNanos {@link System#nanoTime()} when the detector reported the onset
 * @param decideNanos  time the decider took (features and model), in nanoseconds
 *
 * <p>Immutable; any thread.
 */
public record ListenHit(String className, float confidence, int pad, long onsetFrame, long triggerFrame,
                        boolean missedSlot, float velocity, long inputFrame, long decidedNanos, boolean example,
                        long detectedNanos, long decideNanos) {
}
