package io.latentkit.models;

/**
 * A model is refused without running: its last {@link OnnxModel#BYPASS_AFTER} answers were not
 * finite, so it rests for {@link OnnxModel#bypassRestNanos()} (30 s by default; or until the models are reloaded).
 *
 * <p>Immutable; any thread.
 */
public final class ModelBypassedException extends ModelException {
    private static final long serialVersionUID = 1L;

    public ModelBypassedException(String message) {
        super(message);
    }
}
