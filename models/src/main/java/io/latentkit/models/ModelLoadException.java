package io.latentkit.models;

/**
 * A model file is missing, unreadable, not an ONNX model, or made for other features than the ones
 * this build computes (sample rate, FFT size, hop, mel bands, clip length, labels, latent size).
 * The server keeps running without models when it sees one.
 *
 * <p>Immutable; any thread.
 */
public final class ModelLoadException extends ModelException {
    private static final long serialVersionUID = 1L;

    public ModelLoadException(String message) {
        super(message);
    }

    public ModelLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
