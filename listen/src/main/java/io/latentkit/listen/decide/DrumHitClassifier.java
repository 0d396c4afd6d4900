package io.latentkit.listen.decide;

import io.latentkit.core.DrumClass;
import io.latentkit.models.DrumClassifier;
import io.latentkit.models.ModelException;

/**
 * The twelve-class {@link DrumClassifier} reading the window after an onset (zero beyond it, as
 * {@code ClipPreparer} pads any short clip). The shipped classifier was trained on whole hits, so on
 * windows of a few tens of milliseconds it is less accurate than on files; the short-window model
 * of the models work is a {@link DrumClassifier} too and replaces it here unchanged.
 *
 * <p>Not thread-safe; the listen agent's thread. Does not own the classifier (the {@code Models}
 * it came from does).
 */
public final class DrumHitClassifier implements HitClassifier {
    private static final String[] NAMES = names();

    private final DrumClassifier classifier;
    private final String description;

    public DrumHitClassifier(DrumClassifier classifier, String description) {
        this.classifier = classifier;
        this.description = description;
    }

    private static String[] names() {
        String[] n = new String[DrumClass.COUNT];
        for (DrumClass c : DrumClass.values()) {
            n[c.pad()] = c.oscName();
        }
        return n;
    }

    @Override
    public String[] classNames() {
        return NAMES.clone();
    }

    @Override
    public int classify(float[] samples, int from, int to, float[] probabilitiesOut) throws ModelException {
        // ClipPreparer (inside) re-finds the attack and keeps its own 64-sample pre-roll.
        classifier.classify(samples, from, to);
        float[] p = classifier.lastProbabilities();
        int best = 0;
        for (int i = 0; i < p.length; i++) {
            probabilitiesOut[i] = p[i];
            if (p[i] > p[best]) {
                best = i;
            }
        }
        return best;
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        // The Models instance owns the session.
    }
}
