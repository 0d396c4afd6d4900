package io.latentkit.models;

import io.latentkit.core.DrumClass;
import java.nio.FloatBuffer;

/**
 * The twelve-class drum hit classifier: clip preparation, log-mel, ONNX model.
 *
 * <p>Not thread-safe (owns the session buffers and the preparer); confined to the inference worker
 * in the server, or the caller's thread in the CLI.
 */
public final class DrumClassifier implements AutoCloseable {
    /** Resource/file name of the classifier model. */
    public static final String FILE = "classifier.onnx";

    private final OnnxModel model;
    private final ClipPreparer preparer;
    private final float[] logMel;
    private final float[] probabilities = new float[DrumClass.COUNT];

    /** Optional metadata: the classifier reads only this many leading frames of its input. */
    public static final String FRAMES_KEY = "classifier_frames";

    DrumClassifier(OnnxModel model, FeatureSpec spec, int framesUsed) {
        this.model = model;
        this.preparer = new ClipPreparer(spec, framesUsed);
        this.logMel = new float[preparer.logMelSize()];
    }

    static DrumClassifier open(byte[] bytes, int threads, FeatureSpec spec) throws ModelLoadException {
        long[] in = {1, spec.melBands(), spec.clipFrames()};
        OnnxModel m = OnnxModel.open(FILE, bytes, "classifier", in, new long[][] {{1, DrumClass.COUNT}}, threads, spec);
        try {
            return new DrumClassifier(m, spec, framesUsed(m.metadata().get(FRAMES_KEY), spec));
        } catch (ModelLoadException e) {
            m.close();
            throw e;
        } catch (RuntimeException e) {
            // The feature transform could not be made (an invalid latentkit.fft, FFTW failing to plan).
            m.close();
            throw new ModelLoadException(FILE + ": features: " + e.getMessage(), e);
        }
    }

    /** The frames a classifier reads: its {@value #FRAMES_KEY} metadata, or the whole clip without it. */
    static int framesUsed(String value, FeatureSpec spec) throws ModelLoadException {
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
        throw new ModelLoadException(FILE + ": " + FRAMES_KEY + " is '" + value + "', not a frame count in 1.."
                + spec.clipFrames());
    }

    /** Frames of the clip this classifier reads (and the features compute). */
    public int framesUsed() {
        return preparer.framesUsed();
    }

    public OnnxModel model() {
        return model;
    }

    /** Classifies one hit (mono, at the model rate). */
    public Classification classify(float[] samples) throws ModelException {
        return classify(samples, 0, samples.length);
    }

    /** Classifies {@code samples[from, to)} (mono, at the model rate). */
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

    /** Probabilities of the last run, by pad; overwritten by the next. */
    public float[] lastProbabilities() {
        return probabilities;
    }

    @Override
    public void close() {
        model.close();
        preparer.close();
    }
}
