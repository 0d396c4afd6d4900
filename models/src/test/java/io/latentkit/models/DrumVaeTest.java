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
     * decodes of the four fixture hits' encodings and of 16 random latent points. On single decoded
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
            points.add(LatentOps.random(vae.latentSize(), rng));
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
