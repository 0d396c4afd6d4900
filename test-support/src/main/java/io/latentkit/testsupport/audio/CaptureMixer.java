package io.latentkit.testsupport.audio;

import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.Control;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.Line;
import javax.sound.sampled.LineListener;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.SourceDataLine;

/** The capture device: one {@link CaptureLine} at a time, any PCM format. */
public final class CaptureMixer implements Mixer {
    public static final String NAME = "latentkit-test-capture";
    static final Mixer.Info INFO = new Mixer.Info(NAME, "latentkit tests", "captures what sinks write", "1") {
    };
    static final CaptureMixer INSTANCE = new CaptureMixer();

    private static final DataLine.Info LINE_INFO = new DataLine.Info(SourceDataLine.class,
            new AudioFormat[] {new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, AudioSystem.NOT_SPECIFIED, 16,
                    2, 4, AudioSystem.NOT_SPECIFIED, false)}, 64, 1 << 22);

    private volatile CaptureLine last;

    /** The line most recently handed out. */
    public static CaptureLine lastLine() {
        return INSTANCE.last;
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
        return info.matches(LINE_INFO); // the requested info must match what the device offers
    }

    @Override
    public Line getLine(Line.Info info) {
        if (!isLineSupported(info)) {
            throw new IllegalArgumentException("unsupported line " + info);
        }
        CaptureLine line = new CaptureLine(LINE_INFO);
        last = line;
        return line;
    }

    @Override
    public int getMaxLines(Line.Info info) {
        return isLineSupported(info) ? 1 : 0;
    }

    @Override
    public Line[] getSourceLines() {
        CaptureLine l = last;
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
