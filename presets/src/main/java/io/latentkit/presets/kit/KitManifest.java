package io.latentkit.presets.kit;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;

/**
 * What a kit in the library is made of ({@code kits/NAME/kit.json}): per drum class the chosen
 * instrument (or none), the other instruments of the import that were not chosen (so a performer
 * can swap them in later), where the kit came from, and the warnings of its import. Sample paths
 * are relative to the kit's folder.
 *
 * <p>Immutable records; any thread.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KitManifest(String name, Source source, Map<String, Instrument> pads, List<Instrument> alternates,
        List<String> warnings) {

    /** Where the kit was imported from: {@code hydrogen}, {@code sfz} or {@code folder}. */
    public record Source(String type, String path, String title) {
    }

    /**
     * One playable instrument: velocity layers plus the pad parameters it sets.
     *
     * @param drumClass the class's OSC name
     * @param gain linear pad gain
     * @param pan -1..1
     * @param choke choke group 0..16 (0 = none)
     * @param pitch semitones
     * @param score how well the name and note matched the class (higher is better)
     */
    public record Instrument(String name, @JsonProperty("class") String drumClass, float gain, float pan, int choke,
            float pitch, boolean mute, double score, List<Layer> layers) {
    }

    /**
     * A velocity range (0..1, inclusive) and its round-robin samples. Gain and pitch are baked into
     * the samples when the kit loads.
     */
    public record Layer(float min, float max, float gain, float pitch, List<String> samples) {
    }
}
