package io.latentkit.presets.kit;

import io.latentkit.core.DrumClass;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses the instrument each pad plays when a source has several of one drum class: the best
 * class match wins (the plain "Snare" over "Snare Rimshot"), then the richer instrument (more
 * samples), then the earlier one. The others become alternates, sorted by class, so a performer
 * can swap them in later.
 *
 * <p>Stateless; any thread.
 */
public final class PadAssigner {
    /** Per class its instrument (or {@code null}), and the instruments no pad took. */
    public record Assignment(Map<String, KitManifest.Instrument> pads, List<KitManifest.Instrument> alternates) {
    }

    private PadAssigner() {
    }

    public static Assignment assign(List<KitManifest.Instrument> candidates) {
        Map<String, KitManifest.Instrument> pads = new LinkedHashMap<>();
        for (DrumClass c : DrumClass.values()) {
            KitManifest.Instrument best = null;
            for (KitManifest.Instrument i : candidates) {
                if (i.drumClass().equals(c.oscName()) && (best == null || better(i, best))) {
                    best = i;
                }
            }
            pads.put(c.oscName(), best);
        }
        List<KitManifest.Instrument> alternates = new ArrayList<>();
        for (KitManifest.Instrument i : candidates) {
            if (pads.get(i.drumClass()) != i) {
                alternates.add(i);
            }
        }
        alternates.sort(Comparator.comparing(KitManifest.Instrument::drumClass));
        return new Assignment(pads, alternates);
    }

    private static boolean better(KitManifest.Instrument a, KitManifest.Instrument b) {
        if (a.score() != b.score()) {
            return a.score() > b.score();
        }
        return sampleCount(a) > sampleCount(b);
    }

    static int sampleCount(KitManifest.Instrument i) {
        int n = 0;
        for (KitManifest.Layer l : i.layers()) {
            for (KitManifest.Strike s : l.strikes()) {
                n += s.parts().size();
            }
        }
        return n;
    }
}
