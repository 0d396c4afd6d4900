package io.latentkit.engine.sink.fault;

import java.util.concurrent.locks.LockSupport;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.Control;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.Line;
import javax.sound.sampled.LineListener;
import javax.sound.sampled.SourceDataLine;

/**
 * A source line that behaves like a sound card: it starts playing once its buffer is full, plays at
 * the format's frame rate by the wall clock, and {@code write} blocks while the buffer is full. Its
 * mixer's {@link FaultyMixer.Fault} makes writes block for good, throw, or accept nothing.
 */
public final class FaultyLine implements SourceDataLine {
    private final FaultyMixer mixer;
    private final DataLine.Info info;
    private AudioFormat format;
    private int bufferBytes;
    private volatile boolean open;
    private volatile boolean running;
    private long startNanos = -1;
    private volatile long writtenBytes;
    private volatile long nonZeroBytes;

    FaultyLine(FaultyMixer mixer, DataLine.Info info) {
        this.mixer = mixer;
        this.info = info;
    }

    /** Bytes the line accepted. */
    public long writtenBytes() {
        return writtenBytes;
    }

    /** Accepted bytes that were not zero (so, sound). */
    public long nonZeroBytes() {
        return nonZeroBytes;
    }

    @Override
    public void open(AudioFormat f, int bufferSize) {
        this.format = f;
        this.bufferBytes = bufferSize;
        this.open = true;
        mixer.opened(this);
    }

    @Override
    public void open(AudioFormat f) {
        open(f, 4096);
    }

    @Override
    public void open() {
        open(new AudioFormat(48_000, 16, 2, true, false));
    }

    private long playedBytes(long now) {
        if (startNanos < 0) {
            return 0;
        }
        return (long) ((now - startNanos) * 1e-9 * format.getFrameRate()) * format.getFrameSize();
    }

    @Override
    public int write(byte[] b, int off, int len) {
        int done = 0;
        while (done < len) {
            switch (mixer.fault()) {
                case STALL -> {
                    while (open && mixer.fault() == FaultyMixer.Fault.STALL) {
                        LockSupport.parkNanos(1_000_000L);
                    }
                    if (!open) {
                        return done;
                    }
                    continue;
                }
                case THROW -> throw new IllegalStateException("device error");
                case UNPLUGGED -> {
                    return done;
                }
                default -> {
                }
            }
            if (!open) {
                return done;
            }
            long now = System.nanoTime();
            long queued = writtenBytes - playedBytes(now);
            int room = (int) Math.min(len - done, bufferBytes - queued);
            if (room <= 0) {
                LockSupport.parkNanos(500_000L);
                continue;
            }
            for (int i = off + done; i < off + done + room; i++) {
                if (b[i] != 0) {
                    nonZeroBytes++;
                }
            }
            writtenBytes += room;
            done += room;
            if (startNanos < 0 && writtenBytes >= bufferBytes) {
                startNanos = now;
            }
        }
        return done;
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
        return (int) Math.max(0, bufferBytes - (writtenBytes - playedBytes(System.nanoTime())));
    }

    @Override
    public int getFramePosition() {
        return (int) getLongFramePosition();
    }

    @Override
    public long getLongFramePosition() {
        return Math.min(writtenBytes, playedBytes(System.nanoTime())) / format.getFrameSize();
    }

    @Override
    public long getMicrosecondPosition() {
        return (long) (getLongFramePosition() * 1e6 / format.getFrameRate());
    }

    @Override
    public float getLevel() {
        return AudioSystem.NOT_SPECIFIED;
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
}
