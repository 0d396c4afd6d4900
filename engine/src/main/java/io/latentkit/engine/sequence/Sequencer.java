package io.latentkit.engine.sequence;

import io.latentkit.engine.control.Telemetry;

/**
 * The step sequencer: plays a {@link Pattern} on the render thread, every step on its exact frame.
 * The render agent asks {@link #nextTickFrame()} between the events of a block and calls
 * {@link #fireTick} at each tick's frame, so a step starts at its own sample, interleaved with
 * control events (an event at a tick's frame is applied first: a cell written at that frame sounds).
 *
 * <p>Time: tick {@code k} of the run falls at {@code base + (k - baseTick) * framesPerTick} plus its
 * swing delay, rounded up to a whole frame. A tempo change keeps the tick already due where it is and
 * spaces the ticks after it at the new tempo (it takes effect at the next tick). Swing {@code s}
 * (0..1) delays the second sixteenth of every eighth: a tick at position {@code q} (0..15) inside
 * its eighth is delayed by
 * {@code s/2 * min(q, 16 - q)} ticks, a continuous warp that sends the off-beat sixteenth to 75% of
 * the eighth at {@code s = 1}.
 *
 * <p>MIDI clock: {@link #onClock} anchors song position {@code pulse * 4 / 3} ticks (24 pulses per
 * beat) at a frame; the sequencer moves its phase towards the anchor (fully when more than a tick
 * off, by {@value #CLOCK_GAIN} of the error otherwise), so it follows the clock without drift while
 * the pulses' delivery jitter is smoothed. A tick already played is never played again.
 *
 * <p>Threading: render thread only (or the offline caller's); allocation-free.
 */
public final class Sequencer {
    /** How much of a small phase error one clock pulse corrects. */
    static final double CLOCK_GAIN = 0.25;
    private static final double EPSILON_FRAMES = 1e-6;

    /** Where steps go: the render agent's trigger. */
    public interface Steps {
        /** Starts pad {@code row} at {@code velocity} at {@code frame}. */
        void step(int row, float velocity, long frame);
    }

    private final int sampleRateHz;
    private final Pattern current = new Pattern();
    private final Pattern queued = new Pattern();
    private boolean hasQueued;
    private boolean playing;
    /** Waiting for the first MIDI clock pulse after a MIDI Start or Continue. */
    private boolean cued;
    /** The next tick to play, in the chain (0 .. length - 1). */
    private int position;
    /** The next tick to play, as a song position in ticks since Start (MIDI clock's frame of reference). */
    private long songTick;
    /** Ticks played since the run began: the index of the next one. */
    private long tickIndex;
    private long baseTick;
    private double baseFrame;
    private double framesPerTick;
    private float swing;
    private long nextFrame = Long.MAX_VALUE;
    private long stepsPlayed;

    public Sequencer(int sampleRateHz, float tempoBpm) {
        this.sampleRateHz = sampleRateHz;
        this.framesPerTick = framesPerTick(tempoBpm);
    }

    private double framesPerTick(float bpm) {
        return 60.0 * sampleRateHz / (bpm * (double) Pattern.TICKS_PER_BEAT);
    }

    /** The frame of the next tick to play, or {@link Long#MAX_VALUE} when stopped. */
    public long nextTickFrame() {
        return nextFrame;
    }

    public boolean playing() {
        return playing;
    }

    /** The pattern playing (the render thread's own; read it only on that thread). */
    public Pattern pattern() {
        return current;
    }

    public float swing() {
        return swing;
    }

    /** The next tick to play in the chain. */
    public int position() {
        return position;
    }

    /** Steps started since the sequencer was made. */
    public long stepsPlayed() {
        return stepsPlayed;
    }

    /**
     * Plays the tick due now, at {@code at} (its frame, or later when it was late): the pattern's
     * unmuted cells at this tick, a {@code /pattern/step} report on the beat, then the next tick; at
     * a bar line a queued pattern takes over from its first bar.
     */
    public void fireTick(long at, Steps steps, Telemetry telemetry) {
        Pattern p = current;
        int tick = position;
        for (int row = 0; row < Pattern.ROWS; row++) {
            float v = p.velocity(row, tick);
            if (v > 0f && !p.muted(row)) {
                steps.step(row, v, at);
                stepsPlayed++;
            }
        }
        if (tick % Pattern.TICKS_PER_BEAT == 0) {
            telemetry.publishPatternStep(tick / Pattern.TICKS_PER_BAR, tick % Pattern.TICKS_PER_BAR, at);
        }
        tickIndex++;
        songTick++;
        position = tick + 1;
        if (position % Pattern.TICKS_PER_BAR == 0 && hasQueued) {
            current.copyFrom(queued);
            hasQueued = false;
            position = 0;
        }
        if (position >= current.lengthTicks()) {
            position = 0;
        }
        schedule();
    }

    private double straightFrame(long k) {
        return baseFrame + (k - baseTick) * framesPerTick;
    }

    private void schedule() {
        if (!playing) {
            nextFrame = Long.MAX_VALUE;
            return;
        }
        int q = position % 16;
        double delayTicks = swing * 0.5 * Math.min(q, 16 - q);
        nextFrame = (long) Math.ceil(straightFrame(tickIndex) + delayTicks * framesPerTick - EPSILON_FRAMES);
    }

    // ---------------------------------------------------------------- control, at the event's frame

    /** The tempo is now {@code bpm}: the tick due keeps its place, the ones after it move. */
    public void setTempo(float bpm, long at) {
        double straightNext = straightFrame(tickIndex);
        baseTick = tickIndex;
        baseFrame = straightNext;
        framesPerTick = framesPerTick(bpm);
        schedule();
    }

    /** Plays the chain from its beginning; the first tick falls on {@code at}. */
    public void play(long at) {
        swapQueued();
        position = 0;
        songTick = 0;
        start(at);
    }

    /** Resumes from where it stopped; the next tick falls on {@code at}. */
    public void resume(long at) {
        start(at);
    }

    private void start(long at) {
        playing = true;
        cued = false;
        baseTick = tickIndex;
        baseFrame = at;
        schedule();
    }

    public void stop() {
        playing = false;
        cued = false;
        schedule();
    }

    /**
     * MIDI Start or Continue while MIDI clock is followed: stop, go to the beginning (or stay), and
     * start on the next clock pulse.
     */
    public void cue(boolean fromStart) {
        stop();
        if (fromStart) {
            swapQueued();
            position = 0;
            songTick = 0;
        }
        cued = true;
    }

    /** Song position (MIDI Song Position Pointer, in ticks): the next tick to play. */
    public void songPosition(long ticks) {
        songTick = Math.max(0, ticks);
        position = (int) (songTick % current.lengthTicks());
        schedule();
    }

    /**
     * A MIDI clock pulse: song position {@code pulse} (24 per beat) falls on {@code at}. Starts a cued
     * run, and pulls the phase of a running one towards the clock.
     */
    public void onClock(long pulse, long at) {
        double anchorTick = pulse * (double) Pattern.TICKS_PER_BEAT / 24.0;
        if (cued) {
            // The song position the cue starts from falls where the clock puts it.
            cued = false;
            playing = true;
            baseTick = tickIndex;
            baseFrame = at + (songTick - anchorTick) * framesPerTick;
            schedule();
            return;
        }
        if (!playing) {
            return;
        }
        double target = at + (songTick - anchorTick) * framesPerTick;
        double predicted = straightFrame(tickIndex);
        double error = target - predicted;
        baseTick = tickIndex;
        baseFrame = Math.abs(error) > framesPerTick ? target : predicted + CLOCK_GAIN * error;
        schedule();
    }

    /** Swing 0..1 from the next tick on. */
    public void swing(float s) {
        swing = s > 1f ? 1f : s > 0f ? s : 0f;
        schedule();
    }

    /** Writes one cell of the pattern playing; heard the next time the tick comes round. */
    public void cell(int row, int tick, float velocity) {
        if (row >= 0 && row < Pattern.ROWS && tick >= 0 && tick < Pattern.MAX_TICKS) {
            current.set(row, tick, velocity);
        }
    }

    public void mute(int row, boolean on) {
        if (row >= 0 && row < Pattern.ROWS) {
            current.mute(row, on);
        }
    }

    /** Clears the cells and mutes of the pattern playing. */
    public void clear() {
        current.clear();
    }

    /** Sets the chain's length in bars (1..16); a position past the new end wraps. */
    public void bars(int n) {
        current.bars(n);
        if (position >= current.lengthTicks()) {
            position %= current.lengthTicks();
            schedule();
        }
    }

    /**
     * A whole pattern (a load): while playing it waits for the next bar line and starts from its
     * first bar; stopped, it replaces the pattern at once and the position goes to the start.
     */
    public void load(Pattern p) {
        if (playing) {
            queued.copyFrom(p);
            hasQueued = true;
        } else {
            current.copyFrom(p);
            hasQueued = false;
            position = 0;
            songTick = 0;
        }
    }

    /** One bar from {@code source}'s first bar into bar {@code slot} of the chain (extending it to reach). */
    public void writeBar(Pattern source, int slot) {
        if (slot >= 0 && slot < Pattern.MAX_BARS) {
            current.copyBar(source, 0, slot);
            if (slot >= current.bars()) {
                current.bars(slot + 1);
            }
        }
    }

    /** Whether a loaded pattern waits for the next bar line. */
    public boolean hasQueued() {
        return hasQueued;
    }

    private void swapQueued() {
        if (hasQueued) {
            current.copyFrom(queued);
            hasQueued = false;
        }
    }

    /** Copies the pattern playing (with the edits made to it) into {@code into}. */
    public void copyInto(Pattern into) {
        into.copyFrom(current);
    }

    /** Applies one control event of {@link SequencerProxy} at frame {@code at}. */
    public void onControl(int op, int row, float value, long arg, long at) {
        switch (op) {
            case SequencerProxy.PLAY -> play(at);
            case SequencerProxy.STOP -> stop();
            case SequencerProxy.CONTINUE -> resume(at);
            case SequencerProxy.CUE_START -> cue(true);
            case SequencerProxy.CUE_CONTINUE -> cue(false);
            case SequencerProxy.POSITION -> songPosition(arg);
            case SequencerProxy.CLOCK -> onClock(arg, at);
            case SequencerProxy.CELL -> cell(row, (int) arg, value);
            case SequencerProxy.MUTE -> mute(row, value > 0.5f);
            case SequencerProxy.SWING -> swing(value);
            case SequencerProxy.CLEAR -> clear();
            case SequencerProxy.BARS -> bars((int) arg);
            default -> {
                // Unknown operations cannot be published through SequencerProxy.
            }
        }
    }
}
