package io.latentkit.presets.kit;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.latentkit.core.DrumClass;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a kit in the library is made of ({@code kits/NAME/kit.json}): per drum class the chosen
 * instrument (or none), the other instruments of the import that were not chosen (so a performer
 * can swap them in later), where the kit came from, and the warnings of its import. Sample paths
 * are relative to the kit's folder.
 *
 * <p>An instrument is velocity layers; a layer is alternative strikes, cycled hit by hit or drawn
 * at random; a strike is the parts that sound together (SFZ layers), each a sample file with its
 * own gain, pitch and pan.
 *
 * <p>Immutable records; any thread.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record KitManifest(String name, Source source, Map<String, Instrument> pads, List<Instrument> alternates,
        List<String> warnings) {

    /**
     * A manifest with one instrument per class given (the other pads empty), no alternates and no
     * warnings.
     */
    public static KitManifest of(String name, Source source, Map<DrumClass, Instrument> pads) {
        Map<String, Instrument> byName = new LinkedHashMap<>();
        for (DrumClass c : DrumClass.values()) {
            byName.put(c.oscName(), pads.get(c));
        }
        return new KitManifest(name, source, byName, List.of(), List.of());
    }

    /** The classes that have an instrument, in pad order. */
    @JsonIgnore
    public List<String> filledPads() {
        List<String> l = new ArrayList<>();
        pads.forEach((k, v) -> {
            if (v != null) {
                l.add(k);
            }
        });
        return l;
    }

    /**
     * Where the kit came from.
     *
     * @param type {@code hydrogen}, {@code sfz}, {@code folder}, or what made it (e.g.
     *     {@code extraction})
     * @param path the source file or folder, if there was one
     * @param title the source's own name for the kit
     */
    public record Source(String type, String path, String title) {
    }

    /**
     * One playable instrument: velocity layers plus the pad parameters it sets.
     *
     * @param drumClass the class's OSC name
     * @param gain linear pad gain
     * @param pan -1..1
     * @param choke choke group 0..16 (0 = none): the group its hits belong to
     * @param offBy {@code null} for a symmetric choke (turned off by its own group, its own hits
     *     included); else the group 0..16 whose hits turn it off, never its own hits (SFZ
     *     {@code off_by})
     * @param pitch semitones
     * @param score how well the name and note matched the class (higher is better)
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Instrument(String name, @JsonProperty("class") String drumClass, float gain, float pan, int choke,
            Integer offBy, float pitch, boolean mute, double score, List<Layer> layers) {

        /** An instrument of {@code drumClass} at unity gain, centred, unpitched, with no choke. */
        public static Instrument of(String name, DrumClass drumClass, List<Layer> layers) {
            return new Instrument(name, drumClass.oscName(), 1f, 0f, 0, null, 0f, false, 0.0, List.copyOf(layers));
        }

        /** This instrument at pad gain {@code linear}. */
        public Instrument withGain(float linear) {
            return new Instrument(name, drumClass, linear, pan, choke, offBy, pitch, mute, score, layers);
        }

        /** This instrument at pad pitch {@code semitones}. */
        public Instrument withPitch(float semitones) {
            return new Instrument(name, drumClass, gain, pan, choke, offBy, semitones, mute, score, layers);
        }

        /** This instrument in symmetric choke group {@code group} (0..16). */
        public Instrument withChoke(int group) {
            return new Instrument(name, drumClass, gain, pan, group, offBy, pitch, mute, score, layers);
        }
    }

    /**
     * A velocity range (0..1, inclusive) and its alternative strikes: cycled hit by hit (round
     * robin) or, if {@code random}, drawn by their chances.
     */
    public record Layer(float min, float max, boolean random, List<Strike> strikes) {

        /** Round-robin alternatives of one file each, at unity gain and natural pitch. */
        public static Layer of(float min, float max, List<String> files) {
            return new Layer(min, max, false, files.stream().map(f -> new Strike(null, List.of(Part.of(f)))).toList());
        }
    }

    /**
     * What one hit plays: the parts that sound together.
     *
     * @param chance the relative chance of a random layer's strike (positive); {@code null} in a
     *     cycling layer
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Strike(Float chance, List<Part> parts) {
    }

    /**
     * One sample file of a strike.
     *
     * @param file path relative to the kit's folder, e.g. {@code samples/kick.flac}
     * @param gain linear, baked into the sample when the kit loads
     * @param pitch semitones, baked into the sample when the kit loads
     * @param pan offset added to the pad's pan, -1..1
     */
    public record Part(String file, float gain, float pitch, float pan) {

        /** A file at unity gain, natural pitch, the pad's pan. */
        public static Part of(String file) {
            return new Part(file, 1f, 0f, 0f);
        }
    }
}
