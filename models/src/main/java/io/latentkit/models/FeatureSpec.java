package io.latentkit.models;

import java.util.Locale;
import java.util.Map;

/**
 * The feature parameters the models were trained with, as this build computes them (the constants
 * of {@code models/training/features.py}). A model whose metadata disagrees is refused at load.
 *
 * <p>Immutable; any thread.
 */
public record FeatureSpec(int sampleRateHz, int nFft, int hop, int melBands, int clipFrames,
                          int latentSize, float logFloor, float onsetFraction, int prerollSamples,
                          int fadeSamples) {

    /** What this build computes. */
    public static final FeatureSpec CURRENT = new FeatureSpec(48000, 1024, 256, 64, 128, 64, 1e-5f, 0.05f, 64, 2048);

    /** Clip length in samples: {@code clipFrames * hop}. */
    public int clipSamples() {
        return clipFrames * hop;
    }

    public int bins() {
        return nFft / 2 + 1;
    }

    /** The labels string every model must carry: the ten {@link HitClass} labels, in output order. */
    public static String expectedLabels() {
        return HitClass.labelsString();
    }

    /**
     * Checks a model's metadata against this spec.
     *
     * @throws ModelLoadException naming the first field that is missing or differs
     */
    public void check(String model, Map<String, String> meta) throws ModelLoadException {
        requireInt(model, meta, "sample_rate", sampleRateHz);
        requireInt(model, meta, "n_fft", nFft);
        requireInt(model, meta, "hop", hop);
        requireInt(model, meta, "mel_bands", melBands);
        requireInt(model, meta, "clip_frames", clipFrames);
        requireInt(model, meta, "clip_samples", clipSamples());
        requireInt(model, meta, "latent_size", latentSize);
        requireFloat(model, meta, "log_floor", logFloor);
        requireFloat(model, meta, "onset_fraction", onsetFraction);
        requireInt(model, meta, "preroll", prerollSamples);
        requireInt(model, meta, "fade_samples", fadeSamples);
        String labels = meta.get("labels");
        if (!expectedLabels().equals(labels)) {
            throw new ModelLoadException(model + ": labels '" + labels + "' are not latentkit's ten hit classes ("
                    + expectedLabels() + "); models before 2.0 had twelve and need retraining");
        }
        for (String required : new String[] {"training_data_digest", "version"}) {
            if (meta.get(required) == null || meta.get(required).isBlank()) {
                throw new ModelLoadException(model + ": metadata has no " + required);
            }
        }
    }

    private static void requireInt(String model, Map<String, String> meta, String key, int expected)
            throws ModelLoadException {
        String v = meta.get(key);
        if (v == null) {
            throw new ModelLoadException(model + ": metadata has no " + key);
        }
        try {
            if (Integer.parseInt(v.trim()) != expected) {
                throw new ModelLoadException(String.format(Locale.ROOT,
                        "%s: %s is %s but this build computes %d", model, key, v, expected));
            }
        } catch (NumberFormatException e) {
            throw new ModelLoadException(model + ": metadata " + key + " is not a number: " + v, e);
        }
    }

    private static void requireFloat(String model, Map<String, String> meta, String key, float expected)
            throws ModelLoadException {
        String v = meta.get(key);
        if (v == null) {
            throw new ModelLoadException(model + ": metadata has no " + key);
        }
        try {
            float f = Float.parseFloat(v.trim());
            if (Math.abs(f - expected) > 1e-6f * Math.max(1f, Math.abs(expected))) {
                throw new ModelLoadException(String.format(Locale.ROOT,
                        "%s: %s is %s but this build computes %s", model, key, v, expected));
            }
        } catch (NumberFormatException e) {
            throw new ModelLoadException(model + ": metadata " + key + " is not a number: " + v, e);
        }
    }
}
