package io.latentkit.perf.compare;

/**
 * The score every engine plays in the offline comparison: {@code voices / 4} slots, each starting
 * four voices (one note) at once; slot {@code s} starts at frame {@code s * L / slots} and again
 * every {@code L} frames, where {@code L} is the (common) sample length. Since every voice lasts
 * exactly {@code L} frames, exactly {@code voices} voices sound once the first {@code L} frames are
 * past (during the first {@code L} frames the count ramps up, as it would on stage).
 *
 * <p>Voice {@code j} (0..3) of slot {@code s} plays sound {@code (4s + j) % 12}; in MIDI terms slot
 * {@code s} is channel {@link #channel} (15 channels, never the GM drum channel 10) and key
 * {@link #key}, and that channel's program is {@code (s % 15) % 3} (the SF2 preset layering sounds
 * {@code 4p..4p+3}), so every engine plays the same sound on every voice.
 *
 * @param voices voices sounding at once, a multiple of 4, at most 16,384 (the MIDI engines play at
 *     most 7,680: 15 channels x 128 keys x 4; {@link #checkMidi})
 * @param frames frames of audio to render
 * @param lengthFrames how long one voice sounds: the sample length {@code L}, divided by the pitch
 *     ratio when the voices are pitched ({@link #playedFrames})
 */
public record Score(int voices, long frames, int lengthFrames) {
    public Score {
        if (voices < 4 || voices % 4 != 0 || voices > 16_384) {
            throw new IllegalArgumentException("voices must be a multiple of 4 in 4..16384, got " + voices);
        }
    }

    /** Refuses a score too large for 15 MIDI channels of 128 keys (FluidSynth, Gervill). */
    public void checkMidi() {
        if (voices / 4 > 15 * 128) {
            throw new IllegalArgumentException("the MIDI engines play at most 7680 voices, got " + voices);
        }
    }

    /** Pitch ratio of {@code semitones}. */
    public static double ratio(double semitones) {
        return Math.pow(2.0, semitones / 12.0);
    }

    /**
     * Frames a sample of {@code frames} frames sounds when played {@code semitones} up: every
     * engine reads it at the pitch ratio, so a slot is restarted after this many frames.
     */
    public static int playedFrames(int frames, double semitones) {
        return (int) Math.ceil(frames / ratio(semitones));
    }

    public int slots() {
        return voices / 4;
    }

    /** First start frame of slot {@code s}. */
    public long offset(int s) {
        return (long) s * lengthFrames / slots();
    }

    /** Events (notes) in the whole score, for sizing. */
    public long notes() {
        long n = 0;
        for (int s = 0; s < slots(); s++) {
            long o = offset(s);
            if (o < frames) {
                n += (frames - 1 - o) / lengthFrames + 1;
            }
        }
        return n;
    }

    /** Sound of voice {@code j} of slot {@code s}. */
    public static int sound(int s, int j) {
        return (4 * s + j) % 12;
    }

    /** MIDI channel 0..15 of slot {@code s}, skipping 9 (GM drums). */
    public static int channel(int s) {
        int c = s % 15;
        return c < 9 ? c : c + 1;
    }

    /** MIDI key of slot {@code s}. */
    public static int key(int s) {
        return s / 15;
    }

    /** Program of MIDI channel {@code ch} (as set at the start of the score). */
    public static int program(int ch) {
        int c = ch < 9 ? ch : ch - 1;
        return c % 3;
    }

    /** Visits every note in time order. */
    public void forEachNote(NoteVisitor v) {
        for (long base = 0; base < frames; base += lengthFrames) {
            for (int s = 0; s < slots(); s++) {
                long f = base + offset(s);
                if (f < frames) {
                    v.note(s, f);
                }
            }
        }
    }

    /** Receives one note: slot and start frame. */
    @FunctionalInterface
    public interface NoteVisitor {
        void note(int slot, long frame);
    }
}
