package io.latentkit.extract;

import java.util.Locale;

/**
 * How hits are found and picked: latentkit's own pipeline, or the Hitloop paper's method as the
 * baseline it is measured against.
 *
 * <p>Immutable; any thread.
 */
public enum ExtractMethod {
    /** Onsets, cuts with rejections, classifier, VAE, clusters (see {@link Extractor}). */
    LATENTKIT,
    /** Hitloop's sliding window and per-class templates (see {@code hitloop.HitloopExtractor}). */
    HITLOOP;

    /** The name on the command line. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
