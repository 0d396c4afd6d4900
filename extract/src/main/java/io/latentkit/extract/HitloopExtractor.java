package io.latentkit.extract;

import io.latentkit.core.DrumClass;
import io.latentkit.extract.hitloop.HitloopFeatures;
import io.latentkit.extract.hitloop.HitloopParameters;
import io.latentkit.extract.hitloop.HitloopTemplates;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The Hitloop paper's extraction, the baseline latentkit's is measured against, as its code does
 * it ({@code sliding_window}): for each class, a window of the templates' length slides over the
 * recording from its start; a window whose noisiest frame has a spectral flatness of at least
 * {@link HitloopParameters#flatnessGate()} is skipped, else if its summed cosine distance to the
 * class's template is under {@link HitloopParameters#distanceThreshold()} and it passes the level
 * gate it is a sample of that class and the next window starts after it, otherwise the window
 * advances by {@link HitloopParameters#stride()} of its length. The classes slide independently,
 * so one window may be a sample of several.
 *
 * <p>Hitloop writes every matching window and leaves the choice to the user; a kit needs one per
 * pad, so here each class's pad gets its window of smallest distance, the next
 * {@link KitChooser#ALTERNATES} become alternates (our choice, not Hitloop's). Window features are
 * computed once per position and shared by the classes (the results are those of computing them
 * per class, as Hitloop's threads do).
 *
 * <p>Not thread-safe (scratch); one instance per thread.
 */
public final class HitloopExtractor {
    private final HitloopParameters p;
    private final HitloopTemplates templates;
    private final HitloopFeatures features;

    public HitloopExtractor(HitloopTemplates templates, HitloopParameters p) {
        this.p = p;
        this.templates = templates;
        this.features = new HitloopFeatures(p);
    }

    /**
     * Extracts from {@code recordings} (at the parameters' rate).
     *
     * @throws ExtractionException BAD_INPUT when no window matches any template
     */
    public Extraction extract(List<Recording> recordings, Progress progress) throws ExtractionException {
        long t0 = System.nanoTime();
        int w = templates.windowSamples();
        int strideStep = (int) (p.stride() * w);
        List<Hit> hits = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        List<DrumClass> classes = templates.classes();
        for (int ri = 0; ri < recordings.size(); ri++) {
            float[] x = recordings.get(ri).samples();
            Map<Integer, HitloopFeatures.Window> cache = new HashMap<>();
            List<Hit> own = new ArrayList<>();
            for (int ci = 0; ci < classes.size(); ci++) {
                DrumClass c = classes.get(ci);
                int i = 0;
                while (i + w <= x.length) {
                    HitloopFeatures.Window win = cache.computeIfAbsent(i, at -> features.of(x, at, w));
                    boolean matched = false;
                    if (win.maxFlatness() < p.flatnessGate()) {
                        double d = templates.distance(c, win);
                        if (d < p.distanceThreshold() && features.passesLevelGate(win)) {
                            Hit h = new Hit(ri, i);
                            h.end = i + w;
                            h.drumClass = c;
                            h.penalty = (float) d;
                            h.confidence = (float) Math.max(0, 1 - d / p.distanceThreshold());
                            h.peak = peak(x, i, i + w);
                            own.add(h);
                            matched = true;
                        }
                    }
                    i += matched ? w : strideStep;
                }
                progress.at("hitloop " + c.oscName(), (ri + (ci + 1.0) / classes.size()) / recordings.size());
            }
            own.sort(Comparator.comparingInt(Hit::onset));
            if (own.isEmpty()) {
                notes.add(recordings.get(ri).name() + ": no window matched a template");
            }
            hits.addAll(own);
        }
        Map<DrumClass, PadChoice> pads = new EnumMap<>(DrumClass.class);
        for (DrumClass c : classes) {
            List<Hit> of = new ArrayList<>();
            for (Hit h : hits) {
                if (h.drumClass == c) {
                    of.add(h);
                }
            }
            if (of.isEmpty()) {
                continue;
            }
            of.sort(Comparator.comparingDouble(Hit::penalty));
            Hit chosen = of.get(0);
            chosen.status = Hit.Status.CHOSEN;
            chosen.pad = c;
            List<Hit> alternates = new ArrayList<>(of.subList(1, Math.min(of.size(), 1 + KitChooser.ALTERNATES)));
            for (Hit h : alternates) {
                h.status = Hit.Status.ALTERNATE;
                h.pad = c;
            }
            for (Hit h : of.subList(Math.min(of.size(), 1 + KitChooser.ALTERNATES), of.size())) {
                h.reason = "a window closer to the template was chosen";
            }
            pads.put(c, new PadChoice(c, chosen, List.of(chosen), List.copyOf(alternates)));
        }
        if (pads.isEmpty()) {
            throw new ExtractionException(ExtractionException.Kind.BAD_INPUT,
                    "no usable hits: no window of the recording matched a Hitloop template");
        }
        long ns = System.nanoTime() - t0;
        return new Extraction(ExtractMethod.HITLOOP, List.copyOf(recordings), List.copyOf(hits), pads, List.copyOf(notes),
                new Extraction.Timings(0, 0, ns, 0, 0, 0));
    }

    private static float peak(float[] x, int from, int to) {
        float m = 0f;
        for (int i = from; i < to; i++) {
            m = Math.max(m, Math.abs(x[i]));
        }
        return m;
    }
}
