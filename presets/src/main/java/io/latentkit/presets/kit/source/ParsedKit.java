package io.latentkit.presets.kit.source;

import java.nio.file.Path;
import java.util.List;

/**
 * A kit source as parsed, before any sample is decoded or copied: its instruments with absolute
 * sample paths (each already checked to lie inside the source's folder), and the warnings of
 * parsing (unsupported opcodes, skipped entries).
 *
 * <p>Immutable records; any thread.
 */
public record ParsedKit(String type, String title, List<Instrument> instruments, List<String> warnings) {

    /**
     * One instrument of the source.
     *
     * @param gmNote the MIDI note the source gives it, or -1 if none is meaningful
     * @param gain linear, pan -1..1, choke 0..16, pitch in semitones
     */
    public record Instrument(String name, int gmNote, float gain, float pan, int choke, float pitch, boolean mute,
            List<Layer> layers) {
    }

    /** A velocity range 0..1 with its round-robin samples, gain (linear) and pitch (semitones). */
    public record Layer(float min, float max, float gain, float pitch, List<Path> samples) {
    }
}
