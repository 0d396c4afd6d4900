package io.latentkit.listen.decide;

import io.latentkit.models.ModelException;

/**
 * What names a hit from the samples after its onset: a drum classifier reading a short window.
 * Today that is {@link DrumHitClassifier} over the shipped {@code classifier.onnx} on the longest
 * window the latency allows; a classifier trained for short windows drops in behind this
 * interface without touching the listen agent.
 *
 * <p>Not thread-safe: implementations hold model sessions; confined to the listen agent's thread.
 */
public interface HitClassifier extends AutoCloseable {
    /** The class names, in the order of the probabilities {@link #classify} writes. */
    String[] classNames();

    /**
     * Classifies {@code samples[from, to)} (mono at the model rate, starting just before the onset)
     * and writes one probability per class into {@code probabilitiesOut}; returns the index of the
     * most probable class.
     *
     * @throws ModelException if the model fails or the window is unusable (silent, too short)
     */
    int classify(float[] samples, int from, int to, float[] probabilitiesOut) throws ModelException;

    /** What the classifier is, for the start-up banner and the report. */
    String describe();

    @Override
    void close();
}
