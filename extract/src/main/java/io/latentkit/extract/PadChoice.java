package io.latentkit.extract;

import io.latentkit.core.DrumClass;
import java.util.List;

/**
 * What one pad of an extracted kit plays: the chosen hit, the velocity layers (hits of the same
 * drum at other levels, softest first, the chosen one among them) and the alternates (runners-up,
 * kept in the kit off the pad).
 *
 * <p>Immutable (the hits are read-only once the extraction returns); any thread.
 *
 * @param pad the pad
 * @param chosen the pad's sound
 * @param layers velocity layers in order of level, softest first; holds {@code chosen}
 * @param alternates runners-up
 */
public record PadChoice(DrumClass pad, Hit chosen, List<Hit> layers, List<Hit> alternates) {

    /** This choice on another pad (toms ranked by pitch). */
    PadChoice on(DrumClass other) {
        return new PadChoice(other, chosen, layers, alternates);
    }
}
