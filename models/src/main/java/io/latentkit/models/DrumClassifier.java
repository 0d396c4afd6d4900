package io.latentkit.models;

import java.nio.FloatBuffer;

/**
 * A drum hit classifier: clip preparation, log-mel, ONNX model, ten {@link HitClass} probabilities.
 * Two are shipped: {@value #FILE}, which reads the first {@code classifier_frames} frames of the
 * whole clip, and {@value #SHORT_FILE}, which reads only the first {@code window_samples} samples
 * after the onset, so that listen mode can decide within 15 ms of a hit.
 *
 * <p>Not thread-safe (owns the session buffers and the preparer); confined to the inference worker
 * in the server, or the caller's thread in the CLI.
 */
public final class DrumClassifier implements AutoCloseable {
    /** Resource/file name of the full-clip classifier. */
    public static final String FILE = "classifier.onnx";
    /** Resource/file name of the short-window classifier. */
    public static final String SHORT_FILE = "classifier_short.onnx";
    /** Optional metadata: the classifier reads only this many leading frames of its input. */
    public static final String FRAMES_KEY = "classifier_frames";
    /** Metadata of a short-window classifier: the samples after the pre-roll its clip keeps. */
    public static final String WINDOW_KEY = "window_samples";

    private final OnnxModel model;
    private final ClipPreparer preparer;
    private final float[] logMel;
    private final float[] probabilities = new float[HitClass.COUNT];

    DrumClassifier(OnnxModel model, FeatureSpec spec, int framesUsed, int windowSamples) {
        this.model = model;
        this.preparer = new ClipPreparer(spec, framesUsed, windowSamples);
        this.logMel = new float[preparer.logMelSize()];
    }

    static DrumClassifier open(byte[] bytes, int threads, FeatureSpec spec) throws ModelLoadException {
        return open(FILE, "classifier", bytes, threads, spec);
    }

    static DrumClassifier openShort(byte[] bytes, int threads, FeatureSpec spec) throws ModelLoadException {
        return open(SHORT_FILE, "classifier_short", bytes, threads, spec);
    }

    private static DrumClassifier open(String file, String kind, byte[] bytes, int threads, FeatureSpec spec)
            throws ModelLoadException {
        long[] in = {1, spec.melBands(), spec.clipFrames()};
        OnnxModel m = OnnxModel.open(file, bytes, kind, in, new long[][] {{1, HitClass.COUNT}}, threads, spec);
        try {
            int frames = framesUsed(file, m.metadata().get(FRAMES_KEY), spec);
            int window = 0;
            if (kind.equals("classifier_short")) {
                window = windowSamples(file, m.metadata().get(WINDOW_KEY), spec);
            }
            return new DrumClassifier(m, spec, frames, window);
        } catch (ModelLoadException e) {
            m.close();
            throw e;
        } catch (RuntimeException e) {
            // The feature transform could not be made (an invalid latentkit.fft, FFTW failing to plan).
            m.close();
            throw new ModelLoadException(file + ": features: " + e.getMessage(), e);
        }
    }

    /** The frames a classifier reads: its {@value #FRAMES_KEY} metadata, or the whole clip without it. */
    static int framesUsed(String value, FeatureSpec spec) throws ModelLoadException {
        return framesUsed(FILE, value, spec);
    }

    static int framesUsed(String file, String value, FeatureSpec spec) throws ModelLoadException {
        if (value == null) {
            return spec.clipFrames();
        }
        try {
            int frames = Integer.parseInt(value.trim());
            if (frames >= 1 && frames <= spec.clipFrames()) {
                return frames;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ModelLoadException(file + ": " + FRAMES_KEY + " is '" + value + "', not a frame count in 1.."
                + spec.clipFrames());
    }

    static int windowSamples(String file, String value, FeatureSpec spec) throws ModelLoadException {
        int max = spec.clipSamples() - spec.prerollSamples();
        if (value != null) {
            try {
                int w = Integer.parseInt(value.trim());
                if (w >= 1 && w <= max) {
                    return w;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new ModelLoadException(file + ": " + WINDOW_KEY + " is '" + value + "', not a sample count in 1.." + max);
    }

    /** Frames of the clip this classifier reads (and the features compute). */
    public int framesUsed() {
        return preparer.framesUsed();
    }

    /**
     * Samples after the onset this classifier needs ({@value #WINDOW_KEY}), or 0 for the full-clip
     * classifier, which reads up to {@link #framesUsed()} frames of the whole clip.
     */
    public int windowSamples() {
        return preparer.windowSamples();
    }

    public OnnxModel model() {
        return model;
    }

    /** Classifies one hit (mono, at the model rate). */
    public Classification classify(float[] samples) throws ModelException {
        return classify(samples, 0, samples.length);
    }

    /**
     * Classifies {@code samples[from, to)} (mono, at the model rate). For the short-window
     * classifier, {@code to} is {@link #windowSamples()} after the onset (what listen mode has when
     * it decides) and {@code from} a little before it.
     */
    public Classification classify(float[] samples, int from, int to) throws ModelException {
        preparer.prepare(samples, from, to, logMel);
        return classifyLogMel(logMel);
    }

    /** Classifies a precomputed log-mel (band-major); the latency the benchmark measures. */
    public Classification classifyLogMel(float[] logMelBandMajor) throws ModelException {
        runOn(logMelBandMajor);
        return new Classification(probabilities);
    }

    /** Runs the model and leaves the probabilities in {@link #lastProbabilities()}; allocation-free. */
    public void runOn(float[] logMelBandMajor) throws ModelException {
        FloatBuffer in = model.input();
        in.clear();
        in.put(logMelBandMajor, 0, logMel.length);
        model.run();
        model.output(0).get(0, probabilities);
    }

    /** Probabilities of the last run, by {@link HitClass#ordinal()}; overwritten by the next. */
    public float[] lastProbabilities() {
        return probabilities;
    }

    @Override
    public void close() {
        model.close();
        preparer.close();
    }
}
