package io.latentkit.listen.decide;

import io.latentkit.models.ModelException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * Names each hit: while a class is being learned, the hit is an example of it; once any class has
 * been learned, the nearest-neighbour model decides among the learned classes; otherwise the drum
 * classifier does. Learning records the next {@code K} hits, replacing the class's earlier examples.
 *
 * <p>Not thread-safe: the listen agent's thread only (it owns the model sessions through the
 * classifier and the embedder). The futures it is handed are completed on that thread.
 */
public final class HitDecider {
    private final HitClassifier classifier;
    private final HitEmbedder embedder;
    private final int sampleRateHz;
    private final String[] classNames;
    private final float[] probabilities;
    private final float[] point;
    private final Enrolment enrolment = new Enrolment();
    private final Enrolment.Choice choice = new Enrolment.Choice();
    private String learning;
    private int learnTarget;
    private CompletableFuture<String> learnDone;

    /** What {@link #decide} found, reused between calls. */
    public static final class Decision {
        String className;
        float confidence;
        boolean example;
        boolean classified;

        public String className() {
            return className;
        }

        public float confidence() {
            return confidence;
        }

        /** Whether the hit was recorded as an example of the class being learned. */
        public boolean example() {
            return example;
        }

        /** Whether the drum classifier decided (not a learned class): only then is a tom sized by pitch. */
        public boolean classified() {
            return classified;
        }
    }

    /**
     * @param embedder the enrolment space, or {@code null} when no embedding model is available
     *     (learning then fails with a reason)
     */
    public HitDecider(HitClassifier classifier, HitEmbedder embedder, int sampleRateHz) {
        this.classifier = classifier;
        this.embedder = embedder;
        this.sampleRateHz = sampleRateHz;
        this.classNames = classifier.classNames();
        this.probabilities = new float[classNames.length];
        this.point = embedder == null ? new float[0] : new float[embedder.dimensions()];
    }

    public HitClassifier classifier() {
        return classifier;
    }

    /** The class being learned, or {@code null}. */
    public String learning() {
        return learning;
    }

    /**
     * Starts recording the next {@code examples} hits as class {@code name} (a checked name);
     * {@code done} completes with a one-line summary once they are recorded. A learn already
     * running is cut short: its future fails, and the examples it recorded are kept.
     */
    public void learn(String name, int examples, CompletableFuture<String> done) {
        if (embedder == null) {
            done.completeExceptionally(new IllegalStateException("no embedding model: listen mode cannot learn"));
            return;
        }
        if (learning != null) {
            learnDone.completeExceptionally(new IllegalStateException("learning '" + learning + "' was interrupted by learning '"
                    + name + "' after " + enrolment.count(learning) + " of " + learnTarget + " examples"));
        }
        enrolment.forget(name);
        learning = name;
        learnTarget = examples;
        learnDone = done;
    }

    /** Forgets one learned class or {@code all}; returns a one-line summary. */
    public String forget(String nameOrAll) {
        if (learning != null && (nameOrAll.equals("all") || nameOrAll.equals(learning))) {
            learnDone.completeExceptionally(new IllegalStateException("learning '" + learning + "' was cancelled by forget"));
            learning = null;
        }
        if (nameOrAll.equals("all")) {
            int n = enrolment.forgetAll();
            return "forgot " + n + " learned class" + (n == 1 ? "" : "es");
        }
        if (!enrolment.forget(nameOrAll)) {
            throw new IllegalArgumentException("no learned class '" + nameOrAll + "'");
        }
        return "forgot '" + nameOrAll + "'";
    }

    /**
     * Replaces every learned class with {@code examples}. Examples from another space are embedded
     * again from their clips. Returns a one-line summary.
     *
     * @throws ModelException if re-embedding fails
     * @throws IllegalArgumentException if the examples are malformed (nothing is changed)
     */
    public String restore(ListenExamples examples) throws ModelException {
        if (embedder == null) {
            throw new IllegalStateException("no embedding model: learned classes cannot be restored");
        }
        boolean sameSpace = embedder.id().equals(examples.embedding()) && examples.sampleRateHz() == sampleRateHz;
        if (!sameSpace && examples.sampleRateHz() != sampleRateHz) {
            throw new IllegalArgumentException("examples at " + examples.sampleRateHz() + " Hz, listen mode runs at "
                    + sampleRateHz + " Hz");
        }
        List<ListenExamples.LearnedClass> fresh = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        int count = 0;
        for (ListenExamples.LearnedClass c : examples.classes()) {
            String name = Enrolment.checkName(c.name());
            if (!seen.add(name) || seen.size() > Enrolment.MAX_CLASSES || c.examples().size() > Enrolment.MAX_EXAMPLES) {
                throw new IllegalArgumentException("learned class '" + name + "' is repeated, or too many classes or examples");
            }
            List<ListenExamples.Example> list = new ArrayList<>();
            for (ListenExamples.Example e : c.examples()) {
                float[] clip = e.clip();
                float[] p;
                if (sameSpace) {
                    if (e.embedding().length != embedder.dimensions()) {
                        throw new IllegalArgumentException("an example of '" + name + "' has " + e.embedding().length
                                + " coordinates, the space has " + embedder.dimensions());
                    }
                    p = e.embedding().clone();
                } else {
                    p = new float[embedder.dimensions()];
                    embedder.embed(clip, 0, clip.length, p);
                }
                list.add(new ListenExamples.Example(p, e.clipPcm16()));
                count++;
            }
            fresh.add(new ListenExamples.LearnedClass(name, list));
        }
        if (learning != null) {
            learnDone.completeExceptionally(new IllegalStateException("learning '" + learning + "' was replaced by a restore"));
            learning = null;
        }
        enrolment.forgetAll();
        for (ListenExamples.LearnedClass c : fresh) {
            for (ListenExamples.Example e : c.examples()) {
                enrolment.add(c.name(), e);
            }
        }
        return "restored " + fresh.size() + " learned classes, " + count + " examples"
                + (sameSpace ? "" : " (embedded again: saved in another space)");
    }

    /** The learned classes as a serialisable snapshot. */
    public ListenExamples snapshot() {
        return enrolment.snapshot(embedder == null ? "none" : embedder.id(), sampleRateHz);
    }

    /** Learned class names. */
    public List<String> learnedClasses() {
        return enrolment.names();
    }

    /**
     * Names the hit in {@code clip[from, to)} (mono at the model rate, from just before the onset
     * to the end of the window) into {@code out}.
     *
     * @throws ModelException if a model fails on this window (the hit is then dropped and counted)
     */
    public void decide(float[] clip, int from, int to, Decision out) throws ModelException {
        out.example = false;
        out.classified = false;
        if (learning != null) {
            embedder.embed(clip, from, to, point);
            enrolment.add(learning, ListenExamples.Example.of(point, clip, from, to));
            out.className = learning;
            out.confidence = 1f;
            out.example = true;
            int have = enrolment.count(learning);
            if (have >= learnTarget) {
                String name = learning;
                learning = null;
                learnDone.complete("learned '" + name + "' from " + have + " examples");
            }
            return;
        }
        if (!enrolment.isEmpty()) {
            embedder.embed(clip, from, to, point);
            enrolment.nearest(point, choice);
            out.className = choice.name();
            out.confidence = choice.confidence();
            return;
        }
        int best = classifier.classify(clip, from, to, probabilities);
        out.className = classNames[best];
        out.confidence = probabilities[best];
        out.classified = true;
    }
}
