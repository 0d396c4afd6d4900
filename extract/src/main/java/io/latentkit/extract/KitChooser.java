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
     * The tom pads from every tom hit (the classifier says "tom", not which). A kit's toms differ
     * above all in pitch, and in latent space they lie too close to be told apart by clustering, so
     * the hits are split into drums by pitch ({@link TomRanker}'s, each hit's own): sorted, cut
     * where two neighbours are more than {@value #SAME_TOM_RATIO}x apart, and a group of fewer
     * than {@value #MIN_TOM_SHARE} of the hits (a hit the pitch of which another sound spoilt)
     * joins the group nearest in pitch. Each drum's pad is chosen as for any class, and the drums
     * are sized by the rank of their median pitch, as kit import, listen mode and
     * {@code classify --kit} size toms. Where more drums than three share a size, the one with
     * more hits keeps the pad and the others' sounds become its alternates.
     */
    static Map<DrumClass, PadChoice> chooseToms(List<Hit> toms, List<float[]> samples, int rateHz) {
        Map<DrumClass, PadChoice> out = new EnumMap<>(DrumClass.class);
        if (toms.isEmpty()) {
            return out;
        }
        TomRanker ranker = new TomRanker(rateHz);
        List<double[]> byPitch = new ArrayList<>(); // {pitch, index}
        for (int i = 0; i < toms.size(); i++) {
            double hz = pitch(ranker, samples, toms.get(i));
            byPitch.add(new double[] {Double.isNaN(hz) ? Double.MAX_VALUE : hz, i});
        }
        byPitch.sort(Comparator.comparingDouble(x -> x[0]));
        List<List<double[]>> groups = new ArrayList<>();
        for (double[] x : byPitch) {
            List<double[]> last = groups.isEmpty() ? null : groups.get(groups.size() - 1);
            if (last != null && x[0] / last.get(last.size() - 1)[0] < SAME_TOM_RATIO) {
                last.add(x);
            } else {
                groups.add(new ArrayList<>(List.of(x)));
            }
        }
        int least = Math.max(2, (int) Math.ceil(MIN_TOM_SHARE * toms.size()));
        boolean merged = true;
        while (merged && groups.size() > 1) {
            merged = false;
            for (int g = 0; g < groups.size(); g++) {
                if (groups.get(g).size() < least) {
                    int into = nearest(groups, g);
                    groups.get(into).addAll(groups.remove(g));
                    groups.get(into > g ? into - 1 : into).sort(Comparator.comparingDouble(x -> x[0]));
                    merged = true;
                    break;
                }
            }
        }
        List<Drum> drums = new ArrayList<>();
        for (List<double[]> group : groups) {
            List<Hit> of = new ArrayList<>();
            for (double[] x : group) {
                of.add(toms.get((int) x[1]));
            }
            drums.add(new Drum(of, choosePad(DrumClass.TOM_MID, of), median(group)));
        }
        double[] pitches = new double[drums.size()];
        for (int i = 0; i < pitches.length; i++) {
            pitches[i] = drums.get(i).pitchHz;
        }
        TomSize[] sizes = TomRanker.sizes(pitches);
        Map<DrumClass, Drum> owner = new EnumMap<>(DrumClass.class);
        for (int i = 0; i < sizes.length; i++) {
            Drum d = drums.get(i);
            Drum had = owner.get(sizes[i].pad());
            if (had == null || d.hits.size() > had.hits.size()) {
                owner.put(sizes[i].pad(), d);
            }
        }
        owner.forEach((pad, d) -> out.put(pad, d.choice.on(pad)));
        for (int i = 0; i < sizes.length; i++) {
            DrumClass pad = sizes[i].pad();
            Drum d = drums.get(i);
            PadChoice p = out.get(pad);
            if (owner.get(pad) != d && p.alternates().size() < ALTERNATES) {
                List<Hit> alts = new ArrayList<>(p.alternates());
                alts.add(d.choice.chosen());
                out.put(pad, new PadChoice(pad, p.chosen(), p.layers(), List.copyOf(alts)));
            }
        }
        return out;
    }

    /** Neighbouring tom pitches closer than this ratio (about a semitone) are one drum. */
    static final double SAME_TOM_RATIO = 1.06;
    /** A pitch group holding fewer than this share of the tom hits is no drum of its own. */
    static final double MIN_TOM_SHARE = 0.1;

    /** The group nearest to group {@code g} in log pitch (groups are in pitch order). */
    private static int nearest(List<List<double[]>> groups, int g) {
        double lo = groups.get(g).get(0)[0];
        double hi = groups.get(g).get(groups.get(g).size() - 1)[0];
        if (g == 0) {
            return 1;
        }
        if (g == groups.size() - 1) {
            return g - 1;
        }
        List<double[]> below = groups.get(g - 1);
        double down = Math.log(lo / below.get(below.size() - 1)[0]);
        double up = Math.log(groups.get(g + 1).get(0)[0] / hi);
        return down <= up ? g - 1 : g + 1;
    }

    private static double median(List<double[]> group) {
        double m = group.get(group.size() / 2)[0];
        return m == Double.MAX_VALUE ? Double.NaN : m;
    }

    private static double pitch(TomRanker ranker, List<float[]> samples, Hit h) {
        return ranker.pitchHz(samples.get(h.recording), h.start, h.end);
    }

    /** One tom drum of the recording: its hits, its pad choice, its pitch. */
    private record Drum(List<Hit> hits, PadChoice choice, double pitchHz) {
    }
}
