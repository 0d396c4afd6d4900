package io.latentkit.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LatentPriorTest {
    private static final String TWO_D = "{\"kind\":\"gaussian_mixture\",\"dim\":2,\"components\":["
            + "{\"weight\":0.25,\"label\":\"kick\",\"mean\":[10,0],\"chol\":[[1],[0,0.5]]},"
            + "{\"weight\":0.75,\"label\":\"snare\",\"mean\":[-10,3],\"chol\":[[2],[1,1]]}]}";

    @Test
    void aMixtureIsSampledByWeightWithEachComponentsMeanAndCovariance() throws Exception {
        LatentPrior p = LatentPrior.parse(TWO_D, 2, "test");
        Random rng = new Random(1);
        int n = 20000;
        int near = 0;
        double sx = 0;
        double sxx = 0;
        int m = 0;
        for (int i = 0; i < n; i++) {
            float[] z = p.sample(rng);
            if (z[0] > 0) {
                near++;
            } else {
                // second component: x = -10 + 2 e0, y = 3 + e0 + e1, so var(y) = 2 and cov(x, y) = 2
                sx += (z[0] + 10) * (z[1] - 3);
                sxx += (z[1] - 3) * (z[1] - 3);
                m++;
            }
        }
        assertEquals(0.25, near / (double) n, 0.015);
        assertEquals(2.0, sx / m, 0.1);
        assertEquals(2.0, sxx / m, 0.1);
    }

    @Test
    void theSameSeedGivesTheSamePoint() throws Exception {
        LatentPrior p = LatentPrior.parse(TWO_D, 2, "test");
        assertArrayEquals(p.sample(new Random(7)), p.sample(new Random(7)), 0f);
        assertFalse(Arrays.equals(p.sample(new Random(7)), p.sample(new Random(8))));
    }

    @Test
    void consecutiveUserSeedsChooseComponentsByWeight() throws Exception {
        // Two equal components far apart: seeds 0..199 must choose each about half the time
        // (java.util.Random seeded with 0, 1, 2... directly picks the same one for all of them).
        LatentPrior p = LatentPrior.parse(TWO_D.replace("0.25", "0.5").replace("0.75", "0.5"), 2, "test");
        int first = 0;
        for (long seed = 0; seed < 200; seed++) {
            if (p.sample(LatentPrior.randomFor(seed))[0] > 0) {
                first++;
            }
        }
        assertTrue(first >= 70 && first <= 130, first + " of 200 seeds chose the first component");
        assertArrayEquals(p.sample(LatentPrior.randomFor(5)), p.sample(LatentPrior.randomFor(5)), 0f);
    }

    @Test
    void malformedPriorsAreRefusedWithAOneLineReason() {
        String[] bad = {
            "not json",
            "{\"kind\":\"gaussian_mixture\",\"dim\":3,\"components\":[]}",
            "{\"kind\":\"gaussian_mixture\",\"dim\":2,\"components\":[]}",
            TWO_D.replace("[[1],[0,0.5]]", "[[1],[0]]"),
            TWO_D.replace("0.25", "-1"),
            TWO_D.replace("[10,0]", "[10]"),
        };
        for (String b : bad) {
            ModelLoadException e = assertThrows(ModelLoadException.class, () -> LatentPrior.parse(b, 2, "vae_decoder.onnx"));
            assertTrue(e.getMessage().startsWith("vae_decoder.onnx: latent_prior metadata: "), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void theStandardNormalHasOneUnitComponent() {
        LatentPrior p = LatentPrior.standardNormal(3);
        assertEquals(1, p.components().size());
        Random a = new Random(3);
        Random b = new Random(3);
        float[] z = p.sample(a);
        b.nextDouble();
        for (int i = 0; i < 3; i++) {
            assertEquals((float) b.nextGaussian(), z[i], 1e-6f);
        }
    }
}
