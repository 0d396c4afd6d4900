package io.latentkit.listen;

import io.latentkit.models.DrumClassifier;
import io.latentkit.models.Models;
import io.latentkit.models.DrumVae;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The models listen mode loads by default: the shipped ones, with the short-window classifier
 * ({@value #SHORT_CLASSIFIER}, from the models issue) in place of {@code classifier.onnx} when the
 * build ships one, so a better classifier for short windows drops in without a code change.
 *
 * <p>Threading: any thread; {@link #load} blocks while it loads (seconds).
 */
public final class ListenModels {
    /** Resource name of the classifier trained for short windows. */
    public static final String SHORT_CLASSIFIER = "classifier_short.onnx";

    private ListenModels() {
    }

    /** The shipped models, with the short classifier where this build has it. Never throws. */
    public static Models load() {
        return load(name -> Models.class.getResourceAsStream(Models.RESOURCE_DIR + name));
    }

    /**
     * As {@link #load()}, reading the model resources through {@code resources} (a name to a
     * stream, or {@code null} when absent). The short classifier and the VAE are put in a private
     * folder that {@link Models#load(Path, int)} reads, then removed.
     */
    static Models load(Function<String, InputStream> resources) {
        try (InputStream shortClassifier = resources.apply(SHORT_CLASSIFIER)) {
            if (shortClassifier == null) {
                return Models.loadDefault();
            }
            Path dir = Files.createTempDirectory("latentkit-listen-models");
            try {
                Files.copy(shortClassifier, dir.resolve(DrumClassifier.FILE));
                for (String vae : new String[] {DrumVae.ENCODER_FILE, DrumVae.DECODER_FILE}) {
                    try (InputStream in = resources.apply(vae)) {
                        if (in == null) {
                            return Models.unavailable(vae + ": missing from this build's resources");
                        }
                        Files.copy(in, dir.resolve(vae));
                    }
                }
                return Models.loadOrUnavailable(dir, Models.DEFAULT_THREADS);
            } finally {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        } catch (IOException | UncheckedIOException e) {
            return Models.unavailable(SHORT_CLASSIFIER + ": cannot be read (" + e.getMessage() + ")");
        }
    }
}
