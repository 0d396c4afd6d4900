package io.latentkit.engine.voice;

/**
 * The weights of 6-point, 5th-order Lagrange interpolation, tabulated for {@value #PHASES}
 * fractions of a frame: row {@code p} holds the weights of the frames at offsets -2..3 from the
 * read position for the fraction {@code p / PHASES}.
 *
 * <p>Why a table: the weights are the same for every channel and every voice at the same
 * fraction, and a row read (six floats, 24 bytes) costs less than the 17 multiplies and adds that
 * form them. The fraction is cut to 1/4,096 of a frame: a timing error under 1/4,096 frame (a
 * constant 1/8,192 on average, which is no more than a delay, plus a jitter of ±1/8,192); for a
 * 1 kHz tone at 48 kHz the jitter is noise near -100 dB, below what the polynomial itself leaves
 * at any but the lowest frequencies ({@code VoiceInterpolationTest} has the measured figures).
 * Row 0 is exactly (0, 0, 1, 0, 0, 0), so a voice's first frame is its sample's first frame.
 *
 * <p>Built once at class initialisation, immutable afterwards; any thread.
 */
final class InterpolationTable {
    /** Fraction bits that select a row. */
    static final int PHASE_BITS = 12;
    static final int PHASES = 1 << PHASE_BITS;
    static final int TAPS = 6;
    /** Offset of the first tap from the read position. */
    static final int FIRST_OFFSET = -2;

    /** {@code PHASES} rows of {@code TAPS} weights. */
    static final float[] WEIGHTS = build();

    private InterpolationTable() {
    }

    /** Index of the first weight of the row for a 32.32 fixed-point position (its fraction cut to 12 bits). */
    static int row(long phase) {
        return ((int) phase >>> (32 - PHASE_BITS)) * TAPS;
    }

    private static float[] build() {
        float[] w = new float[PHASES * TAPS];
        for (int p = 0; p < PHASES; p++) {
            double t = (double) p / PHASES;
            for (int k = 0; k < TAPS; k++) {
                double ok = k + FIRST_OFFSET;
                double weight = 1.0;
                for (int j = 0; j < TAPS; j++) {
                    if (j != k) {
                        double oj = j + FIRST_OFFSET;
                        weight *= (t - oj) / (ok - oj);
                    }
                }
                // At t = 0 the products are exactly 0 and 1 in double, so row 0 is exact.
                w[p * TAPS + k] = (float) weight;
            }
        }
        return w;
    }
}
