package io.latentkit.presets.kit.source.sfz;

/**
 * One SFZ region with every opcode this importer reads resolved: its own, inherited from its
 * {@code <group>}, {@code <master>} and {@code <global>}, or the SFZ default; keys already moved by
 * the {@code <control>}'s {@code note_offset} and {@code octave_offset}.
 *
 * @param sample the {@code sample} opcode as written (backslashes turned into slashes)
 * @param defaultPath the {@code <control>} {@code default_path} in force for this region
 * @param lokey lowest key, -1..127 (-1: no key plays it)
 * @param hikey highest key, -1..127
 * @param pitchKeycenter the key at which the sample plays at its own pitch
 * @param pitchKeytrack cents per key away from the key centre
 * @param tune cents
 * @param transpose semitones
 * @param volume dB
 * @param amplitude percent
 * @param pan -100..100
 * @param lovel lowest velocity, 0..127
 * @param hivel highest velocity, 0..127
 * @param group the region's group ({@code group} / {@code polyphony_group})
 * @param offBy the group whose notes turn this region off, or {@code null}
 * @param seqLength round-robin cycle length, 1..
 * @param seqPosition this region's place in the cycle, 1..seqLength
 * @param lorand lowest random draw that plays it, 0..1
 * @param hirand random draws below this play it, 0..1
 * @param trigger what starts the region
 *
 * <p>Immutable; any thread.
 */
record SfzRegion(String sample, String defaultPath, int lokey, int hikey, int pitchKeycenter, double pitchKeytrack,
        double tune, double transpose, double volume, double amplitude, double pan, int lovel, int hivel, long group,
        Long offBy, int seqLength, int seqPosition, double lorand, double hirand, Trigger trigger) {

    /** SFZ {@code trigger} values. */
    enum Trigger {
        ATTACK, RELEASE, FIRST, LEGATO, RELEASE_KEY;

        /** Whether a pad hit (a note with no other held) starts such a region. */
        boolean playsOnHit() {
            return this == ATTACK || this == FIRST;
        }
    }

    /** Whether key {@code k} plays this region. */
    boolean coversKey(int k) {
        return k >= lokey && k <= hikey;
    }

    /** Whether velocity {@code v} (1..127) plays this region. */
    boolean coversVelocity(int v) {
        return v >= lovel && v <= hivel;
    }

    /** Linear gain: {@code volume} in dB times {@code amplitude} in percent. */
    double gain() {
        return Math.pow(10, volume / 20) * (amplitude / 100);
    }

    /** Whether the region takes part in random round robin (a draw range narrower than 0..1). */
    boolean isRandom() {
        return lorand > 0 || hirand < 1;
    }
}
