package io.latentkit.engine.sequence;

import io.latentkit.engine.control.EngineProxy;

/**
 * The sending side of the sequencer's controls: transport, MIDI clock and song position, and live
 * edits, each one pre-allocated control event through the engine's ring (so every edit lands on its
 * frame, in order with the hits around it, and is in a recorded control log).
 *
 * <p>Threading: any thread; never blocks or allocates. Each method returns {@code false} when the
 * ring was full (counted by the proxy). Arguments out of range throw {@link IllegalArgumentException}.
 */
public final class SequencerProxy {
    public static final int PLAY = 1;
    public static final int STOP = 2;
    public static final int CONTINUE = 3;
    public static final int CUE_START = 4;
    public static final int CUE_CONTINUE = 5;
    public static final int POSITION = 6;
    public static final int CLOCK = 7;
    public static final int CELL = 8;
    public static final int MUTE = 9;
    public static final int SWING = 10;
    public static final int CLEAR = 11;
    public static final int BARS = 12;

    private final EngineProxy proxy;

    public SequencerProxy(EngineProxy proxy) {
        this.proxy = proxy;
    }

    /** Plays the chain from its first bar; the first step at {@code atFrame}. */
    public boolean play(long atFrame) {
        return proxy.sequence(PLAY, 0, 0f, 0L, atFrame);
    }

    public boolean stop(long atFrame) {
        return proxy.sequence(STOP, 0, 0f, 0L, atFrame);
    }

    /** Resumes from the position it stopped at (or a song position set meanwhile). */
    public boolean resume(long atFrame) {
        return proxy.sequence(CONTINUE, 0, 0f, 0L, atFrame);
    }

    /** MIDI Start (or Continue, {@code fromStart} false) under MIDI clock: start on the next pulse. */
    public boolean cue(boolean fromStart, long atFrame) {
        return proxy.sequence(fromStart ? CUE_START : CUE_CONTINUE, 0, 0f, 0L, atFrame);
    }

    /** Song position in ticks (32 per beat). */
    public boolean songPosition(long ticks, long atFrame) {
        if (ticks < 0) {
            throw new IllegalArgumentException("song position must be >= 0, got " + ticks);
        }
        return proxy.sequence(POSITION, 0, 0f, ticks, atFrame);
    }

    /** MIDI clock: song position {@code pulse} (24 per beat since Start) falls on {@code atFrame}. */
    public boolean clock(long pulse, long atFrame) {
        return proxy.sequence(CLOCK, 0, 0f, pulse, atFrame);
    }

    /** Sets cell ({@code row} 0..11, {@code tick} 0..2047) to {@code velocity} 0..1 (0 clears it). */
    public boolean cell(int row, int tick, float velocity, long atFrame) {
        checkRow(row);
        if (tick < 0 || tick >= Pattern.MAX_TICKS) {
            throw new IllegalArgumentException("tick must be 0.." + (Pattern.MAX_TICKS - 1) + ", got " + tick);
        }
        if (!(velocity >= 0f && velocity <= 1f)) {
            throw new IllegalArgumentException("velocity must be 0..1, got " + velocity);
        }
        return proxy.sequence(CELL, row, velocity, tick, atFrame);
    }

    public boolean mute(int row, boolean on, long atFrame) {
        checkRow(row);
        return proxy.sequence(MUTE, row, on ? 1f : 0f, 0L, atFrame);
    }

    /** Swing 0..1. */
    public boolean swing(float amount, long atFrame) {
        if (!(amount >= 0f && amount <= 1f)) {
            throw new IllegalArgumentException("swing must be 0..1, got " + amount);
        }
        return proxy.sequence(SWING, 0, amount, 0L, atFrame);
    }

    public boolean clear(long atFrame) {
        return proxy.sequence(CLEAR, 0, 0f, 0L, atFrame);
    }

    /** Chain length, 1..16 bars. */
    public boolean bars(int bars, long atFrame) {
        if (bars < 1 || bars > Pattern.MAX_BARS) {
            throw new IllegalArgumentException("bars must be 1.." + Pattern.MAX_BARS + ", got " + bars);
        }
        return proxy.sequence(BARS, 0, 0f, bars, atFrame);
    }

    private static void checkRow(int row) {
        if (row < 0 || row >= Pattern.ROWS) {
            throw new IllegalArgumentException("row must be 0.." + (Pattern.ROWS - 1) + ", got " + row);
        }
    }
}
