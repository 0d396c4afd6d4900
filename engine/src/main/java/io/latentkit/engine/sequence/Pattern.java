package io.latentkit.engine.sequence;

import io.latentkit.core.DrumClass;
import java.util.Arrays;

/**
 * A drum pattern: the twelve pads (rows) over a chain of 1 to {@value #MAX_BARS} bars of 4/4 at
 * {@value #TICKS_PER_BEAT} ticks per beat, a velocity (0..1, 0 = no hit) per cell and a mute per
 * row. Storage always holds {@value #MAX_BARS} bars; {@link #bars()} says how many play, so a
 * chain can be shortened and lengthened again without losing its later bars.
 *
 * <p>Threading: not thread-safe. The render thread owns the sequencer's own patterns; a pattern
 * built elsewhere (loaded, generated) is handed over in a {@code Stage} and only copied from there.
 * Every method but {@link #equals}, {@link #hashCode} and {@link #toString} is allocation-free.
 */
public final class Pattern {
    public static final int ROWS = DrumClass.COUNT;
    public static final int TICKS_PER_BEAT = 32;
    public static final int BEATS_PER_BAR = 4;
    public static final int TICKS_PER_BAR = TICKS_PER_BEAT * BEATS_PER_BAR;
    public static final int MAX_BARS = 16;
    public static final int MAX_TICKS = TICKS_PER_BAR * MAX_BARS;

    private final float[] cells = new float[ROWS * MAX_TICKS];
    private final boolean[] muted = new boolean[ROWS];
    private int bars = 1;

    /** An empty one-bar pattern. */
    public Pattern() {
    }

    /** Bars that play, 1..16. */
    public int bars() {
        return bars;
    }

    /** Ticks that play: {@code bars() * TICKS_PER_BAR}. */
    public int lengthTicks() {
        return bars * TICKS_PER_BAR;
    }

    /** Sets how many bars play (clamped into 1..16); the cells of the others are kept. */
    public Pattern bars(int n) {
        bars = Math.max(1, Math.min(MAX_BARS, n));
        return this;
    }

    /** The velocity of a cell, 0 for none; {@code tick} is 0..{@link #MAX_TICKS}-1. */
    public float velocity(int row, int tick) {
        return cells[row * MAX_TICKS + tick];
    }

    /** Sets a cell (velocity clamped into 0..1; NaN clears it). */
    public Pattern set(int row, int tick, float velocity) {
        float v = velocity > 1f ? 1f : velocity > 0f ? velocity : 0f;
        cells[row * MAX_TICKS + tick] = v;
        return this;
    }

    public boolean muted(int row) {
        return muted[row];
    }

    public Pattern mute(int row, boolean on) {
        muted[row] = on;
        return this;
    }

    /** Clears every cell and mute; the length stays. */
    public void clear() {
        Arrays.fill(cells, 0f);
        Arrays.fill(muted, false);
    }

    /** Makes this an exact copy of {@code o}. */
    public void copyFrom(Pattern o) {
        System.arraycopy(o.cells, 0, cells, 0, cells.length);
        System.arraycopy(o.muted, 0, muted, 0, ROWS);
        bars = o.bars;
    }

    /** Copies bar {@code fromBar} of {@code o} into bar {@code toBar} of this pattern (cells only). */
    public void copyBar(Pattern o, int fromBar, int toBar) {
        for (int r = 0; r < ROWS; r++) {
            System.arraycopy(o.cells, r * MAX_TICKS + fromBar * TICKS_PER_BAR, cells,
                    r * MAX_TICKS + toBar * TICKS_PER_BAR, TICKS_PER_BAR);
        }
    }

    /** Hits in the bars that play. */
    public int hits() {
        int n = 0;
        int len = lengthTicks();
        for (int r = 0; r < ROWS; r++) {
            for (int t = 0; t < len; t++) {
                if (cells[r * MAX_TICKS + t] > 0f) {
                    n++;
                }
            }
        }
        return n;
    }

    /** Same length, mutes and cells in the bars that play. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Pattern p) || p.bars != bars || !Arrays.equals(p.muted, muted)) {
            return false;
        }
        int len = lengthTicks();
        for (int r = 0; r < ROWS; r++) {
            if (!Arrays.equals(cells, r * MAX_TICKS, r * MAX_TICKS + len, p.cells, r * MAX_TICKS, r * MAX_TICKS + len)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = bars;
        int len = lengthTicks();
        for (int r = 0; r < ROWS; r++) {
            for (int t = 0; t < len; t++) {
                h = 31 * h + Float.floatToIntBits(cells[r * MAX_TICKS + t]);
            }
        }
        return 31 * h + Arrays.hashCode(muted);
    }

    @Override
    public String toString() {
        return "Pattern[" + bars + " bar(s), " + hits() + " hits]";
    }
}
