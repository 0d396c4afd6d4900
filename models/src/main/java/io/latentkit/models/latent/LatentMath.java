package io.latentkit.models.latent;

/**
 * Paths through the latent space. Interpolation is spherical where it can be: between two points
 * the direction turns along the great circle while the length goes linearly from one length to the
 * other. A straight line between two points of a 64-d Gaussian passes much closer to the origin
 * than either end (two independent draws are nearly orthogonal, so the midpoint is about 0.71 times
 * as long), where the prior has little mass and the decoder gives a dull average of sounds; the
 * spherical path keeps the length typical of real drum sounds (White 2016, "Sampling Generative
 * Networks"). Where the two directions are (nearly) equal or opposite, or a point is (nearly) the
 * origin, the great circle is undefined or unstable and the path is the straight line. A point or
 * a fraction that is not finite (NaN, infinite) is refused with an {@link IllegalArgumentException}
 * before anything is written: a NaN would otherwise decode to a silent or broken sound.
 *
 * <p>Stateless; any thread. The {@code out} variants do not allocate.
 */
public final class LatentMath {
    /** Below this angle (radians) or length, spherical interpolation falls back to the straight line. */
    static final double EPSILON = 1e-4;

    private LatentMath() {
    }

    /**
     * Spherical interpolation from {@code a} (t = 0) to {@code b} (t = 1) into {@code out}.
     *
     * @throws IllegalArgumentException if the sizes differ or a number is not finite
     */
    public static void slerp(float[] a, float[] b, double t, float[] out) {
        int n = check(a, b, out);
        finite(t);
        double na = 0;
        double nb = 0;
        double dot = 0;
        for (int i = 0; i < n; i++) {
            na += (double) a[i] * a[i];
            nb += (double) b[i] * b[i];
            dot += (double) a[i] * b[i];
        }
        if (!Double.isFinite(na) || !Double.isFinite(nb)) {
            // A NaN or infinite element makes its sum of squares NaN or infinite (a float squared in
            // double precision cannot overflow).
            throw new IllegalArgumentException("a latent point holds a number that is not finite");
        }
        na = Math.sqrt(na);
        nb = Math.sqrt(nb);
        if (na < EPSILON || nb < EPSILON) {
            lerp(a, b, t, out);
            return;
        }
        double cos = Math.max(-1, Math.min(1, dot / (na * nb)));
        double omega = Math.acos(cos);
        double sin = Math.sin(omega);
        if (omega < EPSILON || Math.PI - omega < EPSILON || sin < EPSILON) {
            lerp(a, b, t, out);
            return;
        }
        double length = na + t * (nb - na);
        // Unit directions weighted along the great circle, then scaled to the interpolated length.
        double wa = Math.sin((1 - t) * omega) / sin * length / na;
        double wb = Math.sin(t * omega) / sin * length / nb;
        for (int i = 0; i < n; i++) {
            out[i] = (float) (wa * a[i] + wb * b[i]);
        }
    }

    /**
     * Straight-line interpolation into {@code out}.
     *
     * @throws IllegalArgumentException if the sizes differ or a number is not finite
     */
    public static void lerp(float[] a, float[] b, double t, float[] out) {
        int n = check(a, b, out);
        finite(t);
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(a[i]) || !Float.isFinite(b[i])) {
                throw new IllegalArgumentException("a latent point holds a number that is not finite");
            }
        }
        for (int i = 0; i < n; i++) {
            out[i] = (float) (a[i] + t * ((double) b[i] - a[i]));
        }
    }

    /**
     * The point at {@code (x, y)} of a square whose corners are {@code c[0]} at (0, 0), {@code c[1]}
     * at (1, 0), {@code c[2]} at (0, 1) and {@code c[3]} at (1, 1): spherical along x on the bottom
     * and top edges, then spherical along y between those two points. {@code bottom} and
     * {@code top} are scratch vectors of the same size.
     */
    public static void bilinear(float[][] c, double x, double y, float[] out, float[] bottom, float[] top) {
        slerp(c[0], c[1], x, bottom);
        slerp(c[2], c[3], x, top);
        slerp(bottom, top, y, out);
    }

    /** As {@link #bilinear(float[][], double, double, float[], float[], float[])}, into a new array. */
    public static float[] bilinear(float[][] c, double x, double y) {
        int n = c[0].length;
        float[] out = new float[n];
        bilinear(c, x, y, out, new float[n], new float[n]);
        return out;
    }

    /** {@code v} (0..1) snapped to the nearest of {@code steps + 1} evenly spaced positions. */
    public static float quantise(float v, int steps) {
        return Math.round(v * steps) / (float) steps;
    }

    private static void finite(double t) {
        if (!Double.isFinite(t)) {
            throw new IllegalArgumentException("an interpolation fraction must be a finite number, got " + t);
        }
    }

    private static int check(float[] a, float[] b, float[] out) {
        if (a.length != b.length || out.length != a.length) {
            throw new IllegalArgumentException("latent sizes differ: " + a.length + ", " + b.length + ", " + out.length);
        }
        return a.length;
    }
}
