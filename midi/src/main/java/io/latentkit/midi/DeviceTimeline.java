package io.latentkit.midi;

/**
 * Maps a device's message timestamps (microseconds on the device's own clock, or -1 for none)
 * onto {@link System#nanoTime()}, so that a note is placed where the player hit it rather than
 * where the operating system delivered it.
 *
 * <p>The offset between the two clocks is estimated from the messages themselves: a message can
 * not arrive before it was stamped, so {@code arrival - stamp} is the offset plus a delivery delay
 * of at least zero, and its running minimum is the best estimate of the offset. The minimum may
 * rise only slowly ({@link #MAX_DRIFT_PPM}), to follow a device clock slower than ours, and
 * re-anchors when stamps stop making sense ({@link #REANCHOR_NANOS} behind arrival: a device clock
 * reset). A message without a stamp is placed at its arrival.
 *
 * <p>Threading: one device thread (the thread that delivers that device's messages).
 */
final class DeviceTimeline {
    /** How fast the offset estimate may rise, in parts per million of elapsed time. */
    static final long MAX_DRIFT_PPM = 200;
    /** A stamp mapping this far before its arrival means the device clock restarted. */
    static final long REANCHOR_NANOS = 50_000_000L;

    private boolean anchored;
    private long offsetNanos;
    private long lastArrivalNanos;
    private long reanchors;

    /**
     * The {@code nanoTime} at which a message stamped {@code timestampMicros} (or -1) happened,
     * given that it arrived at {@code arrivalNanos}. Never later than the arrival. Allocation-free.
     */
    long eventNanos(long timestampMicros, long arrivalNanos) {
        if (timestampMicros < 0) {
            return arrivalNanos;
        }
        long stampNanos = timestampMicros * 1_000L;
        long candidate = arrivalNanos - stampNanos;
        if (!anchored) {
            anchored = true;
            offsetNanos = candidate;
        } else if (candidate <= offsetNanos) {
            offsetNanos = candidate; // delivered faster than any message before: a tighter bound
        } else if (candidate - offsetNanos > REANCHOR_NANOS) {
            offsetNanos = candidate;
            reanchors++;
        } else {
            long elapsed = Math.max(0L, arrivalNanos - lastArrivalNanos);
            long allowed = elapsed / 1_000_000L * MAX_DRIFT_PPM;
            offsetNanos += Math.min(candidate - offsetNanos, allowed);
        }
        lastArrivalNanos = arrivalNanos;
        return stampNanos + offsetNanos;
    }

    /** Times the stamps had to be re-anchored. */
    long reanchors() {
        return reanchors;
    }
}
