package io.latentkit.testsupport.audio;

import java.io.ByteArrayOutputStream;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.Control;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.Line;
import javax.sound.sampled.LineListener;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.SourceDataLine;

/**
 * A source line that keeps every byte written and lets the test decide how far the "device" has
 * played ({@link #playTo}), or make writes come up short ({@link #failWrites}).
 */
public final class CaptureLine implements SourceDataLine {
    private final DataLine.Info info;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();
    private AudioFormat format;
    private int bufferBytes;
    private boolean open;
    private boolean running;
    private volatile long playedFrames;
    private volatile boolean failWrites;

    CaptureLine(DataLine.Info info) {
        this.info = info;
    }

    /** Everything written so far. */
    public synchronized byte[] captured() {
        return captured.toByteArray();
    }

    /** Sets the device's play position (frames played so far). */
    public void playTo(long frames) {
        playedFrames = frames;
    }

    /** Makes every later write accept nothing, as a stopped or closed device does. */
    public void failWrites(boolean fail) {
        failWrites = fail;
    }

    public int requestedBufferBytes() {
        return bufferBytes;
    }

    @Override
    public void open(AudioFormat format, int bufferSize) throws LineUnavailableException {
        this.format = format;
        this.bufferBytes = bufferSize;
        this.open = true;
    }

    @Override
    public void open(AudioFormat format) throws LineUnavailableException {
        open(format, 4096);
    }

    @Override
    public void open() throws LineUnavailableException {
        open(new AudioFormat(48_000, 16, 2, true, false));
    }

    @Override
    public synchronized int write(byte[] b, int off, int len) {
        if (failWrites) {
            return 0;
        }
        captured.write(b, off, len);
        return len;
    }

    @Override
    public void drain() {
    }

    @Override
    public void flush() {
    }

    @Override
    public void start() {
        running = true;
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public boolean isActive() {
        return running;
    }

    @Override
    public AudioFormat getFormat() {
        return format;
    }

    @Override
    public int getBufferSize() {
        return bufferBytes;
    }

    @Override
    public int available() {
        return bufferBytes;
    }

    @Override
    public int getFramePosition() {
        return (int) playedFrames;
    }

    @Override
    public long getLongFramePosition() {
        return playedFrames;
    }

    @Override
    public long getMicrosecondPosition() {
        return format == null ? 0 : (long) (playedFrames * 1e6 / format.getFrameRate());
    }

    @Override
    public float getLevel() {
        return AudioSystemConstants.UNKNOWN_LEVEL;
    }

    @Override
    public Line.Info getLineInfo() {
        return info;
    }

    @Override
    public void close() {
        open = false;
        running = false;
    }

    @Override
    public boolean isOpen() {
        return open;
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

    private static final class AudioSystemConstants {
        static final float UNKNOWN_LEVEL = AudioSystem.NOT_SPECIFIED;
    }
}
