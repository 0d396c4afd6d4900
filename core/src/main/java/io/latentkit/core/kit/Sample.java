package io.latentkit.core.kit;

import java.util.Arrays;
import java.util.Objects;

/**
 * One decoded, engine-rate sound: mono or stereo float frames in [-1, 1]. A mono sample uses the
 * same array for both channels. Samples are resampled to the engine rate before they reach a kit,
 * so the render thread never converts rates other than for pitch.
 *
 * <p>Each channel is stored with {@link #GUARD_FRAMES} frames of silence before and after the
 * sound ({@link #guardedLeft()}), built here, off the render thread: an interpolating voice then
 * reads its neighbours at the sound's edges without a branch or a bounds test of its own.
 *
 * <p>Immutable after construction (the arrays are owned and never written again); any thread.
 */
public final class Sample {
    /**
     * Frames of silence stored before and after each channel: enough for an interpolator of up
     * to 8 points centred on the read position (3 before, 4 after), with one to spare.
     */
    public static final int GUARD_FRAMES = 4;

    private final String name;
    private final float[] left;
    private final float[] right;
    private final int frames;
    private final int sampleRateHz;

    private Sample(String name, float[] left, float[] right, int sampleRateHz) {
        this.name = Objects.requireNonNull(name, "name");
        Objects.requireNonNull(left, "left");
        Objects.requireNonNull(right, "right");
        if (left.length != right.length) {
            throw new IllegalArgumentException("channel lengths differ: " + left.length + " vs " + right.length);
        }
        if (sampleRateHz <= 0) {
            throw new IllegalArgumentException("sample rate must be positive: " + sampleRateHz);
        }
        this.frames = left.length;
        this.left = guarded(left);
        this.right = left == right ? this.left : guarded(right);
        this.sampleRateHz = sampleRateHz;
    }

    private static float[] guarded(float[] x) {
        float[] g = new float[x.length + 2 * GUARD_FRAMES];
        System.arraycopy(x, 0, g, GUARD_FRAMES, x.length);
        return g;
    }

    /** A mono sample of a copy of {@code frames}. */
    public static Sample mono(String name, float[] frames, int sampleRateHz) {
        return new Sample(name, frames, frames, sampleRateHz);
    }

    /** A stereo sample of copies of both arrays, which must have equal length. */
    public static Sample stereo(String name, float[] left, float[] right, int sampleRateHz) {
        return new Sample(name, left, right, sampleRateHz);
    }

    /** The same sound scaled by linear {@code gain}, as a new sample. */
    public Sample scaled(float gain) {
        float[] l = left();
        scale(l, gain);
        if (!isStereo()) {
            return new Sample(name, l, l, sampleRateHz);
        }
        float[] r = right();
        scale(r, gain);
        return new Sample(name, l, r, sampleRateHz);
    }

    private static void scale(float[] x, float g) {
        for (int i = 0; i < x.length; i++) {
            x[i] *= g;
        }
    }

    public String name() {
        return name;
    }

    /** A copy of the left channel (the only channel of a mono sample), {@link #frames()} long. */
    public float[] left() {
        return Arrays.copyOfRange(left, GUARD_FRAMES, GUARD_FRAMES + frames);
    }

    /** A copy of the right channel (the left one's values for a mono sample). */
    public float[] right() {
        return Arrays.copyOfRange(right, GUARD_FRAMES, GUARD_FRAMES + frames);
    }

    /**
     * The left channel as stored: frame {@code i} at index {@code i + GUARD_FRAMES}, with
     * {@link #GUARD_FRAMES} zeros on either side. Do not write. For the render thread.
     */
    public float[] guardedLeft() {
        return left;
    }

    /** The right channel as stored (the same array as {@link #guardedLeft()} for mono). Do not write. */
    public float[] guardedRight() {
        return right;
    }

    public boolean isStereo() {
        return left != right;
    }

    public int frames() {
        return frames;
    }

    public int sampleRateHz() {
        return sampleRateHz;
    }

    /** Bytes of audio held, for memory accounting (guard frames included). */
    public long bytes() {
        return (long) left.length * Float.BYTES * (isStereo() ? 2 : 1);
    }
}
