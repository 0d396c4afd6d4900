package io.latentkit.extract;

import io.latentkit.core.DrumClass;
import io.latentkit.core.TomSize;
import io.latentkit.core.dsp.TomRanker;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Picks each pad's hit from the usable, embedded hits of its class: the class's hits are
 * clustered in latent space ({@link Clusters}); the largest cluster is the drum the recording
 * plays most; its hit with the lowest score — how far it lies from the others of its cluster
 * (relative to the cluster's median) plus twice its penalty for overlap, cut-off tail and
 * classifier doubt — is the pad's sound. Hits of that cluster more than {@value #LAYER_DB} dB
 * softer or louder become velocity layers (the best-scoring of each level band), and so does the
 * best hit of another cluster whose median level is a band away (the same drum, its timbre
 * changed with the level); the best hit of each other cluster, then the next best of the main
 * one, become up to {@value #ALTERNATES} alternates. The toms, one class to the classifier, are
 * split into drums and sized by pitch rank ({@link #chooseToms}).
 *
 * <p>Stateless; any thread (on hits it owns).
 */
public final class KitChooser {
    /** Levels this far apart make another velocity layer. */
    public static final float LAYER_DB = 6f;
    /** Runners-up kept per pad. */
    public static final int ALTERNATES = 3;

    private KitChooser() {
    }

    /** Chooses the pads from {@code hits} of {@code samples} (all recordings, by index). */
    public static Map<DrumClass, PadChoice> choose(List<Hit> hits, List<float[]> samples, int rateHz) {
        Map<DrumClass, PadChoice> pads = new EnumMap<>(DrumClass.class);
        List<Hit> toms = new ArrayList<>();
        for (DrumClass c : DrumClass.values()) {
            List<Hit> of = new ArrayList<>();
            for (Hit h : hits) {
                if (h.usable() && h.drumClass == c && h.latent != null) {
                    of.add(h);
                }
            }
            if (TomSize.of(c) != null) {
                toms.addAll(of);
            } else if (!of.isEmpty()) {
                pads.put(c, choosePad(c, of));
            }
        }
        pads.putAll(chooseToms(toms, samples, rateHz));
        for (PadChoice p : pads.values()) {
            mark(p.chosen(), Hit.Status.CHOSEN, p.pad());
            for (Hit h : p.layers()) {
                if (h != p.chosen()) {
                    mark(h, Hit.Status.LAYER, p.pad());
                }
            }
            for (Hit h : p.alternates()) {
                mark(h, Hit.Status.ALTERNATE, p.pad());
            }
        }
        for (Hit h : hits) {
            if (h.usable() && h.pad == null && h.reason == null) {
                h.reason = h.latent == null ? "not embedded: its class has enough cleaner hits"
                        : "a better hit of its class was chosen";
            }
        }
        return pads;
    }

    private static void mark(Hit h, Hit.Status s, DrumClass pad) {
        h.status = s;
        h.pad = pad;
        h.reason = null;
    }

    static PadChoice choosePad(DrumClass c, List<Hit> of) {
        List<float[]> points = new ArrayList<>();
        for (Hit h : of) {
            points.add(h.latent);
        }
        double[][] d = Clusters.distances(points);
        int[] label = Clusters.cluster(d);
        for (int i = 0; i < of.size(); i++) {
            of.get(i).cluster = label[i];
        }
        double[] score = new double[of.size()];
        int clusters = 0;
        for (int l : label) {
            clusters = Math.max(clusters, l + 1);
        }
        for (int k = 0; k < clusters; k++) {
            List<Double> md = new ArrayList<>();
            for (int i = 0; i < of.size(); i++) {
                if (label[i] == k) {
                    md.add(Clusters.meanDistance(d, label, i));
                }
            }
            md.sort(Comparator.naturalOrder());
            double median = Math.max(md.get(md.size() / 2), 1e-9);
            for (int i = 0; i < of.size(); i++) {
                if (label[i] == k) {
                    score[i] = Clusters.meanDistance(d, label, i) / median + 2.0 * of.get(i).penalty;
                }
            }
        }
        List<Integer> main = new ArrayList<>();
        for (int i = 0; i < of.size(); i++) {
            if (label[i] == 0) {
                main.add(i);
            }
        }
        main.sort(Comparator.comparingDouble(i -> score[i]));
        Hit chosen = of.get(main.get(0));
        float chosenDb = Segmenter.db(chosen.peak);
        // Velocity layers: the best hit of each band of LAYER_DB around the chosen hit's level.
        Map<Integer, Hit> bands = new TreeMap<>();
        bands.put(0, chosen);
        for (int i : main) {
            Hit h = of.get(i);
            int band = (int) Math.floor((Segmenter.db(h.peak) - chosenDb) / LAYER_DB + 0.5);
            bands.putIfAbsent(band, h);
        }
        // Another cluster whose typical level is a band or more away from the main one's is the
        // same drum played softer or harder (its timbre moved with the level): its best hit is a
        // layer if that band is free. A cluster at the main one's level is another drum: an
        // alternate.
        float mainDb = medianDb(of, label, 0);
        List<Hit> alternates = new ArrayList<>();
        for (int k = 1; k < clusters; k++) {
            int best = -1;
            for (int i = 0; i < of.size(); i++) {
                if (label[i] == k && (best < 0 || score[i] < score[best])) {
                    best = i;
                }
            }
            int band = (int) Math.floor((medianDb(of, label, k) - mainDb) / LAYER_DB + 0.5);
            if (band != 0 && !bands.containsKey(band)) {
                bands.put(band, of.get(best));
            } else if (alternates.size() < ALTERNATES) {
                alternates.add(of.get(best));
            }
        }
        List<Hit> layers = new ArrayList<>(bands.values());
        for (int i : main) {
            Hit h = of.get(i);
            if (alternates.size() >= ALTERNATES) {
                break;
            }
            if (!layers.contains(h)) {
                alternates.add(h);
            }
        }
        return new PadChoice(c, chosen, List.copyOf(layers), List.copyOf(alternates));
    }

    /** The median peak level of cluster {@code k}, dBFS. */
    private static float medianDb(List<Hit> of, int[] label, int k) {
        List<Float> db = new ArrayList<>();
        for (int i = 0; i < of.size(); i++) {
            if (label[i] == k) {
                db.add(Segmenter.db(of.get(i).peak));
            }
        }
        db.sort(Comparator.naturalOrder());
        return db.get(db.size() / 2);
    }

    /**
     * The tom pads from every tom hit (the classifier says "tom", not which): the hits are
     * clustered in latent space, clusters whose pitches lie within {@value #SAME_TOM_RATIO}x of
     * each other are one drum (its hits at other levels), each drum's pad is chosen as for any
     * class, and the drums are sized by pitch rank ({@link TomRanker}, as kit import, listen mode
     * and {@code classify --kit} do). Where more drums than three share a size, the one with more
     * hits keeps the pad and the others' sounds become its alternates.
     */
    static Map<DrumClass, PadChoice> chooseToms(List<Hit> toms, List<float[]> samples, int rateHz) {
        Map<DrumClass, PadChoice> out = new EnumMap<>(DrumClass.class);
        if (toms.isEmpty()) {
            return out;
        }
        List<float[]> points = new ArrayList<>();
        for (Hit h : toms) {
            points.add(h.latent);
        }
        int[] label = Clusters.cluster(Clusters.distances(points));
        Map<Integer, List<Hit>> byCluster = new TreeMap<>();
        for (int i = 0; i < toms.size(); i++) {
            byCluster.computeIfAbsent(label[i], k -> new ArrayList<>()).add(toms.get(i));
        }
        TomRanker ranker = new TomRanker(rateHz);
        List<Drum> drums = new ArrayList<>();
        for (List<Hit> of : byCluster.values()) {
            PadChoice p = choosePad(DrumClass.TOM_MID, of);
            drums.add(new Drum(new ArrayList<>(of), p, pitch(ranker, samples, p.chosen())));
        }
        drums.sort(Comparator.comparingDouble(d -> Double.isNaN(d.pitchHz) ? Double.MAX_VALUE : d.pitchHz));
        List<Drum> merged = new ArrayList<>();
        for (Drum d : drums) {
            Drum last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && d.pitchHz / last.pitchHz < SAME_TOM_RATIO) {
                last.hits.addAll(d.hits);
                PadChoice p = choosePad(DrumClass.TOM_MID, last.hits);
                merged.set(merged.size() - 1, new Drum(last.hits, p, pitch(ranker, samples, p.chosen())));
            } else {
                merged.add(d);
            }
        }
        double[] pitches = new double[merged.size()];
        for (int i = 0; i < pitches.length; i++) {
            pitches[i] = merged.get(i).pitchHz;
        }
        TomSize[] sizes = TomRanker.sizes(pitches);
        Map<DrumClass, Drum> owner = new EnumMap<>(DrumClass.class);
        for (int i = 0; i < sizes.length; i++) {
            DrumClass pad = sizes[i].pad();
            Drum d = merged.get(i);
            Drum had = owner.get(pad);
            if (had == null || d.hits.size() > had.hits.size()) {
                owner.put(pad, d);
            }
        }
        for (int i = 0; i < sizes.length; i++) {
            DrumClass pad = sizes[i].pad();
            Drum d = merged.get(i);
            if (owner.get(pad) == d) {
                PadChoice p = d.choice.on(pad);
                out.put(pad, p);
            }
        }
        for (int i = 0; i < sizes.length; i++) {
            DrumClass pad = sizes[i].pad();
            Drum d = merged.get(i);
            PadChoice p = out.get(pad);
            if (owner.get(pad) != d && p.alternates().size() < ALTERNATES) {
                List<Hit> alts = new ArrayList<>(p.alternates());
                alts.add(d.choice.chosen());
                out.put(pad, new PadChoice(pad, p.chosen(), p.layers(), List.copyOf(alts)));
            }
        }
        return out;
    }

    /** Clusters of toms whose pitches are closer than this ratio (about a semitone) are one drum. */
    static final double SAME_TOM_RATIO = 1.06;

    private static double pitch(TomRanker ranker, List<float[]> samples, Hit h) {
        return ranker.pitchHz(samples.get(h.recording), h.start, h.end);
    }

    /** One tom drum of the recording: its hits, its pad choice, its pitch. */
    private record Drum(List<Hit> hits, PadChoice choice, double pitchHz) {
    }
}
