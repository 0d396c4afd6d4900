package io.latentkit.models;

import java.util.ArrayList;
import java.util.List;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class DrumVaeTest {
    private static Models models;

    @BeforeAll
    static void load() {
        models = Models.loadDefault();
    }

    @AfterAll
    static void close() {
        models.close();
    }

    @Test
    void encodingIsDeterministicAndDecodingGivesAFiniteClipAt48kHz() throws Exception {
        DrumVae vae = models.vae();
        Latent a = vae.encode(Fixtures.hit("snare"));
        Latent b = vae.encode(Fixtures.hit("snare"));
        assertArrayEquals(a.mean(), b.mean());
        assertEquals(64, a.mean().length);
        float[] audio = vae.decode(a.mean());
        assertEquals(32768, audio.length);
        float peak = 0f;
        for (float v : audio) {
            assertTrue(Float.isFinite(v));
            peak = Math.max(peak, Math.abs(v));
        }
        assertEquals(0.9f, peak, 1e-4f);
    }

    /**
     * The target (issue 6) compares methods by mean spectral convergence, so this does too: over the
     * decodes of the four fixture hits' encodings and of 16 random points of the prior. On single decoded
     * sounds the live count does not always win (REPORT.md counts them; the fixture kick's decode
     * is one where it loses), which is why this is not asserted per sound.
     */
    @Test
    void fastGriffinLimConvergesFurtherOnAverageThanSampleVaesTenZeroPhaseIterations() throws Exception {
        DrumVae vae = models.vae();
        List<float[]> points = new ArrayList<>();
        for (String hit : new String[] {"kick", "snare", "hihat_closed", "crash"}) {
            points.add(vae.encode(Fixtures.hit(hit)).mean());
        }
        Random rng = new Random(11);
        for (int i = 0; i < 16; i++) {
            points.add(vae.prior().sample(rng));
        }
        PhaseReconstructor pr = vae.reconstructor();
        float[] mag = new float[128 * 513];
        float[] base = new float[32768];
        float[] fast = new float[32768];
        double scBase = 0;
        double scFast = 0;
        for (float[] z : points) {
            vae.decodeMagnitude(z, mag);
            double energy = 0;
            for (float v : mag) {
                energy += (double) v * v;
            }
            assertTrue(energy > 1e-3, "the decoded sound has energy to reconstruct: " + energy);
            pr.griffinLimZeroPhase(mag, 10, base);
            pr.fastGriffinLim(mag, DrumVae.DEFAULT_ITERATIONS, fast);
            scBase += pr.spectralConvergence(mag, base) / points.size();
            scFast += pr.spectralConvergence(mag, fast) / points.size();
        }
        assertTrue(scFast < scBase, "fast GL " + scFast + " vs zero-phase GL " + scBase);
    }

    @Test
    void theDecodersPriorIsAMixtureWithOneComponentPerHitClass() throws Exception {
        LatentPrior prior = models.vae().prior();
        assertEquals(64, prior.dim());
        assertEquals(HitClass.COUNT, prior.components().size());
        for (int i = 0; i < HitClass.COUNT; i++) {
            assertEquals(HitClass.ofIndex(i).label(), prior.components().get(i).label());
        }
    }

    /**
     * What {@code latentkit generate} does for a random sound (prior point, PGHI + 32 iterations):
     * every file ends at least 60 dB below its peak (the last 5 ms), its very last sample is
     * silent, and the same seed gives the same samples, bit for bit.
     */
    @Test
    void randomGenerationsEndInSilenceAndTheSameSeedGivesTheSameSound() throws Exception {
        DrumVae vae = models.vae();
        for (long seed = 0; seed < 12; seed++) {
            float[] a = vae.decode(vae.prior().sample(LatentPrior.randomFor(seed)), 32, DrumVae.PhaseStart.PGHI);
            float peak = 0f;
            for (float v : a) {
                peak = Math.max(peak, Math.abs(v));
            }
            double energy = 0;
            for (int i = a.length - 240; i < a.length; i++) {
                energy += (double) a[i] * a[i];
            }
            double endDb = 10 * Math.log10(energy / 240 + 1e-30) - 20 * Math.log10(peak);
            assertTrue(endDb <= -60.0, "seed " + seed + " ends at " + endDb + " dB");
            assertTrue(Math.abs(a[a.length - 1]) <= 1e-5f * peak, "seed " + seed + " ends with a step");
            float[] b = vae.decode(vae.prior().sample(LatentPrior.randomFor(seed)), 32, DrumVae.PhaseStart.PGHI);
            assertArrayEquals(a, b, 0f, "seed " + seed);
        }
    }

    @Test
    void phaseReconstructionOfARealSoundsMagnitudeComesClose() throws Exception {
        // Reconstruct a real hit from its own magnitudes: spectral convergence well below 0.3.
        ClipPreparer prep = new ClipPreparer(FeatureSpec.CURRENT);
        float[] x = Fixtures.hit("snare");
        prep.prepare(x, 0, x.length, new float[prep.logMelSize()]);
        PhaseReconstructor pr = models.vae().reconstructor();
        float[] mag = new float[128 * 513];
        pr.magnitude(prep.clip(), mag);
        float[] y = new float[32768];
        pr.fastGriffinLim(mag, 32, y);
        double sc = pr.spectralConvergence(mag, y);
        assertTrue(sc < 0.3, "spectral convergence " + sc);
    }

    @Test
    void latentOperationsDecodeToFiniteSound() throws Exception {
        DrumVae vae = models.vae();
        float[] kick = vae.encode(Fixtures.hit("kick")).mean();
        float[] hat = vae.encode(Fixtures.hit("hihat_closed")).mean();
        Random rng = new Random(5);
        float[][] points = {
            LatentOps.random(64, rng),
            LatentOps.vary(kick, 0.3f, rng),
            LatentOps.combine(new float[][] {kick, hat}, new float[] {1f, -0.5f}, false),
            LatentOps.interpolate(kick, hat, 0.5f),
        };
        for (float[] z : points) {
            for (float v : vae.decode(z)) {
                assertTrue(Float.isFinite(v));
            }
        }
    }
}
