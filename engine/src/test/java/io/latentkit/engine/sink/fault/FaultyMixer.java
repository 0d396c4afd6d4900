package io.latentkit.engine.sink.fault;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.Control;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.Line;
import javax.sound.sampled.LineListener;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.SourceDataLine;

/** The faulty device: hands out {@link FaultyLine}s that play at wall-clock pace until told to fail. */
public final class FaultyMixer implements Mixer {
    public static final String NAME = "latentkit-test-faulty";
    static final Mixer.Info INFO = new Mixer.Info(NAME, "latentkit tests", "an output that stalls, throws, vanishes", "1") {
    };
    public static final FaultyMixer INSTANCE = new FaultyMixer();

    /** What the device does to writes. */
    public enum Fault {
        /** Plays normally. */
        NONE,
        /** Every write blocks (until the line is closed), as a stalled driver's does. */
        STALL,
        /** Every write throws, as some drivers do when the device errs. */
        THROW,
        /** Unplugged: writes accept nothing and the mixer is no longer listed. */
        UNPLUGGED
    }

    private static final DataLine.Info LINE_INFO = new DataLine.Info(SourceDataLine.class,
            new AudioFormat[] {new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, AudioSystem.NOT_SPECIFIED, 16,
                    2, 4, AudioSystem.NOT_SPECIFIED, false)}, 64, 1 << 22);

    private volatile Fault fault = Fault.NONE;
    private volatile FaultyLine last;
    private volatile int linesOpened;

    private FaultyMixer() {
    }

    /** Sets the fault every line of this device shows from now on. */
    public void fault(Fault f) {
        fault = f;
    }

    Fault fault() {
        return fault;
    }

    boolean present() {
        return fault != Fault.UNPLUGGED;
    }

    /** The line most recently opened. */
    public FaultyLine lastLine() {
        return last;
    }

    /** Lines handed out so far. */
    public int linesOpened() {
        return linesOpened;
    }

    void opened(FaultyLine l) {
        last = l;
        linesOpened++;
    }

    @Override
    public Info getMixerInfo() {
        return INFO;
    }

    @Override
    public Line.Info[] getSourceLineInfo() {
        return new Line.Info[] {LINE_INFO};
    }

    @Override
    public Line.Info[] getTargetLineInfo() {
        return new Line.Info[0];
    }

    @Override
    public Line.Info[] getSourceLineInfo(Line.Info info) {
        return isLineSupported(info) ? getSourceLineInfo() : new Line.Info[0];
    }

    @Override
    public Line.Info[] getTargetLineInfo(Line.Info info) {
        return new Line.Info[0];
    }

    @Override
    public boolean isLineSupported(Line.Info info) {
        return info.matches(LINE_INFO);
    }

    @Override
    public Line getLine(Line.Info info) throws LineUnavailableException {
        if (!present()) {
            throw new LineUnavailableException(NAME + " is unplugged");
        }
        if (!isLineSupported(info)) {
            throw new IllegalArgumentException("unsupported line " + info);
        }
        return new FaultyLine(this, LINE_INFO);
    }

    @Override
    public int getMaxLines(Line.Info info) {
        return isLineSupported(info) ? AudioSystem.NOT_SPECIFIED : 0;
    }

    @Override
    public Line[] getSourceLines() {
        FaultyLine l = last;
        return l == null ? new Line[0] : new Line[] {l};
    }

    @Override
    public Line[] getTargetLines() {
        return new Line[0];
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
