package io.latentkit.core.kit;

import java.util.Objects;

/**
 * One decoded, engine-rate sound: mono or stereo float frames in [-1, 1]. A mono sample uses the
 * same array for both channels. Samples are resampled to the engine rate before they reach a kit,
 * so the render thread never converts rates other than for pitch.
 *
 * <p>Immutable after construction (the arrays are owned and never written again); any thread.
 */
public final class Sample {
    private final String name;
    private final float[] left;
    private final float[] right;
    private final int sampleRateHz;

    private Sample(String name, float[] left, float[] right, int sampleRateHz) {
        this.name = Objects.requireNonNull(name, "name");
        this.left = Objects.requireNonNull(left, "left");
        this.right = Objects.requireNonNull(right, "right");
        if (left.length != right.length) {
            throw new IllegalArgumentException("channel lengths differ: " + left.length + " vs " + right.length);
        }
        if (sampleRateHz <= 0) {
            throw new IllegalArgumentException("sample rate must be positive: " + sampleRateHz);
        }
        this.sampleRateHz = sampleRateHz;
    }

    /** A mono sample; takes ownership of {@code frames}. */
    public static Sample mono(String name, float[] frames, int sampleRateHz) {
        return new Sample(name, frames, frames, sampleRateHz);
    }

    /** A stereo sample; takes ownership of both arrays, which must have equal length. */
    public static Sample stereo(String name, float[] left, float[] right, int sampleRateHz) {
        return new Sample(name, left, right, sampleRateHz);
    }

    public String name() {
        return name;
    }

    /** Left channel (the only channel of a mono sample). Do not write. */
    public float[] left() {
        return left;
    }

    /** Right channel; the same array as {@link #left()} for a mono sample. Do not write. */
    public float[] right() {
        return right;
    }

    public boolean isStereo() {
        return left != right;
    }

    public int frames() {
        return left.length;
    }

    public int sampleRateHz() {
        return sampleRateHz;
    }

    /** Bytes of audio held, for memory accounting. */
    public long bytes() {
        return (long) left.length * Float.BYTES * (isStereo() ? 2 : 1);
    }
}
