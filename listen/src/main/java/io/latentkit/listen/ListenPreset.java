package io.latentkit.listen;

import io.latentkit.listen.decide.ListenExamples;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * What a preset keeps of listen mode (its {@code listen} extension): the performer's learned
 * examples and the class-to-pad map. Serialises to JSON as it is (Jackson, no annotations).
 *
 * <p>Immutable; any thread.
 *
 * @param examples the learned classes and their examples
 * @param map      explicit class-to-pad mappings
 */
public record ListenPreset(ListenExamples examples, Map<String, Integer> map) {
    public ListenPreset {
        Objects.requireNonNull(examples, "examples");
        map = map == null ? Map.of() : Map.copyOf(map);
    }

    /** The state of {@code controls} now. Any thread. */
    public static ListenPreset of(ListenControls controls) {
        return new ListenPreset(controls.examples(), controls.classMap().mapping());
    }

    /**
     * Puts this state into {@code controls}: the map at once, the examples on the listen thread
     * (or once its models have loaded); the future completes with a one-line summary.
     *
     * @throws IllegalArgumentException for a bad map (nothing changes then)
     */
    public CompletableFuture<String> applyTo(ListenControls controls) {
        controls.classMap().mapping(map);
        return controls.restore(examples);
    }
}
