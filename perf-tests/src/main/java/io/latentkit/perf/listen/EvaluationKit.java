package io.latentkit.perf.listen;

import io.latentkit.models.AudioFiles;
import io.latentkit.models.BadAudioException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sound.midi.InvalidMidiDataException;
import javax.sound.midi.MidiEvent;
import javax.sound.midi.MidiSystem;
import javax.sound.midi.Sequence;
import javax.sound.midi.ShortMessage;
import javax.sound.midi.Track;

/**
 * A drum kit no model was trained or tuned on: the General MIDI percussion of FluidR3 GM (Debian
 * {@code fluid-soundfont-gm}, not one of the training sources), each GM note rendered alone by
 * {@code fluidsynth} at two velocities into one-shots, grouped by latentkit's classes. Used for
 * the evaluation rows of the listen benchmark only.
 *
 * <p>Single-threaded; runs {@code fluidsynth} as a child process.
 */
final class EvaluationKit {
    static final Path SOUNDFONT = Path.of("/usr/share/sounds/sf2/FluidR3_GM.sf2");
    private static final Map<String, int[]> NOTES = new LinkedHashMap<>();

    static {
        NOTES.put("kick", new int[] {35, 36});
        NOTES.put("snare", new int[] {38, 40});
        NOTES.put("rim", new int[] {37});
        NOTES.put("clap", new int[] {39});
        NOTES.put("hihat_closed", new int[] {42, 44});
        NOTES.put("hihat_open", new int[] {46});
        NOTES.put("tom_low", new int[] {41, 43});
        NOTES.put("tom_mid", new int[] {45, 47});
        NOTES.put("tom_high", new int[] {48, 50});
        NOTES.put("crash", new int[] {49, 57});
        NOTES.put("ride", new int[] {51, 59});
        NOTES.put("perc", new int[] {56, 54});
    }

    private EvaluationKit() {
    }

    /** Whether the soundfont and fluidsynth are here. */
    static boolean available() {
        return Files.isReadable(SOUNDFONT) && Files.isExecutable(Path.of("/usr/bin/fluidsynth"));
    }

    /** Renders the kit's one-shots into {@code work} and reads them back (mono, 48 kHz, at most 1.5 s). */
    static DrumTakes.KitSounds load(Path work) throws IOException, InterruptedException, BadAudioException {
        Path dir = Files.createDirectories(work.resolve("fluidr3"));
        Map<String, List<float[]>> byClass = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : NOTES.entrySet()) {
            for (int note : e.getValue()) {
                for (int velocity : new int[] {110, 70}) {
                    Path wav = dir.resolve(note + "-" + velocity + ".wav");
                    if (!Files.exists(wav)) {
                        render(dir, note, velocity, wav);
                    }
                    float[] x = trim(AudioFiles.readMono(wav, DrumTakes.RATE));
                    if (x != null) {
                        byClass.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(x);
                    }
                }
            }
        }
        return new DrumTakes.KitSounds("FluidR3 GM (evaluation)", byClass);
    }

    private static void render(Path dir, int note, int velocity, Path wav) throws IOException, InterruptedException {
        Path mid = dir.resolve(note + "-" + velocity + ".mid");
        try {
            Sequence s = new Sequence(Sequence.PPQ, 480);
            Track t = s.createTrack();
            t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_ON, 9, note, velocity), 0));
            t.add(new MidiEvent(new ShortMessage(ShortMessage.NOTE_OFF, 9, note, 0), 960));
            MidiSystem.write(s, 0, mid.toFile());
        } catch (InvalidMidiDataException e) {
            throw new IOException("MIDI note " + note + ": " + e.getMessage(), e);
        }
        Path tmp = dir.resolve(note + "-" + velocity + ".tmp.wav");
        Process p = new ProcessBuilder("fluidsynth", "-ni", "-q", "-r", "48000", "-F", tmp.toString(),
                SOUNDFONT.toString(), mid.toString()).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || !Files.exists(tmp)) {
            p.destroyForcibly();
            throw new IOException("fluidsynth could not render GM note " + note);
        }
        Files.move(tmp, wav);
    }

    /** The sound from its first sample above -60 dB of its peak, at most 1.5 s with a 20 ms fade; null if silent. */
    private static float[] trim(float[] x) {
        float peak = 0f;
        for (float v : x) {
            peak = Math.max(peak, Math.abs(v));
        }
        if (peak < 1e-3f) {
            return null;
        }
        int from = DrumTakes.leadIn(x);
        float[] y = Arrays.copyOfRange(x, from, Math.min(x.length, from + DrumTakes.RATE * 3 / 2));
        int fade = Math.min(y.length, DrumTakes.RATE / 50);
        for (int i = 0; i < fade; i++) {
            y[y.length - 1 - i] *= i / (float) fade;
        }
        return y;
    }
}
