package io.latentkit.listen.decide;

import io.latentkit.core.DrumClass;
import io.latentkit.core.TomSize;
import io.latentkit.models.DrumClassifier;
import io.latentkit.models.HitClass;
import io.latentkit.models.ModelException;
import java.util.Arrays;

/**
 * The {@link DrumClassifier} (ten classes from models 2.0.0) reading the window after an onset (zero beyond it, as
 * {@code ClipPreparer} pads any short clip). The shipped classifier was trained on whole hits, so on
 * windows of a few tens of milliseconds it is less accurate than on files; the short-window model
 * of the models work is a {@link DrumClassifier} too and replaces it here unchanged. The classes
 * are reported by pad (twelve): a tom's probability goes to the mid-tom pad, since its size is
 * decided within a kit by pitch rank, which this classifier does not see.
 *
 * <p>Not thread-safe; the listen agent's thread. Does not own the classifier (the {@code Models}
 * it came from does).
 */
public final class DrumHitClassifier implements HitClassifier {
    private static final String[] NAMES = names();

    private final DrumClassifier classifier;
    private final DrumClassifier second;
    private final float[] blended = new float[HitClass.COUNT];
    private final String description;

    public DrumHitClassifier(DrumClassifier classifier, String description) {
        this(classifier, null, description);
    }

    /**
     * Both classifiers on the same window, their ten probabilities averaged (a blend of the
     * short-window and the full-clip classifier); {@code second} may be {@code null}.
     */
    public DrumHitClassifier(DrumClassifier classifier, DrumClassifier second, String description) {
        this.classifier = classifier;
        this.second = second;
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
        if (second != null) {
            System.arraycopy(p, 0, blended, 0, HitClass.COUNT);
            second.classify(samples, from, to);
            float[] q = second.lastProbabilities();
            for (int i = 0; i < HitClass.COUNT; i++) {
                blended[i] = 0.5f * (blended[i] + q[i]);
            }
            p = blended;
        }
        Arrays.fill(probabilitiesOut, 0, DrumClass.COUNT, 0f);
        for (int i = 0; i < p.length; i++) {
            probabilitiesOut[HitClass.ofIndex(i).pad(TomSize.MID).pad()] = p[i];
        }
        int best = 0;
        for (int i = 0; i < DrumClass.COUNT; i++) {
            if (probabilitiesOut[i] > probabilitiesOut[best]) {
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
