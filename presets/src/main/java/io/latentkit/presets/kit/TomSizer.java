package io.latentkit.presets.kit;

import io.latentkit.core.DrumClass;
import io.latentkit.core.TomSize;
import io.latentkit.core.audio.AudioDecoder;
import io.latentkit.core.audio.DecodedAudio;
import io.latentkit.core.dsp.TomRanker;
import io.latentkit.presets.kit.source.ParsedKit;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Sizes an imported kit's toms by pitch rank ({@link TomRanker}, as extraction, listen mode and
 * {@code classify --kit} do): an instrument's name says that it is a tom ({@link ClassMatcher}),
 * its sound says which. Each tom's pitch is that of its loudest layer's first sample, shifted by
 * the instrument's and the part's pitch (semitones); the toms ranked lowest first are low, mid and
 * high. Where the names give every tom of the kit a size of its own, the names stand (they are the
 * kit author's word, and on two of seven such Hydrogen kits the rank disagrees with them) and a
 * disagreeing rank is a warning; otherwise ("Tom 1", "Tom 2", "Floor Tom") the rank decides.
 *
 * <p>Stateless; loader thread (decodes files).
 */
final class TomSizer {
    private TomSizer() {
    }

    /**
     * Re-classes the toms among {@code candidates} (index-aligned with {@code sources}) by pitch
     * rank unless their names settle it; a tom whose sample cannot be decoded ranks as the highest.
     */
    static List<KitManifest.Instrument> size(List<KitManifest.Instrument> candidates, List<ParsedKit.Instrument> sources,
            List<String> warnings) {
        List<Integer> toms = new ArrayList<>();
        for (int i = 0; i < candidates.size(); i++) {
            DrumClass c = DrumClass.fromName(candidates.get(i).drumClass());
            if (c != null && TomSize.of(c) != null) {
                toms.add(i);
            }
        }
        if (toms.isEmpty()) {
            return candidates;
        }
        double[] pitches = new double[toms.size()];
        for (int j = 0; j < pitches.length; j++) {
            pitches[j] = pitchHz(sources.get(toms.get(j)));
        }
        TomSize[] sizes = TomRanker.sizes(pitches);
        // Names that give every tom its own size are the kit author's word: they stand, and a pitch
        // rank that disagrees is only reported.
        boolean namesSettleIt = true;
        Set<String> namedSizes = new HashSet<>();
        for (int i : toms) {
            namesSettleIt &= named(candidates.get(i).name()) && namedSizes.add(candidates.get(i).drumClass());
        }
        List<KitManifest.Instrument> out = new ArrayList<>(candidates);
        for (int j = 0; j < sizes.length; j++) {
            int i = toms.get(j);
            KitManifest.Instrument in = candidates.get(i);
            String ranked = sizes[j].pad().oscName();
            if (ranked.equals(in.drumClass())) {
                continue;
            }
            if (namesSettleIt) {
                warnings.add(String.format(Locale.ROOT, "instrument '%s': its pitch (%.0f Hz) ranks it %s among the kit's"
                        + " %d toms; kept on %s as its name says", in.name(), pitches[j], ranked, sizes.length,
                        in.drumClass()));
                continue;
            }
            out.set(i, new KitManifest.Instrument(in.name(), ranked, in.gain(), in.pan(), in.choke(), in.offBy(),
                    in.pitch(), in.mute(), in.score(), in.layers()));
        }
        return out;
    }

    /** Whether the name gives a size (a plain "Tom" or "Tom 2" does not). */
    private static boolean named(String name) {
        return ClassMatcher.match(name, -1).drumClass() != DrumClass.TOM_MID
                || name.toLowerCase(Locale.ROOT).matches(".*\\b(mid|middle|med)\\b.*");
    }

    /** The played pitch of the instrument's loudest layer's first sample, or NaN. */
    static double pitchHz(ParsedKit.Instrument in) {
        ParsedKit.Layer loudest = null;
        for (ParsedKit.Layer l : in.layers()) {
            if (!l.strikes().isEmpty() && !l.strikes().get(0).parts().isEmpty()
                    && (loudest == null || l.max() > loudest.max())) {
                loudest = l;
            }
        }
        if (loudest == null) {
            return Double.NaN;
        }
        ParsedKit.Part part = loudest.strikes().get(0).parts().get(0);
        double hz = pitchHz(part.sample());
        return hz * Math.pow(2.0, (in.pitch() + part.pitch()) / 12.0);
    }

    private static double pitchHz(Path file) {
        DecodedAudio a;
        try {
            a = AudioDecoder.decode(file);
        } catch (IOException e) {
            return Double.NaN; // the import has said why this sample is skipped
        }
        if (a.sampleRateHz() < 8000 || a.frames() == 0) {
            return Double.NaN;
        }
        float[] mono = new float[a.frames()];
        for (int c = 0; c < a.channelCount(); c++) {
            float[] ch = a.channel(c);
            for (int i = 0; i < mono.length; i++) {
                mono[i] += ch[i] / a.channelCount();
            }
        }
        return new TomRanker(a.sampleRateHz()).pitchHz(mono);
    }
}
