package io.latentkit.models.latent;

import java.util.List;
import java.util.Objects;

/**
 * What a latent pad is, as presets and the autosave keep it: the four corners of its morph square
 * (each a sound's name and its latent point), its position in the square, how it got its current
 * point, the point itself (its sound is the decode of {@code z}, bit for bit), and a digest of that
 * decode so that a reload can tell whether it came out the same.
 *
 * <p>Immutable (the arrays are never written after construction); any thread.
 *
 * @param mode {@code xy} (the position in the square), {@code morph} (towards another pad),
 *     {@code z} (a vector sent whole, or generated)
 * @param digest CRC-32 of the decode's float bits, or -1 when not known
 */
public record LatentPadState(int pad, List<Anchor> anchors, float x, float y, String mode, float[] z, long digest) {
    /** The modes. */
    public static final String XY = "xy";
    public static final String MORPH = "morph";
    public static final String Z = "z";

    /** One corner: what it was made from ({@code pad:3}, {@code random}, a library name) and its point. */
    public record Anchor(String sound, float[] z) {
        public Anchor {
            Objects.requireNonNull(sound, "sound");
            Objects.requireNonNull(z, "z");
        }
    }

    public LatentPadState {
        anchors = List.copyOf(anchors);
        if (anchors.size() != 4) {
            throw new IllegalArgumentException("a latent pad has 4 corners, got " + anchors.size());
        }
        Objects.requireNonNull(z, "z");
        Objects.requireNonNull(mode, "mode");
    }

    /** The corners' points, in corner order. */
    public float[][] corners() {
        float[][] c = new float[4][];
        for (int i = 0; i < 4; i++) {
            c[i] = anchors.get(i).z();
        }
        return c;
    }
}
