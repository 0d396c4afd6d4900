package io.latentkit.listen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.DrumClass;
import io.latentkit.core.audio.AudioDecoder;
import io.latentkit.core.kit.Kit;
import io.latentkit.models.Models;
import io.latentkit.testsupport.TestKits;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A tom heard on its own is sized against the toms of the kit: three real toms of one training
 * kit (the models' fixtures, 76, 104 and 123 Hz) are the kit's tom pads and are played in a
 * shuffled order; every hit the classifier calls a tom lands on the pad of the tom played.
 */
class ListenTomSizeTest {
    private static final int SR = ListenConfig.INPUT_RATE_HZ;
    private static final DrumClass[] TOMS = {DrumClass.TOM_LOW, DrumClass.TOM_MID, DrumClass.TOM_HIGH};
    private static Models models;
    private static float[][] sounds;

    @BeforeAll
    static void load() throws Exception {
        models = Models.loadDefault();
        sounds = new float[3][];
        String[] files = {"tom_low.wav", "tom_mid.wav", "tom_high.wav"};
        for (int i = 0; i < 3; i++) {
            Path p = Path.of(ListenTomSizeTest.class.getResource("/io/latentkit/listen/" + files[i]).toURI());
            sounds[i] = AudioDecoder.decode(p).channel(0);
        }
    }

    @AfterAll
    static void close() {
        models.close();
    }

    private static Kit kit() {
        return TestKits.kit(SR, p -> {
            for (int i = 0; i < 3; i++) {
                if (TOMS[i].pad() == p) {
                    return sounds[i];
                }
            }
            return TestKits.sine(SR / 10, 1000, 0.1f, SR);
        });
    }

    private static List<String> run(ListenConfig config, List<DrumClass> played, int[] heardAsTom) throws Exception {
        int[] order = {2, 0, 1, 1, 2, 0, 0, 1, 2};
        int gap = SR * 6 / 10;
        float[] x = new float[(order.length + 1) * gap];
        for (int k = 0; k < order.length; k++) {
            float[] s = sounds[order[k]];
            for (int i = 0; i < Math.min(s.length, gap); i++) {
                x[SR / 4 + k * gap + i] += s[i];
            }
            played.add(TOMS[order[k]]);
        }
        OfflineListen listen = new OfflineListen(config, models);
        listen.kit(kit());
        List<String> wrong = new ArrayList<>();
        for (OfflineListen.Hit h : listen.run(x, 1f)) {
            int k = (int) Math.round((h.onsetFrame() - SR / 4.0) / gap);
            DrumClass c = DrumClass.ofPad(Math.max(0, h.pad()));
            if (TOMS[0] == c || TOMS[1] == c || TOMS[2] == c) {
                heardAsTom[0]++;
                if (k < 0 || k >= played.size() || played.get(k) != c) {
                    wrong.add("hit " + k + " (" + (k >= 0 && k < played.size() ? played.get(k) : "none") + ") on " + c);
                }
                assertEquals(c.oscName(), h.className(), "the hit's class names its size");
            }
        }
        return wrong;
    }

    @Test
    void aTomHeardOnItsOwnGoesToTheKitsTomOfTheNearestPitch() throws Exception {
        int[] toms = new int[1];
        List<String> wrong = run(ListenConfig.forLatency(255).withWindowMs(150), new ArrayList<>(), toms);
        assertTrue(toms[0] >= 7, "hits heard as toms: " + toms[0] + " of 9");
        assertEquals(List.of(), wrong);
    }

    @Test
    void atTheDefaultWindowTomsAreStillSizedAgainstTheKit() throws Exception {
        int[] toms = new int[1];
        List<String> wrong = run(ListenConfig.defaults(), new ArrayList<>(), toms);
        assertTrue(toms[0] >= 5, "hits heard as toms: " + toms[0] + " of 9");
        assertEquals(List.of(), wrong);
    }
}
