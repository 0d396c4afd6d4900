package io.latentkit.presets.pattern;

import io.latentkit.core.DrumClass;
import io.latentkit.engine.sequence.Pattern;
import io.latentkit.presets.LibraryException;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MetaMessage;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiMessage;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;

/**
 * Standard MIDI Files for patterns, through {@code javax.sound.midi}'s own reader and writer: export
 * writes a type-0 file at 32 ticks per quarter note with one note per cell on channel 10, the pad's
 * General MIDI note ({@link DrumClass#gmNote()}) and velocity 1..127, and a tempo; import reads any
 * PPQ file's channel-10 note-ons, maps notes through the GM drum map (notes without a pad are counted
 * and skipped) and ticks to the nearest 32nd of a beat, up to 16 bars of 4/4.
 *
 * <p>Stateless; any thread but the render thread (file I/O).
 */
public final class PatternMidiFile {
    private static final int DRUM_CHANNEL = 9;

    private PatternMidiFile() {
    }

    /** What an import found. */
    public record Imported(Pattern pattern, int notes, int skippedNotes) {
    }

    /** Writes {@code p} at {@code tempoBpm} to {@code out}, atomically (temporary file, then rename). */
    public static void write(Pattern p, double tempoBpm, Path out) throws LibraryException {
        try {
            Sequence seq = new Sequence(Sequence.PPQ, Pattern.TICKS_PER_BEAT);
            Track track = seq.createTrack();
            int microsPerBeat = (int) Math.round(60e6 / tempoBpm);
            track.add(new MidiEvent(new MetaMessage(0x51, new byte[] {(byte) (microsPerBeat >> 16),
                (byte) (microsPerBeat >> 8), (byte) microsPerBeat}, 3), 0));
            for (DrumClass c : DrumClass.values()) {
                for (int t = 0; t < p.lengthTicks(); t++) {
                    float v = p.velocity(c.pad(), t);
                    if (v > 0f) {
                        int vel = Math.max(1, Math.min(127, Math.round(v * 127)));
                        track.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, DRUM_CHANNEL, c.gmNote(), vel), t));
                        track.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_OFF, DRUM_CHANNEL, c.gmNote(), 0), t + 1));
                    }
                }
            }
            track.add(new MidiEvent(new MetaMessage(0x2F, new byte[0], 0), p.lengthTicks()));
            Path abs = out.toAbsolutePath();
            Path tmp = abs.resolveSibling(abs.getFileName() + ".tmp-" + ProcessHandle.current().pid());
            MidiSystem.write(seq, 0, tmp.toFile());
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (InvalidMidiDataException e) {
            throw new IllegalStateException("cannot build a MIDI file: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new LibraryException(LibraryException.Kind.IO, "cannot write " + out + ": " + e.getMessage(), e);
        }
    }

    /** Reads a Standard MIDI File's channel-10 notes as a pattern. */
    public static Imported read(Path in) throws LibraryException {
        Sequence seq;
        try {
            seq = MidiSystem.getSequence(in.toFile());
        } catch (InvalidMidiDataException e) {
            throw new LibraryException(LibraryException.Kind.BAD_INPUT, in + " is not a Standard MIDI File: " + e.getMessage());
        } catch (IOException e) {
            throw new LibraryException(LibraryException.Kind.IO, "cannot read " + in + ": " + e.getMessage(), e);
        }
        if (seq.getDivisionType() != Sequence.PPQ) {
            throw new LibraryException(LibraryException.Kind.BAD_INPUT, in + " counts time in SMPTE frames, not beats");
        }
        int ppq = seq.getResolution();
        Pattern p = new Pattern();
        int notes = 0;
        int skipped = 0;
        long last = 0;
        for (Track track : seq.getTracks()) {
            for (int i = 0; i < track.size(); i++) {
                MidiEvent ev = track.get(i);
                MidiMessage m = ev.getMessage();
                if (!(m instanceof ShortMessage s) || s.getCommand() != ShortMessage.NOTE_ON || s.getData2() == 0
                        || s.getChannel() != DRUM_CHANNEL) {
                    continue;
                }
                long tick = Math.round(ev.getTick() * (double) Pattern.TICKS_PER_BEAT / ppq);
                int pad = DrumClass.padForGmNote(s.getData1());
                if (pad < 0 || tick >= Pattern.MAX_TICKS) {
                    skipped++;
                    continue;
                }
                p.set(pad, (int) tick, Math.max(p.velocity(pad, (int) tick), s.getData2() / 127f));
                last = Math.max(last, tick);
                notes++;
            }
        }
        if (notes == 0) {
            throw new LibraryException(LibraryException.Kind.BAD_INPUT, in + " has no drum notes on channel 10");
        }
        p.bars((int) (last / Pattern.TICKS_PER_BAR) + 1);
        return new Imported(p, notes, skipped);
    }
}
