package io.latentkit.perf.compare;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Receiver;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Soundbank;
import javax.sound.midi.Synthesizer;
import javax.sound.midi.VoiceStatus;
import javax.sound.sampled.AudioFormat;

/**
 * Child program of part 1: the JDK's Gervill ({@code SoftSynthesizer}) renders the {@link Score}
 * offline through {@code AudioSynthesizer.openStream}, reading the stream on this thread, with the
 * fixture SF2 bank, reverb, chorus and automatic gain control off, linear interpolation.
 * Notes are sent time-stamped (stream microseconds) one step ahead of the read position.
 *
 * <p>Usage: {@code OfflineGervill voices=N seconds=S length=L [pitch=SEMITONES] sf2=FILE}. Needs
 * {@code --add-exports java.desktop/com.sun.media.sound=ALL-UNNAMED}.
 */
public final class OfflineGervill {
    private static final double WARMUP_SECONDS = 2.0;

    private OfflineGervill() {
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> a = Child.args(argv);
        int voices = Integer.parseInt(a.get("voices"));
        double seconds = Double.parseDouble(a.get("seconds"));
        double length = Double.parseDouble(a.get("length"));
        double pitch = Double.parseDouble(a.getOrDefault("pitch", "0"));
        // Warm-up: the same score for the first 2 s on a fresh instance in
        // this JVM, discarded, so the timed render measures compiled code as the peers' native code is.
        run(voices, Math.min(WARMUP_SECONDS, seconds), length, pitch, a.get("sf2"));
        Child.result(run(voices, seconds, length, pitch, a.get("sf2")));
    }

    private static Map<String, Object> run(int voices, double seconds, double length, double pitch, String sf2)
            throws Exception {
        int rate = Fixtures.RATE_HZ;
        // The SF2's zones carry the pitch as coarse and fine tuning; a voice lasts the sample
        // length over the pitch ratio.
        Score score = new Score(voices, Math.round(seconds * rate),
                Score.playedFrames((int) Math.round(length * rate), pitch));
        score.checkMidi();
        Synthesizer synth = MidiSystem.getSynthesizer();
        Map<String, Object> info = new HashMap<>();
        info.put("max polyphony", voices + Math.max(16, voices / 16));
        info.put("reverb", false);
        info.put("chorus", false);
        info.put("auto gain control", false);
        info.put("interpolation", "linear");
        info.put("sample rate", (float) rate);
        AudioFormat fmt = new AudioFormat(rate, 16, 2, true, false);
        // AudioSynthesizer is not exported by java.desktop: reach openStream reflectively (the
        // launcher passes --add-exports java.desktop/com.sun.media.sound=ALL-UNNAMED).
        InputStream stream = (InputStream) Class.forName("com.sun.media.sound.AudioSynthesizer")
                .getMethod("openStream", AudioFormat.class, Map.class).invoke(synth, fmt, info);
        Soundbank bank = MidiSystem.getSoundbank(Path.of(sf2).toFile());
        synth.unloadAllInstruments(synth.getDefaultSoundbank());
        if (!synth.loadAllInstruments(bank)) {
            throw new IllegalStateException("Gervill refused the SF2 bank");
        }
        Receiver rx = synth.getReceiver();
        for (int ch = 0; ch < 16; ch++) {
            if (ch != 9) {
                rx.send(new ShortMessage(ShortMessage.PROGRAM_CHANGE, ch, Score.program(ch), 0), 0);
            }
        }
        int stepFrames = Math.max(64, score.lengthFrames() / 8);
        byte[] buf = new byte[stepFrames * 4];
        int slots = score.slots();
        long[] next = new long[slots];
        for (int s = 0; s < slots; s++) {
            next[s] = score.offset(s);
        }
        long self = Thread.currentThread().getId();
        long alloc0 = Child.allocatedBytes(self);
        long cpu0 = Child.cpuNanos();
        long t0 = System.nanoTime();
        long fed = 0;
        long offMicrosBefore = 2000;
        for (long pos = 0; pos < score.frames(); pos += stepFrames) {
            long until = Math.min(score.frames(), pos + 2L * stepFrames);
            for (; fed < until; fed += stepFrames) {
                long end = Math.min(until, fed + stepFrames);
                for (int s = 0; s < slots; s++) {
                    while (next[s] < end) {
                        long us = next[s] * 1_000_000L / rate;
                        int ch = Score.channel(s);
                        int key = Score.key(s);
                        rx.send(new ShortMessage(ShortMessage.NOTE_ON, ch, key, 127), us);
                        rx.send(new ShortMessage(ShortMessage.NOTE_OFF, ch, key, 0),
                                us + score.lengthFrames() * 1_000_000L / rate - offMicrosBefore);
                        next[s] += score.lengthFrames();
                    }
                }
            }
            int want = (int) Math.min(stepFrames, score.frames() - pos) * 4;
            int got = 0;
            while (got < want) {
                int n = stream.read(buf, got, want - got);
                if (n < 0) {
                    throw new IllegalStateException("Gervill stream ended");
                }
                got += n;
            }
        }
        long wall = System.nanoTime() - t0;
        long cpu = Child.cpuNanos() - cpu0;
        long alloc = Child.allocatedBytes(self) - alloc0;
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("wall_ns", wall);
        r.put("cpu_ns", cpu);
        r.put("render_thread_alloc_bytes", alloc);
        r.put("voice_status_active", active(synth));
        stream.close();
        synth.close();
        return r;
    }

    private static int active(Synthesizer synth) {
        int n = 0;
        for (VoiceStatus v : synth.getVoiceStatus()) {
            if (v.active) {
                n++;
            }
        }
        return n;
    }
}
