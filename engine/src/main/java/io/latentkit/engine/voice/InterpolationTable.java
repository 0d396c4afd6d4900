package io.latentkit.engine.voice;

/**
 * The weights of 4-point, 3rd-order Lagrange interpolation, tabulated for {@value #PHASES}
 * fractions of a frame: row {@code p} holds the weights of the frames at offsets -1..2 from the
 * read position for the fraction {@code p / PHASES}, and {@link #apply} is the one place that
 * combines a row with four frames, so that the pitched voice and the pre-pitched copies
 * ({@link PitchedCopies}) compute the same floats.
 *
 * <p>Why 4-point Lagrange: against the 4-point Hermite the voice once used it has less aliasing
 * and noise at every ratio and frequency {@code VoiceInterpolationTest} measures (sweep SNR and
 * tone residual), at two thirds of the 6-point Lagrange's memory reads per frame (the voice's loop
 * is bound by them: four weights and four frames per channel instead of six and six). Its
 * pass-band droop is a little more than Hermite's (0.33 against 0.28 dB at 10 kHz); the figures
 * against the 6-point interpolation it replaces are in perf-tests/RESULTS-RT.md.
 *
 * <p>Why a table: the weights are the same for every channel and every voice at the same
 * fraction, and a row read (four floats, 16 bytes, one aligned chunk of a cache line) costs less
 * than the multiplies and adds that form them. The fraction is cut to 1/4,096 of a frame: a timing
 * error under 1/4,096 frame (a constant 1/8,192 on average, which is no more than a delay, plus a
 * jitter of ±1/8,192); for a 1 kHz tone at 48 kHz the jitter is noise near -100 dB. Row 0 is
 * exactly (0, 1, 0, 0), so a voice's first frame is its sample's first frame.
 *
 * <p>Built once at class initialisation, immutable afterwards; any thread.
 */
final class InterpolationTable {
    /** Fraction bits that select a row. */
    static final int PHASE_BITS = 12;
    static final int PHASES = 1 << PHASE_BITS;
    static final int TAPS = 4;
    /** Offset of the first tap from the read position. */
    static final int FIRST_OFFSET = -1;

    /** {@code PHASES} rows of {@code TAPS} weights. */
    static final float[] WEIGHTS = build();

    private InterpolationTable() {
    }

    /** Index of the first weight of the row for a 32.32 fixed-point position (its fraction cut to 12 bits). */
    static int row(long phase) {
        return ((int) phase >>> (32 - PHASE_BITS)) * TAPS;
    }

    /**
     * The interpolated value from the row's weights {@code w0..w3} and the frames {@code d[x..x+3]}
     * (offsets -1..2 of the read position): the one expression, evaluated in this order, that
     * every pitched read uses.
     */
    static float apply(float w0, float w1, float w2, float w3, float[] d, int x) {
        return w0 * d[x] + w1 * d[x + 1] + w2 * d[x + 2] + w3 * d[x + 3];
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
