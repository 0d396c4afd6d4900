package io.latentkit.midi;

import io.latentkit.engine.sequence.Pattern;
import io.latentkit.engine.sequence.SequencerProxy;

/**
 * MIDI transport for the engine's step sequencer: Start plays from the top, Stop stops, Continue
 * resumes, Song Position Pointer moves the position (a sixteenth is eight sequencer ticks), and
 * each clock pulse anchors the sequencer's phase so it follows the clock without drift.
 * With clock in, Start and Continue cue the sequencer and the next pulse starts it (a MIDI
 * follower starts on the clock, not on the transport message); without, they start it at their own
 * frame.
 *
 * <p>Threading: called on MIDI delivery threads; publishes through the proxy, never blocks.
 */
public final class PatternTransport implements MidiTransportListener {
    private static final int TICKS_PER_SIXTEENTH = Pattern.TICKS_PER_BEAT / 4;

    private final SequencerProxy sequencer;
    private final boolean clockIn;

    /** @param clockIn whether MIDI clock in is followed (then pulses start and steer the sequencer) */
    public PatternTransport(SequencerProxy sequencer, boolean clockIn) {
        this.sequencer = sequencer;
        this.clockIn = clockIn;
    }

    @Override
    public void onStart(long frame) {
        if (clockIn) {
            sequencer.cue(true, frame);
        } else {
            sequencer.play(frame);
        }
    }

    @Override
    public void onStop(long frame) {
        sequencer.stop(frame);
    }

    @Override
    public void onContinue(long frame) {
        if (clockIn) {
            sequencer.cue(false, frame);
        } else {
            sequencer.resume(frame);
        }
    }

    @Override
    public void onSongPosition(int sixteenths, long frame) {
        sequencer.songPosition((long) sixteenths * TICKS_PER_SIXTEENTH, frame);
    }

    @Override
    public void onClock(long pulse, long frame) {
        sequencer.clock(pulse, frame);
    }
}
