package io.latentkit.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Pad;
import io.latentkit.extract.hitloop.HitloopFeatures;
import io.latentkit.extract.hitloop.HitloopParameters;
import io.latentkit.extract.hitloop.HitloopTemplates;
import io.latentkit.presets.LibraryFolder;
import io.latentkit.presets.kit.KitLibrary;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hitloop's method as its code has it: the published parameters, librosa's features on signals
 * whose values are known, and the case the method is built for, a take of the example sounds
 * themselves, one after another on its window grid, from which it must cut each sound as a
 * sample of its own class.
 */
class HitloopExtractorTest {
    static final int RATE = 48_000;
    static final HitloopParameters P = HitloopParameters.PUBLISHED;

    @TempDir
    Path dir;

    @Test
    void theParametersAreThePublishedOnes() {
        assertEquals(48_000, P.sampleRateHz());
        assertEquals(0.5, P.stride());
        assertEquals(2.0, P.distanceThreshold());
        assertEquals(0.2, P.flatnessGate());
        assertEquals(8, P.levelGate());
        assertEquals(1.0, P.maxWindowSeconds());
        assertEquals(2048, P.nFft());
        assertEquals(512, P.hop());
        assertEquals(128, P.melBands());
    }

    @Test
    void spectralFlatnessIsNearOneForNoiseAndNearZeroForATone() {
        HitloopFeatures f = new HitloopFeatures(P);
        Random rnd = new Random(3);
        float[] noise = new float[RATE / 4];
        float[] tone = new float[RATE / 4];
        for (int i = 0; i < noise.length; i++) {
            noise[i] = (float) (rnd.nextGaussian() * 0.1);
            tone[i] = (float) (0.5 * Math.sin(2 * Math.PI * 440 * i / RATE));
        }
        // The power spectrum of white noise is exponentially distributed: its geometric over
        // arithmetic mean is exp(-Euler's gamma), 0.56; frames at the padded edges are flatter still.
        HitloopFeatures.Window n = f.of(noise, 0, noise.length);
        assertTrue(n.maxFlatness() > 0.5, "noise flatness " + n.maxFlatness());
        HitloopFeatures.Window t = f.of(tone, 0, tone.length);
        assertTrue(t.maxFlatness() < 0.05, "tone flatness " + t.maxFlatness());
        // Bandwidth: the spread about the centroid of the magnitude (not the power), so the
        // window's side lobes count; still, a tone is far narrower than white noise (about 6.9 kHz
        // at 48 kHz: the spread of a uniform distribution over 0..24 kHz).
        int mid = t.bandwidth().length / 2;
        assertTrue(t.bandwidth()[mid] < 2500, "tone bandwidth " + t.bandwidth()[mid]);
        assertEquals(6928, n.bandwidth()[mid], 400, "noise bandwidth");
    }

    @Test
    void hitloopCutsEachOfItsOwnExamplesPlayedOnItsWindowGrid() throws Exception {
        KitLibrary lib = new KitLibrary(new LibraryFolder(dir.resolve("kits")));
        lib.importKit(GrooveExtractionTest.DRUMKITS.resolve("ColomboAcousticDrumkit"), "colombo");
        Kit kit = lib.load("colombo", RATE);
        List<DrumClass> classes = List.of(DrumClass.KICK, DrumClass.SNARE, DrumClass.TOM_LOW, DrumClass.TOM_HIGH);
        Map<DrumClass, List<float[]>> examples = new EnumMap<>(DrumClass.class);
        for (DrumClass c : classes) {
            Pad pad = kit.pad(c);
            examples.put(c, List.of(pad.layer(pad.layerCount() - 1).sample(0).left()));
        }
        HitloopTemplates templates = HitloopTemplates.of(examples, P);
        int w = templates.windowSamples();
        // The take: the first window of each example in turn, two windows apart, silence between:
        // on the grid the window steps along (a match skips a window, a miss half of one).
        Extraction onGrid = new HitloopExtractor(templates, P).extract(List.of(take(examples, classes, w, 0)),
                Progress.NONE);
        for (int i = 0; i < classes.size(); i++) {
            DrumClass c = classes.get(i);
            PadChoice p = onGrid.pads().get(c);
            assertEquals((2 * i + 1) * w, p.chosen().onset(), c + ": its own example is its closest window");
            assertEquals(0.0, p.chosen().penalty(), 1e-6, c + ": at distance 0 from its template");
        }
        // Every window that sounds matches every template (the summed distances stay far below
        // 2.0): the classes do not tell the hits apart, as the paper's threshold lets through.
        for (Hit h : onGrid.hits()) {
            assertTrue(h.penalty() < P.distanceThreshold());
        }
        assertEquals(classes.size() * classes.size(), onGrid.hits().size(), "each window is a sample of each class");

        // A quarter window off the grid, every window falls across a hit and the silence beside it
        // (whose flatness is 1, noise to the gate): nothing is found at all, the weakness the issue
        // names.
        ExtractionException none = assertThrows(ExtractionException.class, () -> new HitloopExtractor(templates, P)
                .extract(List.of(take(examples, classes, w, w / 4)), Progress.NONE));
        assertEquals(ExtractionException.Kind.BAD_INPUT, none.kind());
        assertTrue(none.getMessage().startsWith("no usable hits"), none.getMessage());
    }

    private static Recording take(Map<DrumClass, List<float[]>> examples, List<DrumClass> classes, int w, int offset) {
        float[] take = new float[(2 * classes.size() + 2) * w];
        for (int i = 0; i < classes.size(); i++) {
            int at = (2 * i + 1) * w + offset;
            float[] x = examples.get(classes.get(i)).get(0);
            System.arraycopy(x, 0, take, at, w);
        }
        return new Recording("take", null, take, RATE);
    }
}
