package io.latentkit.listen.decide;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The performer's own classes: examples recorded by {@code learn}, and a nearest-neighbour
 * decision among them. A hit goes to the class with the nearest example (Euclidean distance in
 * the embedding space); its confidence is that class's share of the inverse distances to every
 * class's nearest example, so 1 means unambiguous and {@code 1 / classes} means a tie all round.
 *
 * <p>Not thread-safe: owned by the listen agent's thread; other threads see it through the
 * immutable {@link ListenExamples} snapshots it hands out.
 */
public final class Enrolment {
    /** Names a class may have: what an OSC string carries comfortably and a file name allows. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,31}");
    /** Most examples one class keeps. */
    public static final int MAX_EXAMPLES = 64;
    /** Most classes. */
    public static final int MAX_CLASSES = 32;

    private final Map<String, List<ListenExamples.Example>> classes = new LinkedHashMap<>();
    private final Map<String, List<float[]>> points = new LinkedHashMap<>();

    /** The result of {@link #nearest}: a class and a confidence, reused between calls. */
    public static final class Choice {
        String name;
        float confidence;

        public String name() {
            return name;
        }

        public float confidence() {
            return confidence;
        }
    }

    /** Checks a class name; returns it lower-cased. */
    public static String checkName(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(java.util.Locale.ROOT);
        if (!NAME.matcher(n).matches() || n.equals("all")) {
            throw new IllegalArgumentException("a listen class is 1..32 of a-z 0-9 _ . - (and not 'all'), got '" + name + "'");
        }
        return n;
    }

    public boolean isEmpty() {
        return classes.isEmpty();
    }

    /** Learned class names, in the order they were learned. */
    public List<String> names() {
        return new ArrayList<>(classes.keySet());
    }

    /** Examples of {@code name}. */
    public int count(String name) {
        List<ListenExamples.Example> l = classes.get(name);
        return l == null ? 0 : l.size();
    }

    /**
     * Adds an example to {@code name}, creating the class.
     *
     * @throws IllegalStateException when the class or class count is full
     */
    public void add(String name, ListenExamples.Example example) {
        List<ListenExamples.Example> l = classes.get(name);
        if (l == null) {
            if (classes.size() >= MAX_CLASSES) {
                throw new IllegalStateException("already " + MAX_CLASSES + " learned classes");
            }
            l = new ArrayList<>();
            classes.put(name, l);
            points.put(name, new ArrayList<>());
        }
        if (l.size() >= MAX_EXAMPLES) {
            throw new IllegalStateException("class '" + name + "' already has " + MAX_EXAMPLES + " examples");
        }
        l.add(example);
        points.get(name).add(example.embedding());
    }

    /** Removes a class; returns whether it existed. */
    public boolean forget(String name) {
        points.remove(name);
        return classes.remove(name) != null;
    }

    /** Removes every class; returns how many there were. */
    public int forgetAll() {
        int n = classes.size();
        classes.clear();
        points.clear();
        return n;
    }

    /** The class nearest to {@code point}, into {@code out}; {@code false} when nothing is learned. */
    public boolean nearest(float[] point, Choice out) {
        String best = null;
        double bestD = Double.MAX_VALUE;
        double inverseSum = 0;
        for (Map.Entry<String, List<float[]>> e : points.entrySet()) {
            double d = Double.MAX_VALUE;
            for (float[] p : e.getValue()) {
                d = Math.min(d, distance(point, p));
            }
            if (d == Double.MAX_VALUE) {
                continue;
            }
            inverseSum += 1.0 / Math.max(d, 1e-9);
            if (d < bestD) {
                bestD = d;
                best = e.getKey();
            }
        }
        if (best == null) {
            return false;
        }
        out.name = best;
        out.confidence = (float) ((1.0 / Math.max(bestD, 1e-9)) / inverseSum);
        return true;
    }

    private static double distance(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double d = a[i] - b[i];
            s += d * d;
        }
        return Math.sqrt(s);
    }

    /** The examples as a serialisable snapshot. */
    public ListenExamples snapshot(String embedding, int sampleRateHz) {
        List<ListenExamples.LearnedClass> l = new ArrayList<>();
        classes.forEach((name, examples) -> l.add(new ListenExamples.LearnedClass(name, examples)));
        return new ListenExamples(ListenExamples.VERSION, embedding, sampleRateHz, l);
    }
}
