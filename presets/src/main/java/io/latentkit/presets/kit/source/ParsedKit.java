package io.latentkit.presets.kit.source;

import java.nio.file.Path;
import java.util.List;

/**
 * A kit source as parsed, before any sample is decoded or copied: its instruments with absolute
 * sample paths (each already checked to lie inside the import's root folder), the warnings of
 * parsing (unsupported opcodes, skipped entries), and the samples it refused with the reason.
 *
 * <p>Immutable records; any thread.
 */
public record ParsedKit(String type, String title, List<Instrument> instruments, List<String> warnings,
        List<String> refused) {

    /** A kit that refused no sample by path. */
    public ParsedKit(String type, String title, List<Instrument> instruments, List<String> warnings) {
        this(type, title, instruments, warnings, List.of());
    }

    /**
     * One instrument of the source.
     *
     * @param gmNote the MIDI note the source gives it, or -1 if none is meaningful
     * @param gain linear pad gain
     * @param pan pad pan, -1..1
     * @param choke choke group 0..16 (0 = none): the group its hits belong to
     * @param offBy the group 0..16 whose hits turn it off, never its own hits (SFZ
     *     {@code off_by}); -1 for a symmetric choke (turned off by its own group, itself included)
     * @param pitch pad pitch in semitones
     */
    public record Instrument(String name, int gmNote, float gain, float pan, int choke, int offBy, float pitch,
            boolean mute, List<Layer> layers) {

        /** An instrument with a symmetric choke group. */
        public Instrument(String name, int gmNote, float gain, float pan, int choke, float pitch, boolean mute,
                List<Layer> layers) {
            this(name, gmNote, gain, pan, choke, -1, pitch, mute, layers);
        }
    }

    /**
     * A velocity range 0..1 (inclusive) and its alternative strikes: cycled hit by hit, or drawn at
     * random by their chances.
     */
    public record Layer(float min, float max, boolean random, List<Strike> strikes) {

        /** Every part's sample, strike by strike. */
        public List<Path> samples() {
            return strikes.stream().flatMap(s -> s.parts().stream()).map(Part::sample).toList();
        }

        /** Round-robin alternatives of one sample each, all at one gain (linear) and pitch (semitones). */
        public static Layer roundRobin(float min, float max, float gain, float pitch, List<Path> samples) {
            return new Layer(min, max, false, samples.stream()
                    .map(p -> new Strike(1f, List.of(new Part(p, gain, pitch, 0f)))).toList());
        }
    }

    /**
     * What one hit plays: one or more parts that sound together (SFZ layers).
     *
     * @param chance the share of random draws that pick it (random layers only), 0..1
     */
    public record Strike(float chance, List<Part> parts) {
    }

    /**
     * One sample of a strike.
     *
     * @param gain linear, baked into the sample when the kit loads
     * @param pitch semitones, baked into the sample when the kit loads
     * @param pan offset added to the pad's pan, -1..1
     */
    public record Part(Path sample, float gain, float pitch, float pan) {
    }
}
