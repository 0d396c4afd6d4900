package io.latentkit.extract;

import io.latentkit.core.DrumClass;
import io.latentkit.core.audio.DecodedAudio;
import io.latentkit.presets.LibraryException;
import io.latentkit.presets.LibraryFolder;
import io.latentkit.presets.kit.KitManifest;
import io.latentkit.presets.kit.KitWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes an extraction into the kit library through {@link KitWriter}, the writer kit import uses,
 * so the kit appears whole or not at all in {@code kit list} and loads with {@code /kit/load}:
 * per pad its velocity layers (each one hit, as a 32-bit float WAV at the models' rate) and its
 * alternates. Every sound of a pad is scaled by one gain so that its loudest layer peaks at
 * -1 dBFS (the layers keep their level relations), and fades out over {@value #FADE_MS} ms at its
 * cut.
 *
 * <p>Loader thread (or the command line's): file I/O.
 */
public final class KitOutput {
    /** Fade at the end of each cut. */
    public static final double FADE_MS = 5.0;
    /** Peak of a pad's loudest layer. */
    public static final float PEAK = 0.891f;

    private KitOutput() {
    }

    /**
     * Writes {@code e} as kit {@code name} in {@code kits}.
     *
     * @throws LibraryException BAD_NAME for a bad or taken name (unless {@code replace}); IO
     */
    public static KitWriter.Written write(LibraryFolder kits, String name, Extraction e, boolean replace)
            throws LibraryException {
        int rate = e.recordings().get(0).sampleRateHz();
        try (KitWriter.Draft draft = new KitWriter(kits).begin(name)) {
            Map<DrumClass, KitManifest.Instrument> pads = new LinkedHashMap<>();
            List<KitManifest.Instrument> alternates = new ArrayList<>();
            for (PadChoice p : e.pads().values()) {
                float loudest = 0f;
                for (Hit h : p.layers()) {
                    loudest = Math.max(loudest, h.peak);
                }
                for (Hit h : p.alternates()) {
                    loudest = Math.max(loudest, h.peak);
                }
                float gain = PEAK / Math.max(loudest, 1e-6f);
                List<KitManifest.Layer> layers = new ArrayList<>();
                int n = p.layers().size();
                for (int i = 0; i < n; i++) {
                    Hit h = p.layers().get(i);
                    String file = draft.addAudio(fileName(p.pad(), h, e), audio(e, h, gain, rate));
                    layers.add(KitManifest.Layer.of((float) i / n, i == n - 1 ? 1f : (float) (i + 1) / n, List.of(file)));
                }
                pads.put(p.pad(), KitManifest.Instrument.of(p.pad().oscName() + " " + time(e, p.chosen()), p.pad(), layers));
                for (Hit h : p.alternates()) {
                    String file = draft.addAudio(fileName(p.pad(), h, e), audio(e, h, gain, rate));
                    alternates.add(KitManifest.Instrument.of(p.pad().oscName() + " " + time(e, h), p.pad(),
                            List.of(KitManifest.Layer.of(0f, 1f, List.of(file)))));
                }
            }
            List<String> sources = new ArrayList<>();
            for (Recording r : e.recordings()) {
                sources.add(r.source() != null ? r.source().toString() : r.name());
            }
            KitManifest base = KitManifest.of(name, new KitManifest.Source("extraction", String.join(", ", sources),
                    "extracted (" + e.method().cliName() + ") from " + String.join(", ", names(e))), pads);
            KitManifest m = new KitManifest(name, base.source(), base.pads(), alternates, e.notes());
            return draft.commit(m, replace);
        }
    }

    static DecodedAudio audio(Extraction e, Hit h, float gain, int rate) {
        float[] x = e.recordings().get(h.recording).samples();
        int n = h.end - h.onset;
        float[] out = new float[n];
        int fade = Math.min(n, (int) (FADE_MS * rate / 1000));
        for (int i = 0; i < n; i++) {
            float g = gain;
            int fromEnd = n - 1 - i;
            if (fromEnd < fade) {
                g *= (float) (0.5 - 0.5 * Math.cos(Math.PI * fromEnd / fade));
            }
            out[i] = x[h.onset + i] * g;
        }
        return new DecodedAudio(new float[][] {out}, rate);
    }

    private static String fileName(DrumClass pad, Hit h, Extraction e) {
        return pad.oscName() + "-" + time(e, h).replace(':', '-');
    }

    /** "take.wav@12.345s" for several recordings, "12.345s" for one. */
    static String time(Extraction e, Hit h) {
        String t = String.format(Locale.ROOT, "%.3fs", (double) h.onset / e.recordings().get(h.recording).sampleRateHz());
        return e.recordings().size() > 1 ? e.recordings().get(h.recording).name() + "@" + t : t;
    }

    private static List<String> names(Extraction e) {
        List<String> n = new ArrayList<>();
        for (Recording r : e.recordings()) {
            n.add(r.name());
        }
        return n;
    }
}
