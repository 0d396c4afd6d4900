package io.latentkit.models;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The loaded models, or the one-line reason they are not available. The server calls
 * {@link #loadDefault()} at start on a loader thread and keeps running without models if it fails;
 * {@code /status} reports {@link #isAvailable()}.
 *
 * <p>Loading is any-thread. The models inside are not thread-safe: hand a {@code Models} to one
 * {@link InferenceWorker} and use them only through it (the CLI, which has no other threads, may
 * call them directly).
 */
public final class Models implements AutoCloseable {
    /** Classpath folder of the shipped models. */
    public static final String RESOURCE_DIR = "/io/latentkit/models/";
    /** Intra-op threads per session: one core for inference leaves the other to the render thread. */
    public static final int DEFAULT_THREADS = 1;

    private final DrumClassifier classifier;
    private final DrumClassifier shortClassifier;
    private final DrumVae vae;
    private final String unavailableReason;
    /** The four files' bytes this set was opened from ({@link #reopen}), or {@code null} when unavailable. */
    private final byte[][] sources;

    private Models(DrumClassifier classifier, DrumClassifier shortClassifier, DrumVae vae, String unavailableReason,
                   byte[][] sources) {
        this.classifier = classifier;
        this.shortClassifier = shortClassifier;
        this.vae = vae;
        this.unavailableReason = unavailableReason;
        this.sources = sources;
    }

    /** The models shipped in this jar; never throws: a failure gives an unavailable instance. */
    public static Models loadDefault() {
        try {
            return loadShipped(DEFAULT_THREADS);
        } catch (ModelLoadException e) {
            return unavailable(e.getMessage());
        }
    }

    /**
     * The models shipped in this jar.
     *
     * @throws ModelLoadException with a one-line reason if any is missing, corrupt or mismatched
     */
    public static Models loadShipped(int intraOpThreads) throws ModelLoadException {
        return load(resource(DrumClassifier.FILE), resource(DrumClassifier.SHORT_FILE),
                resource(DrumVae.ENCODER_FILE), resource(DrumVae.DECODER_FILE), intraOpThreads);
    }

    /**
     * Models from a folder holding {@code classifier.onnx}, {@code classifier_short.onnx},
     * {@code vae_encoder.onnx} and {@code vae_decoder.onnx}.
     *
     * Every file is checked fully before this returns: the ONNX session opens, the metadata matches
     * this build's features, inputs and outputs have the shapes the code feeds and reads, and a probe
     * (a decode of the latent origin through phase reconstruction, its encoding and both
     * classifications of it) gives finite numbers.
     *
     * @throws ModelLoadException with a one-line reason if any is missing, corrupt or mismatched
     */
    public static Models load(Path dir, int intraOpThreads) throws ModelLoadException {
        return load(file(dir.resolve(DrumClassifier.FILE)), file(dir.resolve(DrumClassifier.SHORT_FILE)),
                file(dir.resolve(DrumVae.ENCODER_FILE)), file(dir.resolve(DrumVae.DECODER_FILE)), intraOpThreads);
    }

    /** Like {@link #load(Path, int)}, but a failure gives an unavailable instance carrying the reason. */
    public static Models loadOrUnavailable(Path dir, int intraOpThreads) {
        try {
            return load(dir, intraOpThreads);
        } catch (ModelLoadException e) {
            return unavailable(e.getMessage());
        }
    }

    /** An instance without models, saying why. */
    public static Models unavailable(String reason) {
        return new Models(null, null, null, reason, null);
    }

    private static Models load(byte[] cls, byte[] shortCls, byte[] enc, byte[] dec, int threads)
            throws ModelLoadException {
        if (threads < 1 || threads > 2) {
            throw new IllegalArgumentException("1 or 2 intra-op threads, not " + threads);
        }
        FeatureSpec spec = FeatureSpec.CURRENT;
        DrumClassifier c = DrumClassifier.open(cls, threads, spec);
        DrumClassifier s = null;
        try {
            s = DrumClassifier.openShort(shortCls, threads, spec);
            requireSameTraining(c, s);
            DrumVae v = DrumVae.open(enc, dec, threads, spec);
            Models m = new Models(c, s, v, null, new byte[][] {cls, shortCls, enc, dec});
            try {
                m.probe();
            } catch (ModelException | RuntimeException e) {
                m.close();
                c = null;
                s = null;
                throw new ModelLoadException("the models fail their probe: " + e.getMessage(), e);
            }
            return m;
        } catch (ModelLoadException e) {
            closeAll(c, s);
            throw e;
        } catch (RuntimeException e) {
            closeAll(c, s);
            throw new ModelLoadException("models could not be loaded: " + e, e);
        }
    }

    private static void closeAll(DrumClassifier c, DrumClassifier s) {
        if (c != null) {
            c.close();
        }
        if (s != null) {
            s.close();
        }
    }

    /** One pass through everything the server runs: a decode, its encoding, both classifications. */
    private void probe() throws ModelException {
        float[] sound = vae.decode(new float[vae.latentSize()]);
        vae.encode(sound);
        classifier.classify(sound);
        shortClassifier.classify(sound);
    }

    /**
     * Another set of sessions of exactly these models (the same bytes, checked again as a load
     * checks), for a second thread that needs its own, whatever the files they came from hold now;
     * unavailable with the same reason when this one is.
     *
     * @throws ModelLoadException with a one-line reason if the copy cannot be opened
     */
    public Models reopen(int intraOpThreads) throws ModelLoadException {
        if (unavailableReason != null) {
            return unavailable(unavailableReason);
        }
        return load(sources[0], sources[1], sources[2], sources[3], intraOpThreads);
    }

    /** The four models, for their counters; empty when unavailable. */
    public List<OnnxModel> onnxModels() {
        if (unavailableReason != null) {
            return List.of();
        }
        return List.of(classifier.model(), shortClassifier.model(), vae.encoderModel(), vae.decoderModel());
    }

    /** The version the models carry, or "" when unavailable. */
    public String version() {
        return unavailableReason != null ? "" : vae.decoderModel().metadata().getOrDefault("version", "?");
    }

    private static void requireSameTraining(DrumClassifier a, DrumClassifier b) throws ModelLoadException {
        String da = a.model().metadata().get("training_data_digest");
        String db = b.model().metadata().get("training_data_digest");
        if (!da.equals(db)) {
            throw new ModelLoadException(DrumClassifier.FILE + " and " + DrumClassifier.SHORT_FILE
                    + " were trained on different data");
        }
    }

    private static byte[] resource(String name) throws ModelLoadException {
        try (InputStream in = Models.class.getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) {
                throw new ModelLoadException(name + ": missing from this build's resources");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new ModelLoadException(name + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    private static byte[] file(Path p) throws ModelLoadException {
        try {
            return Files.readAllBytes(p);
        } catch (NoSuchFileException e) {
            throw new ModelLoadException(p.getFileName() + ": missing (looked in " + p.toAbsolutePath().getParent() + ")", e);
        } catch (IOException e) {
            throw new ModelLoadException(p.getFileName() + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    public boolean isAvailable() {
        return unavailableReason == null;
    }

    /** Why the models are not available, or empty when they are. */
    public Optional<String> unavailableReason() {
        return Optional.ofNullable(unavailableReason);
    }

    /** The classifier; throws if models are unavailable. */
    public DrumClassifier classifier() throws ModelLoadException {
        requireAvailable();
        return classifier;
    }

    /**
     * The short-window classifier (decides from the first {@link DrumClassifier#windowSamples()}
     * samples after an onset); throws if models are unavailable.
     */
    public DrumClassifier shortClassifier() throws ModelLoadException {
        requireAvailable();
        return shortClassifier;
    }

    /** The VAE; throws if models are unavailable. */
    public DrumVae vae() throws ModelLoadException {
        requireAvailable();
        return vae;
    }

    public FeatureSpec spec() {
        return FeatureSpec.CURRENT;
    }

    private void requireAvailable() throws ModelLoadException {
        if (unavailableReason != null) {
            throw new ModelLoadException("models unavailable: " + unavailableReason);
        }
    }

    @Override
    public void close() {
        if (classifier != null) {
            classifier.close();
        }
        if (shortClassifier != null) {
            shortClassifier.close();
        }
        if (vae != null) {
            vae.close();
        }
    }
}
