package io.latentkit.models;

/**
 * A model produced NaN or infinity; its answer is discarded and never played or reported.
 *
 * <p>Immutable; any thread.
 */
public final class NonFiniteOutputException extends ModelException {
    private static final long serialVersionUID = 1L;

    public NonFiniteOutputException(String message) {
        super(message);
    }
}
