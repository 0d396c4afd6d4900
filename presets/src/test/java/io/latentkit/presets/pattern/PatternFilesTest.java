package io.latentkit.presets.pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.latentkit.core.DrumClass;
import io.latentkit.engine.sequence.Pattern;
import io.latentkit.presets.LibraryException;
import io.latentkit.presets.LibraryFolder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pattern files: versioned JSON in the store, and Standard MIDI Files through javax.sound.midi. */
class PatternFilesTest {
    @TempDir
    Path dir;

    private static Pattern groove() {
        Pattern p = new Pattern().bars(2);
        for (int t = 0; t < 256; t += 16) {
            p.set(DrumClass.HIHAT_CLOSED.pad(), t, 0.6f);
        }
        p.set(DrumClass.KICK.pad(), 0, 1f).set(DrumClass.KICK.pad(), 136, 0.9f);
        p.set(DrumClass.SNARE.pad(), 32, 0.8f).set(DrumClass.SNARE.pad(), 97, 0.5f);
        p.mute(DrumClass.CRASH.pad(), true);
        return p;
    }

    @Test
    void aSavedPatternLoadsBackEqualAndTheOldVersionBecomesTheBackup() throws Exception {
        PatternStore store = new PatternStore(new LibraryFolder(dir));
        store.save("groove", new Pattern().set(0, 0, 1f));
        store.save("groove", groove());
        assertEquals(groove(), store.load("groove"));
        assertEquals(new Pattern().set(0, 0, 1f), PatternCodec.read(Files.readAllBytes(dir.resolve("groove.json.bak")), "bak"));
        assertEquals(List.of("groove"), store.list());
    }

    @Test
    void aPatternWrittenAtAnotherResolutionIsRescaledAndBadOnesAreRefusedWithAReason() throws Exception {
        String at48 = "{\"format\":\"latentkit-pattern\",\"version\":1,\"bars\":1,\"ticksPerBeat\":48,"
                + "\"rows\":[{\"class\":\"snare\",\"hits\":[[48,2.0],[72,0.5]]}]}";
        Pattern p = PatternCodec.read(at48.getBytes(StandardCharsets.UTF_8), "test");
        assertEquals(1f, p.velocity(DrumClass.SNARE.pad(), 32), "tick 48 of 48 is tick 32 of 32; velocity clamped");
        assertEquals(0.5f, p.velocity(DrumClass.SNARE.pad(), 48));
        LibraryException e = assertThrows(LibraryException.class, () -> PatternCodec.read(
                "{\"format\":\"latentkit-pattern\",\"version\":1,\"rows\":[{\"class\":\"cowbell\"}]}"
                        .getBytes(StandardCharsets.UTF_8), "test"));
        assertEquals("pattern: a row's class must be one of the class names, got cowbell", e.reason());
        e = assertThrows(LibraryException.class, () -> PatternCodec.read(
                "{\"format\":\"latentkit-pattern\",\"version\":1,\"rows\":[{\"class\":\"kick\",\"hits\":[[5000,1]]}]}"
                        .getBytes(StandardCharsets.UTF_8), "test"));
        assertTrue(e.reason().contains("outside 16 bars"), e.reason());
        e = assertThrows(LibraryException.class, () -> PatternCodec.read(
                "{\"format\":\"latentkit-pattern\",\"version\":2}".getBytes(StandardCharsets.UTF_8), "pattern 'x'"));
        assertEquals(LibraryException.Kind.NEWER_VERSION, e.kind());
    }

    @Test
    void exportedMidiHasChannelTenGmNotesAndImportsBackToTheSameCells() throws Exception {
        Path mid = dir.resolve("groove.mid");
        Pattern p = groove();
        PatternMidiFile.write(p, 120, mid);
        Sequence seq = MidiSystem.getSequence(mid.toFile());
        assertEquals(Sequence.PPQ, seq.getDivisionType());
        assertEquals(32, seq.getResolution());
        int kicks = 0;
        for (Track t : seq.getTracks()) {
            for (int i = 0; i < t.size(); i++) {
                if (t.get(i).getMessage() instanceof ShortMessage s && s.getCommand() == ShortMessage.NOTE_ON) {
                    assertEquals(9, s.getChannel(), "channel 10");
                    if (s.getData1() == 36) {
                        kicks++;
                    }
                }
            }
        }
        assertEquals(2, kicks, "GM 36 is the kick");
        PatternMidiFile.Imported back = PatternMidiFile.read(mid);
        Pattern expected = groove().mute(DrumClass.CRASH.pad(), false); // SMF carries no mutes
        for (int r = 0; r < Pattern.ROWS; r++) {
            for (int t = 0; t < expected.lengthTicks(); t++) {
                assertEquals(expected.velocity(r, t), back.pattern().velocity(r, t), 0.5f / 127, "row " + r + " tick " + t);
            }
        }
        assertEquals(2, back.pattern().bars());
    }

    @Test
    void aMidiFileAtAnotherResolutionIsQuantisedToTheTickAndForeignNotesAreCounted() throws Exception {
        Sequence seq = new Sequence(Sequence.PPQ, 480);
        Track t = seq.createTrack();
        t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, 9, 38, 100), 480)); // snare, beat 2
        t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, 9, 42, 64), 487)); // hat, 0.47 tick late
        t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, 9, 20, 64), 0)); // no GM drum
        t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, 0, 60, 64), 0)); // a piano on channel 1
        Path mid = dir.resolve("in.mid");
        MidiSystem.write(seq, 0, mid.toFile());
        PatternMidiFile.Imported in = PatternMidiFile.read(mid);
        assertEquals(2, in.notes());
        assertEquals(1, in.skippedNotes());
        assertEquals(100 / 127f, in.pattern().velocity(DrumClass.SNARE.pad(), 32), 1e-6);
        assertEquals(64 / 127f, in.pattern().velocity(DrumClass.HIHAT_CLOSED.pad(), 32), 1e-6);
        Path text = dir.resolve("not.mid");
        Files.writeString(text, "hello");
        LibraryException e = assertThrows(LibraryException.class, () -> PatternMidiFile.read(text));
        assertTrue(e.reason().contains("is not a Standard MIDI File"), e.reason());
    }
}
