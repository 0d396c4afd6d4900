package io.latentkit.extract;

import io.latentkit.core.DrumClass;
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
 * one, become up to {@value #ALTERNATES} alternates. The toms then go to the tom pads in order
 * of pitch ({@link TomPitch}).
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
        for (DrumClass c : DrumClass.values()) {
            List<Hit> of = new ArrayList<>();
            for (Hit h : hits) {
                if (h.usable() && h.drumClass == c && h.latent != null) {
                    of.add(h);
                }
            }
            if (!of.isEmpty()) {
                pads.put(c, choosePad(c, of));
            }
        }
        rankToms(pads, samples, rateHz);
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

    /** Puts the chosen toms on the tom pads in order of pitch, lowest on the lowest pad used. */
    static void rankToms(Map<DrumClass, PadChoice> pads, List<float[]> samples, int rateHz) {
        DrumClass[] toms = {DrumClass.TOM_LOW, DrumClass.TOM_MID, DrumClass.TOM_HIGH};
        List<DrumClass> used = new ArrayList<>();
        List<PadChoice> choices = new ArrayList<>();
        for (DrumClass t : toms) {
            PadChoice p = pads.remove(t);
            if (p != null) {
                used.add(t);
                choices.add(p);
            }
        }
        choices.sort(Comparator.comparingDouble(p -> TomPitch.pitchHz(samples.get(p.chosen().recording),
                p.chosen().start, p.chosen().end, rateHz)));
        for (int i = 0; i < used.size(); i++) {
            pads.put(used.get(i), choices.get(i).on(used.get(i)));
        }
    }
}
