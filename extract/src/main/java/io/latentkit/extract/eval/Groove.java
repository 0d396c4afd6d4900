package io.latentkit.extract.eval;

import io.latentkit.core.DrumClass;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * A drum groove with known hits, to render and extract from: a rock/funk pattern on a 16th-note
 * grid (kick on 1 and 3 with pick-ups, snare on 2 and 4 with ghosts, closed hats on 8ths, an open
 * hat before the bar line, a crash every four bars, a ride section, tom fills, claps, rims and
 * percussion between the beats), velocities drawn at random, with a share of flams (a second
 * hit {@value #FLAM_MS_MIN}..{@value #FLAM_MS_MAX} ms after another: overlaps the extraction must
 * notice). Only the classes a kit has are played.
 *
 * <p>Immutable; any thread.
 *
 * @param bpm tempo
 * @param notes the hits, in time order
 */
public record Groove(double bpm, List<Note> notes) {
    static final int FLAM_MS_MIN = 8;
    static final int FLAM_MS_MAX = 25;

    /**
     * One hit of the score.
     *
     * <p>Immutable; any thread.
     *
     * @param frame where its sample starts, at the render rate
     * @param drumClass its pad
     * @param velocity 0..1
     */
    public record Note(long frame, DrumClass drumClass, float velocity) {
    }

    /**
     * A groove of {@code bars} bars at {@code bpm}.
     *
     * @param flams share of hits followed by a flam
     * @param classes the classes the kit can play
     */
    public static Groove generate(long seed, double bpm, int bars, double flams, Set<DrumClass> classes, int rateHz) {
        Random rnd = new Random(seed);
        double stepFrames = rateHz * 60.0 / bpm / 4;
        List<Note> notes = new ArrayList<>();
        long lead = rateHz / 4;
        for (int bar = 0; bar < bars; bar++) {
            boolean fill = bar % 4 == 3;
            boolean ride = bar % 8 >= 4;
            for (int step = 0; step < 16; step++) {
                long f = lead + Math.round((bar * 16 + step) * stepFrames);
                List<DrumClass> at = new ArrayList<>();
                if (step == 0 && bar % 4 == 0) {
                    at.add(DrumClass.CRASH);
                }
                if (step == 0 || step == 8 || (step == 10 && rnd.nextDouble() < 0.5) || (step == 6 && rnd.nextDouble() < 0.25)) {
                    at.add(DrumClass.KICK);
                }
                if (step == 4 || step == 12) {
                    at.add(DrumClass.SNARE);
                } else if (step % 2 == 1 && rnd.nextDouble() < 0.06) {
                    at.add(DrumClass.SNARE);
                }
                if (fill && step >= 8) {
                    if (rnd.nextDouble() < 0.7) {
                        at.add(step < 11 ? DrumClass.TOM_HIGH : step < 14 ? DrumClass.TOM_MID : DrumClass.TOM_LOW);
                    }
                } else if (step % 2 == 0 && rnd.nextDouble() < 0.9) {
                    at.add(ride ? DrumClass.RIDE : step == 14 && rnd.nextDouble() < 0.4 ? DrumClass.HIHAT_OPEN
                            : DrumClass.HIHAT_CLOSED);
                }
                if (step % 2 == 1 && at.isEmpty()) {
                    double r = rnd.nextDouble();
                    if (r < 0.10) {
                        at.add(DrumClass.CLAP);
                    } else if (r < 0.20) {
                        at.add(DrumClass.RIM);
                    } else if (r < 0.30) {
                        at.add(DrumClass.PERC);
                    } else if (r < 0.36) {
                        at.add(DrumClass.HIHAT_CLOSED);
                    }
                }
                for (DrumClass c : at) {
                    if (!classes.contains(c)) {
                        continue;
                    }
                    float v = (float) (0.55 + 0.45 * rnd.nextDouble());
                    notes.add(new Note(f, c, v));
                    if (rnd.nextDouble() < flams) {
                        long flam = Math.round((FLAM_MS_MIN + rnd.nextDouble() * (FLAM_MS_MAX - FLAM_MS_MIN)) * rateHz / 1000);
                        notes.add(new Note(f + flam, c, v * 0.8f));
                    }
                }
            }
        }
        notes.sort(Comparator.comparingLong(Note::frame));
        return new Groove(bpm, List.copyOf(notes));
    }

    /** Frames the groove lasts, with a second of tail. */
    public long frames(int rateHz) {
        return notes.isEmpty() ? rateHz : notes.get(notes.size() - 1).frame() + rateHz;
    }
}
