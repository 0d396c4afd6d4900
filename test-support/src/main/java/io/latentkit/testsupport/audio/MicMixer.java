package io.latentkit.testsupport.audio;

import java.util.Arrays;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.Control;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.Line;
import javax.sound.sampled.LineListener;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.TargetDataLine;

/**
 * The test capture device, {@value #NAME}: its {@link MicLine} "hears" a signal the test sets with
 * {@link #play} at real-time pace, as a microphone would (16-bit PCM, mono or stereo, at the rate
 * the line is opened with). The test can stall the device or unplug it, and plug it back.
 *
 * <p>Threading: the static controls from any thread; lines as described in {@link MicLine}.
 */
public final class MicMixer implements Mixer {
    public static final String NAME = "latentkit-test-mic";
    static final Mixer.Info INFO = new Mixer.Info(NAME, "latentkit tests", "a microphone that plays a file", "1") {
    };
    static final MicMixer INSTANCE = new MicMixer();

    private static final DataLine.Info LINE_INFO = new DataLine.Info(TargetDataLine.class,
            new AudioFormat[] {
                new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, AudioSystem.NOT_SPECIFIED, 16, 1, 2, AudioSystem.NOT_SPECIFIED, false),
                new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, AudioSystem.NOT_SPECIFIED, 16, 2, 4, AudioSystem.NOT_SPECIFIED, false)},
            32, 1 << 22);

    /** Something else the microphone hears, added to the signal: a speaker in the room (feedback tests). */
    @FunctionalInterface
    public interface Room {
        /** The sound arriving at device frame {@code deviceFrame} of the line (called from its reader's thread). */
        float at(long deviceFrame);
    }

    private volatile float[] signal = new float[0];
    private volatile Room room;
    private volatile boolean plugged = true;
    private volatile MicLine last;
    private volatile int opened;

    /**
     * What the microphone hears, then silence: mono, at the line's rate. A line that is running
     * hears it from now on ({@link MicLine#signalStartFrame()} says from which device frame); a
     * line started later hears it from its start.
     */
    public static void play(float[] mono) {
        INSTANCE.signal = Arrays.copyOf(mono, mono.length);
        MicLine l = INSTANCE.last;
        if (l != null) {
            l.restartSignal();
        }
    }

    static float[] signal() {
        return INSTANCE.signal;
    }

    /** Makes the microphone also hear {@code r} ({@code null}: nothing else), from the next read on. */
    public static void room(Room r) {
        INSTANCE.room = r;
    }

    static Room room() {
        return INSTANCE.room;
    }

    /** Unplugs the device: the open line stops delivering at once and no line can be opened. */
    public static void unplug() {
        INSTANCE.plugged = false;
        MicLine l = INSTANCE.last;
        if (l != null) {
            l.unplugged();
        }
    }

    /** Plugs the device back in: lines can be opened again (they start from the signal's beginning). */
    public static void plugIn() {
        INSTANCE.plugged = true;
    }

    /** Whether the device is plugged in. */
    public static boolean pluggedIn() {
        return INSTANCE.plugged;
    }

    /** The line most recently handed out, or {@code null}. */
    public static MicLine lastLine() {
        return INSTANCE.last;
    }

    /** Lines opened so far. */
    public static int linesOpened() {
        return INSTANCE.opened;
    }

    /** Back to a plugged-in device playing nothing, with no line. */
    public static void reset() {
        unplug();
        INSTANCE.last = null;
        INSTANCE.signal = new float[0];
        INSTANCE.room = null;
        INSTANCE.plugged = true;
    }

    void countOpen() {
        opened++;
    }

    @Override
    public Info getMixerInfo() {
        return INFO;
    }

    @Override
    public Line.Info[] getSourceLineInfo() {
        return new Line.Info[0];
    }

    @Override
    public Line.Info[] getTargetLineInfo() {
        return plugged ? new Line.Info[] {LINE_INFO} : new Line.Info[0];
    }

    @Override
    public Line.Info[] getSourceLineInfo(Line.Info info) {
        return new Line.Info[0];
    }

    @Override
    public Line.Info[] getTargetLineInfo(Line.Info info) {
        return isLineSupported(info) ? getTargetLineInfo() : new Line.Info[0];
    }

    @Override
    public boolean isLineSupported(Line.Info info) {
        return plugged && info.matches(LINE_INFO);
    }

    @Override
    public Line getLine(Line.Info info) throws LineUnavailableException {
        if (!plugged) {
            throw new LineUnavailableException(NAME + " is unplugged");
        }
        if (!info.matches(LINE_INFO)) {
            throw new IllegalArgumentException("unsupported line " + info);
        }
        MicLine line = new MicLine(LINE_INFO, this);
        last = line;
        return line;
    }

    @Override
    public int getMaxLines(Line.Info info) {
        return isLineSupported(info) ? 1 : 0;
    }

    @Override
    public Line[] getSourceLines() {
        return new Line[0];
    }

    @Override
    public Line[] getTargetLines() {
        MicLine l = last;
        return l == null ? new Line[0] : new Line[] {l};
    }

    @Override
    public void synchronize(Line[] lines, boolean maintainSync) {
        throw new IllegalArgumentException("synchronization not supported");
    }

    @Override
    public void unsynchronize(Line[] lines) {
        throw new IllegalArgumentException("synchronization not supported");
    }

    @Override
    public boolean isSynchronizationSupported(Line[] lines, boolean maintainSync) {
        return false;
    }

    @Override
    public Line.Info getLineInfo() {
        return new Line.Info(Mixer.class);
    }

    @Override
    public void open() {
    }

    @Override
    public void close() {
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public Control[] getControls() {
        return new Control[0];
    }

    @Override
    public boolean isControlSupported(Control.Type control) {
        return false;
    }

    @Override
    public Control getControl(Control.Type control) {
        throw new IllegalArgumentException("no controls");
    }

    @Override
    public void addLineListener(LineListener listener) {
    }

    @Override
    public void removeLineListener(LineListener listener) {
    }
}
