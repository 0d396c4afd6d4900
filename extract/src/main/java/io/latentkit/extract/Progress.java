package io.latentkit.extract;

/**
 * Where a long extraction is: the command line draws a bar from it. Called on the extracting
 * thread; implementations must return at once.
 */
@FunctionalInterface
public interface Progress {
    /** Does nothing. */
    Progress NONE = (stage, fraction) -> { };

    /**
     * @param stage what is being done ("onsets", "classify", ...)
     * @param fraction how much of the whole extraction is done, 0..1
     */
    void at(String stage, double fraction);
}
