package io.latentkit.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LatentOpsTest {
    private static final float[] A = {1f, 2f, 3f};
    private static final float[] B = {3f, 2f, 1f};

    @Test
    void normalisedEqualWeightsGiveTheMidpoint() {
        assertArrayEquals(new float[] {2f, 2f, 2f}, LatentOps.combine(new float[][] {A, B}, new float[] {1f, 1f}, true), 1e-6f);
    }

    @Test
    void negativeWeightsSubtractWithoutNormalisation() {
        assertArrayEquals(new float[] {-2f, 0f, 2f}, LatentOps.combine(new float[][] {A, B}, new float[] {1f, -1f}, false), 1e-6f);
    }

    @Test
    void weightsSummingToZeroCannotBeNormalised() {
        assertThrows(IllegalArgumentException.class, () -> LatentOps.combine(new float[][] {A, B}, new float[] {1f, -1f}, true));
    }

    @Test
    void aWeightCountThatDiffersFromTheSoundCountIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> LatentOps.combine(new float[][] {A, B}, new float[] {1f}, true));
    }

    @Test
    void interpolationRunsFromOneEndToTheOther() {
        assertArrayEquals(A, LatentOps.interpolate(A, B, 0f), 0f);
        assertArrayEquals(B, LatentOps.interpolate(A, B, 1f), 0f);
        assertArrayEquals(new float[] {1.5f, 2f, 2.5f}, LatentOps.interpolate(A, B, 0.25f), 1e-6f);
    }

    @Test
    void zeroVarianceReEncodesExactlyAndNegativeVarianceIsRefused() {
        assertArrayEquals(A, LatentOps.vary(A, 0f, new Random(1)), 0f);
        assertThrows(IllegalArgumentException.class, () -> LatentOps.vary(A, -1f, new Random(1)));
    }

    @Test
    void randomPointsAreReproducibleFromTheSeed() {
        assertArrayEquals(LatentOps.random(8, new Random(42)), LatentOps.random(8, new Random(42)), 0f);
    }
}
