package io.latentkit.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Random;

/**
 * Model files that are broken on purpose, for the model-failure tests (issue 20), and a copy of the
 * shipped set to break them in. The crafted decoders and classifiers are made by
 * {@code models/training/make_fault_models.py} and carry the shipped models' metadata; the
 * truncated and random files are made here. The shipped models are read from the classpath of the
 * test that calls (the models module's resources), not from this module.
 *
 * <p>Stateless; any thread.
 */
public final class FaultModels {
    /** The four files of a model set, as the models module names them. */
    public static final String[] FILES = {"classifier.onnx", "classifier_short.onnx", "vae_encoder.onnx", "vae_decoder.onnx"};
    /** The decoder that takes a 16-number point (this build feeds 64). */
    public static final String WRONG_INPUT_SHAPE = "wrong_input_shape_decoder.onnx";
    /** The decoder that is finite for z[0] >= -1 and NaN everywhere for z[0] < -1. */
    public static final String NAN = "nan_decoder.onnx";
    /** The decoder that gives nan_decoder's finite sound after eight 256 x 2048 x 2048 matrix products. */
    public static final String SLOW = "slow_decoder.onnx";
    /**
     * The classifier (and its short-window twin) that answers fixed probabilities for dark clips,
     * the load's probe and the warm-up's zeros, and NaN for bright ones (the top 16 mel bands above
     * -2.5 in log-mel: a noise burst, a hi-hat).
     */
    public static final String NAN_CLASSIFIER = "nan_classifier.onnx";
    /** {@link #NAN_CLASSIFIER} with the shipped short-window classifier's metadata. */
    public static final String NAN_SHORT_CLASSIFIER = "nan_classifier_short.onnx";

    private static final String SHIPPED = "/io/latentkit/models/";
    private static final String CRAFTED = "/io/latentkit/testsupport/faultmodels/";

    private FaultModels() {
    }

    /** Copies the shipped models into {@code dir}. */
    public static void copyShipped(Path dir) {
        for (String f : FILES) {
            write(dir.resolve(f), shipped(f));
        }
    }

    /** The bytes of a shipped model file. */
    public static byte[] shipped(String file) {
        return read(SHIPPED + file);
    }

    /** Puts a crafted decoder ({@link #NAN}, {@link #SLOW}, {@link #WRONG_INPUT_SHAPE}) in {@code dir}'s decoder place. */
    public static void crafted(Path dir, String name) {
        write(dir.resolve("vae_decoder.onnx"), read(CRAFTED + name));
    }

    /**
     * Puts the crafted classifiers that call every clip a kick (probability 0.91; finite always) in
     * {@code dir}'s two classifier places: a set that loads, works and extracts other kits.
     */
    public static void kickClassifiers(Path dir) {
        write(dir.resolve("classifier.onnx"), read(CRAFTED + "kick_classifier.onnx"));
        write(dir.resolve("classifier_short.onnx"), read(CRAFTED + "kick_classifier_short.onnx"));
    }

    /** Puts {@link #NAN_CLASSIFIER} and {@link #NAN_SHORT_CLASSIFIER} in {@code dir}'s two classifier places. */
    public static void nanClassifiers(Path dir) {
        write(dir.resolve("classifier.onnx"), read(CRAFTED + NAN_CLASSIFIER));
        write(dir.resolve("classifier_short.onnx"), read(CRAFTED + NAN_SHORT_CLASSIFIER));
    }

    /** Replaces {@code file} in {@code dir} with its shipped bytes cut to {@code fraction} of their length. */
    public static void truncated(Path dir, String file, double fraction) {
        byte[] b = shipped(file);
        write(dir.resolve(file), Arrays.copyOf(b, (int) (b.length * fraction)));
    }

    /** Replaces {@code file} in {@code dir} with {@code n} random bytes (seeded). */
    public static void randomBytes(Path dir, String file, int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        write(dir.resolve(file), b);
    }

    /** Puts the shipped {@code from} file in {@code to}'s place (a model of the wrong kind). */
    public static void swapped(Path dir, String from, String to) {
        write(dir.resolve(to), shipped(from));
    }

    private static byte[] read(String resource) {
        try (InputStream in = FaultModels.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is not on the test classpath");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path p, byte[] b) {
        try {
            Path tmp = p.resolveSibling(p.getFileName() + ".tmp");
            Files.write(tmp, b);
            Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
