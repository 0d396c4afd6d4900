package io.latentkit.perf.compare;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;

/**
 * The {@link Score} as a Standard MIDI File for FluidSynth (type 0, 1 ms per tick: tempo 1,000,000
 * us per quarter, 1,000 ticks per quarter). Programs are set at tick 0; each note is released 2 ms
 * before its sample ends (the SF2 default release is 1 ms), so a slot's next note never meets a
 * sounding note on the same key.
 *
 * <p>Threading: static methods, any thread.
 */
public final class MidiScore {
    private MidiScore() {
    }

    /** Writes the score for an engine at {@code rateHz}. */
    public static void write(Path file, Score score, int rateHz) throws IOException {
        score.checkMidi();
        ByteArrayOutputStream t = new ByteArrayOutputStream();
        long[] last = {0};
        // Tempo: 1 s per quarter note, so one tick (1/1000 quarter) is 1 ms.
        varlen(t, 0);
        t.write(new byte[] {(byte) 0xFF, 0x51, 3, 0x0F, 0x42, 0x40}, 0, 6);
        for (int ch = 0; ch < 16; ch++) {
            if (ch == 9) {
                continue;
            }
            varlen(t, 0);
            t.write(0xC0 | ch);
            t.write(Score.program(ch));
        }
        long lengthMs = Math.round(score.lengthFrames() * 1000.0 / rateHz);
        // Note-offs are kept in a small queue ordered by time: the score is in time order, and every
        // note has the same length, so offs come out in the order the notes went in.
        ArrayDeque<long[]> offs = new ArrayDeque<>();
        score.forEachNote((s, frame) -> {
            long ms = Math.round(frame * 1000.0 / rateHz);
            while (!offs.isEmpty() && offs.peekFirst()[0] <= ms) {
                long[] off = offs.pollFirst();
                event(t, last, off[0], 0x80 | (int) off[1], (int) off[2], 0);
            }
            event(t, last, ms, 0x90 | Score.channel(s), Score.key(s), 127);
            offs.addLast(new long[] {ms + lengthMs - 2, Score.channel(s), Score.key(s)});
        });
        long endMs = Math.round(score.frames() * 1000.0 / rateHz);
        while (!offs.isEmpty() && offs.peekFirst()[0] <= endMs) {
            long[] off = offs.pollFirst();
            event(t, last, off[0], 0x80 | (int) off[1], (int) off[2], 0);
        }
        varlen(t, endMs - last[0]);
        t.write(new byte[] {(byte) 0xFF, 0x2F, 0}, 0, 3);
        byte[] track = t.toByteArray();
        ByteArrayOutputStream f = new ByteArrayOutputStream();
        f.write(new byte[] {'M', 'T', 'h', 'd', 0, 0, 0, 6, 0, 0, 0, 1, (byte) (1000 >> 8), (byte) (1000 & 0xFF)});
        f.write(new byte[] {'M', 'T', 'r', 'k'});
        f.write(new byte[] {(byte) (track.length >>> 24), (byte) (track.length >>> 16), (byte) (track.length >>> 8),
            (byte) track.length});
        f.write(track);
        Files.write(file, f.toByteArray());
    }

    private static void event(ByteArrayOutputStream t, long[] last, long ms, int status, int d1, int d2) {
        varlen(t, ms - last[0]);
        last[0] = ms;
        t.write(status);
        t.write(d1);
        t.write(d2);
    }

    private static void varlen(ByteArrayOutputStream o, long v) {
        if (v < 0) {
            throw new IllegalStateException("MIDI events out of order");
        }
        int buf = (int) (v & 0x7F);
        while ((v >>= 7) > 0) {
            buf <<= 8;
            buf |= (int) ((v & 0x7F) | 0x80);
        }
        while (true) {
            o.write(buf & 0xFF);
            if ((buf & 0x80) != 0) {
                buf >>>= 8;
            } else {
                break;
            }
        }
    }
}
