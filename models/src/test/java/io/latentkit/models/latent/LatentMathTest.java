package io.latentkit.models.latent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LatentMathTest {
    private static final float S = (float) Math.sqrt(0.5);

    private static double norm(float[] v) {
        double s = 0;
        for (float f : v) {
            s += (double) f * f;
        }
        return Math.sqrt(s);
    }

    private static double angle(float[] a, float[] b) {
        double dot = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
        }
        return Math.acos(Math.max(-1, Math.min(1, dot / (norm(a) * norm(b)))));
    }

    private static float[] gaussian(Random rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rng.nextGaussian();
        }
        return v;
    }

    private static float[] slerp(float[] a, float[] b, double t) {
        float[] out = new float[a.length];
        LatentMath.slerp(a, b, t, out);
        return out;
    }

    @Test
    void slerpBetweenOrthogonalUnitVectorsStaysOnTheUnitCircle() {
        float[] x = {1f, 0f};
        float[] y = {0f, 1f};
        // A straight line would give (0.5, 0.5), of length 0.71.
        assertArrayEquals(new float[] {S, S}, slerp(x, y, 0.5), 1e-6f);
        float[] third = slerp(x, y, 1.0 / 3);
        assertArrayEquals(new float[] {(float) Math.cos(Math.PI / 6), (float) Math.sin(Math.PI / 6)}, third, 1e-6f);
    }

    @Test
    void slerpStartsAtTheFirstPointAndEndsAtTheSecond() {
        Random rng = new Random(1);
        float[] a = gaussian(rng, 64);
        float[] b = gaussian(rng, 64);
        assertArrayEquals(a, slerp(a, b, 0), 1e-5f);
        assertArrayEquals(b, slerp(a, b, 1), 1e-5f);
    }

    @Test
    void slerpTurnsAtAConstantRateWhileTheLengthGoesLinearly() {
        Random rng = new Random(2);
        float[] a = gaussian(rng, 64);
        float[] b = gaussian(rng, 64);
        for (int i = 0; i < 3; i++) {
            b[i] *= 3f; // unequal lengths
        }
        double omega = angle(a, b);
        for (double t : new double[] {0.1, 0.25, 0.5, 0.8}) {
            float[] p = slerp(a, b, t);
            assertEquals(t * omega, angle(a, p), 1e-4, "angle from a at t=" + t);
            assertEquals((1 - t) * omega, angle(p, b), 1e-4, "angle to b at t=" + t);
            assertEquals(norm(a) + t * (norm(b) - norm(a)), norm(p), 1e-4 * norm(b), "length at t=" + t);
        }
    }

    @Test
    void slerpKeepsTheLengthOfGaussianPointsWhereAStraightLineLosesIt() {
        Random rng = new Random(3);
        float[] a = gaussian(rng, 64);
        float[] b = gaussian(rng, 64);
        float[] line = new float[64];
        LatentMath.lerp(a, b, 0.5, line);
        double ends = (norm(a) + norm(b)) / 2;
        assertEquals(ends, norm(slerp(a, b, 0.5)), 1e-4 * ends);
        assertTrue(norm(line) < 0.85 * ends, "the straight line's midpoint is shorter: " + norm(line) + " vs " + ends);
    }

    @Test
    void slerpBetweenIdenticalPointsIsThatPoint() {
        float[] a = {0.3f, -1.2f, 2f, 0.5f};
        for (double t : new double[] {0, 0.37, 0.5, 1}) {
            assertArrayEquals(a, slerp(a, a.clone(), t), 1e-6f, "t=" + t);
        }
    }

    @Test
    void slerpBetweenOppositePointsFollowsTheStraightLineThroughTheOrigin() {
        float[] a = {1f, 2f, -2f};
        float[] b = {-1f, -2f, 2f};
        float[] mid = slerp(a, b, 0.5);
        assertArrayEquals(new float[] {0f, 0f, 0f}, mid, 1e-6f);
        assertArrayEquals(new float[] {0.5f, 1f, -1f}, slerp(a, b, 0.25), 1e-6f);
    }

    @Test
    void slerpFromTheOriginIsTheStraightLine() {
        float[] zero = new float[3];
        float[] b = {2f, 0f, -4f};
        assertArrayEquals(new float[] {0.5f, 0f, -1f}, slerp(zero, b, 0.25), 1e-6f);
        assertArrayEquals(new float[] {1.5f, 0f, -3f}, slerp(b, zero, 0.25), 1e-6f);
    }

    @Test
    void aNaNOrInfinityAnywhereIsRefusedBeforeAnythingIsWritten() {
        float[] good = {1f, 0f, 0f};
        float[] other = {0f, 1f, 0f};
        float[] nan = {1f, Float.NaN, 0f};
        float[] inf = {0f, 0f, Float.POSITIVE_INFINITY};
        float[] out = {7f, 7f, 7f};
        for (float[][] pair : new float[][][] {{nan, good}, {good, nan}, {inf, good}, {good, inf}}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> LatentMath.slerp(pair[0], pair[1], 0.5, out));
            assertTrue(e.getMessage().contains("not finite"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> LatentMath.lerp(pair[0], pair[1], 0.5, out));
        }
        assertThrows(IllegalArgumentException.class, () -> LatentMath.slerp(good, other, Double.NaN, out));
        assertThrows(IllegalArgumentException.class, () -> LatentMath.lerp(good, other, Double.POSITIVE_INFINITY, out));
        float[][] corners = {good, other, nan, good};
        assertThrows(IllegalArgumentException.class, () -> LatentMath.bilinear(corners, 0.5, 0.5));
        assertThrows(IllegalArgumentException.class,
                () -> LatentMath.bilinear(new float[][] {good, other, good, other}, Double.NaN, 0.5));
        assertArrayEquals(new float[] {7f, 7f, 7f}, out, 0f, "a refused call wrote nothing");
    }

    @Test
    void pointsOfDifferentSizesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LatentMath.slerp(new float[3], new float[4], 0.5, new float[3]));
        assertTrue(e.getMessage().contains("sizes differ"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LatentMath.lerp(new float[3], new float[3], 0.5, new float[2]));
    }

    @Test
    void bilinearGivesEachCornerAtItsCornerOfTheSquare() {
        Random rng = new Random(4);
        float[][] c = {gaussian(rng, 64), gaussian(rng, 64), gaussian(rng, 64), gaussian(rng, 64)};
        assertArrayEquals(c[0], LatentMath.bilinear(c, 0, 0), 1e-5f);
        assertArrayEquals(c[1], LatentMath.bilinear(c, 1, 0), 1e-5f);
        assertArrayEquals(c[2], LatentMath.bilinear(c, 0, 1), 1e-5f);
        assertArrayEquals(c[3], LatentMath.bilinear(c, 1, 1), 1e-5f);
    }

    @Test
    void bilinearAlongAnEdgeIsTheSlerpBetweenItsTwoCorners() {
        Random rng = new Random(5);
        float[][] c = {gaussian(rng, 16), gaussian(rng, 16), gaussian(rng, 16), gaussian(rng, 16)};
        assertArrayEquals(slerp(c[0], c[1], 0.3), LatentMath.bilinear(c, 0.3, 0), 1e-5f, "bottom edge");
        assertArrayEquals(slerp(c[2], c[3], 0.7), LatentMath.bilinear(c, 0.7, 1), 1e-5f, "top edge");
        assertArrayEquals(slerp(c[0], c[2], 0.6), LatentMath.bilinear(c, 0, 0.6), 1e-5f, "left edge");
    }

    @Test
    void bilinearStaysOnTheSphereOfFourOrthonormalCorners() {
        float[][] c = {{1, 0, 0, 0}, {0, 1, 0, 0}, {0, 0, 1, 0}, {0, 0, 0, 1}};
        float[] centre = LatentMath.bilinear(c, 0.5, 0.5);
        assertArrayEquals(new float[] {0.5f, 0.5f, 0.5f, 0.5f}, centre, 1e-6f);
        assertEquals(1.0, norm(centre), 1e-6);
        float[] q = LatentMath.bilinear(c, 0.25, 0.75);
        assertEquals(1.0, norm(q), 1e-6, "every point of the square is a unit vector");
        // x = 0.25 turns a quarter of the way from each left corner to its right one.
        assertArrayEquals(new float[] {
            (float) (Math.cos(Math.PI / 8) * Math.cos(3 * Math.PI / 8)), (float) (Math.sin(Math.PI / 8) * Math.cos(3 * Math.PI / 8)),
            (float) (Math.cos(Math.PI / 8) * Math.sin(3 * Math.PI / 8)), (float) (Math.sin(Math.PI / 8) * Math.sin(3 * Math.PI / 8))},
                q, 1e-6f);
    }

    @Test
    void bilinearIntoScratchWritesTheSameAsTheAllocatingForm() {
        Random rng = new Random(6);
        float[][] c = {gaussian(rng, 8), gaussian(rng, 8), gaussian(rng, 8), gaussian(rng, 8)};
        float[] out = new float[8];
        LatentMath.bilinear(c, 0.2, 0.9, out, new float[8], new float[8]);
        assertArrayEquals(LatentMath.bilinear(c, 0.2, 0.9), out, 0f);
    }

    @Test
    void quantiseSnapsToTheNearestStepAndKeepsTheEnds() {
        assertEquals(0.5f, LatentMath.quantise(0.504f, 100));
        assertEquals(0.51f, LatentMath.quantise(0.506f, 100));
        assertEquals(0f, LatentMath.quantise(0f, 128));
        assertEquals(1f, LatentMath.quantise(1f, 128));
        assertEquals(3 / 128f, LatentMath.quantise(3.4f / 128, 128));
    }
}
