package io.latentkit.testsupport.audio;

import java.util.concurrent.locks.LockSupport;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.Control;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.Line;
import javax.sound.sampled.LineListener;
import javax.sound.sampled.TargetDataLine;

/**
 * A capture line that behaves like a sound card's: from {@link #start()} on, device frame {@code n}
 * is captured at {@code start + n / rate} and holds sample {@code n - signalStartFrame()} of the
 * {@link MicMixer}'s signal (silence before and after it). {@link #read} blocks until the frames asked for have been
 * captured. The device buffer is the size the line was opened with; a reader that falls further
 * behind than that loses the oldest frames (an overrun), as a real device does.
 *
 * <p>{@link #stall(long)} freezes delivery for a while (a driver hiccup); unplugging ends delivery at
 * once: a blocked read returns what it has, later reads return 0.
 *
 * <p>Threading: one reader thread; {@link #stall}, {@link #close} and unplugging from any thread.
 */
public final class MicLine implements TargetDataLine {
    private final DataLine.Info info;
    private final MicMixer mixer;
    private AudioFormat format;
    private int bufferFrames;
    private volatile boolean open;
    private volatile boolean running;
    private volatile boolean gone;
    private volatile long startNanos;
    private volatile long stallUntilNanos;
    private long position;
    private volatile long lostFrames;
    private volatile long signalStart;
    private volatile Error failNextRead;

    MicLine(DataLine.Info info, MicMixer mixer) {
        this.info = info;
        this.mixer = mixer;
    }

    /** Delivers nothing for {@code millis} from now; frames captured meanwhile wait in the buffer or are lost. */
    public void stall(long millis) {
        stallUntilNanos = System.nanoTime() + millis * 1_000_000L;
    }

    /** The next {@link #read} throws {@code e} (a driver whose class fails to link, say); later reads work. */
    public void failNextRead(Error e) {
        failNextRead = e;
    }

    /** Device frame at which the mixer's signal starts (0, or when {@link MicMixer#play} was called while running). */
    public long signalStartFrame() {
        return signalStart;
    }

    void restartSignal() {
        if (running && format != null) {
            signalStart = (long) ((System.nanoTime() - startNanos) * format.getFrameRate() / 1e9);
        }
    }

    /** Frames lost to overruns so far. */
    public long lostFrames() {
        return lostFrames;
    }

    /** {@link System#nanoTime()} at which device frame 0 was captured. */
    public long startNanos() {
        return startNanos;
    }

    void unplugged() {
        gone = true;
    }

    @Override
    public void open(AudioFormat f, int bufferSize) {
        this.format = f;
        this.bufferFrames = Math.max(32, bufferSize / f.getFrameSize());
        this.open = true;
        mixer.countOpen();
    }

    @Override
    public void open(AudioFormat f) {
        open(f, (int) f.getFrameRate() / 10 * f.getFrameSize());
    }

    @Override
    public void open() {
        open(new AudioFormat(48_000, 16, 1, true, false));
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (!open || gone || format == null) {
            return 0;
        }
        Error e = failNextRead;
        if (e != null) {
            failNextRead = null;
            throw e;
        }
        final int frameBytes = format.getFrameSize();
        final int frames = len / frameBytes;
        final double rate = format.getFrameRate();
        long end = position + frames;
        while (true) {
            if (gone || !open) {
                return 0;
            }
            long now = System.nanoTime();
            long captured = (long) ((now - startNanos) * rate / 1e9);
            if (now >= stallUntilNanos && captured >= end) {
                if (captured - position > bufferFrames) {
                    // Overrun: the device kept only its newest buffer's worth.
                    long skip = captured - bufferFrames - position;
                    lostFrames += skip;
                    position += skip;
                    end = position + frames;
                    if (captured < end) {
                        continue;
                    }
                }
                break;
            }
            long waitNanos = now < stallUntilNanos ? stallUntilNanos - now
                    : (long) ((end - captured) * 1e9 / rate) + 1;
            LockSupport.parkNanos(Math.min(waitNanos, 5_000_000L));
        }
        float[] s = MicMixer.signal();
        int channels = format.getChannels();
        final long s0 = signalStart;
        final MicMixer.Room room = MicMixer.room();
        for (int i = 0; i < frames; i++) {
            long p = position + i - s0;
            float v = p >= 0 && p < s.length ? s[(int) p] : 0f;
            if (room != null) {
                v += room.at(position + i);
            }
            int q = Math.max(-32768, Math.min(32767, Math.round(v * 32767f)));
            for (int c = 0; c < channels; c++) {
                int at = off + i * frameBytes + 2 * c;
                b[at] = (byte) q;
                b[at + 1] = (byte) (q >> 8);
            }
        }
        position = end;
        return frames * frameBytes;
    }

    @Override
    public void drain() {
    }

    @Override
    public void flush() {
    }

    @Override
    public void start() {
        if (!running) {
            startNanos = System.nanoTime();
            position = 0;
            signalStart = 0;
            running = true;
        }
    }

    @Override
    public void stop() {
        running = false;
    }

    @Override
    public boolean isRunning() {
        return running && !gone;
    }

    @Override
    public boolean isActive() {
        return running && !gone;
    }

    @Override
    public AudioFormat getFormat() {
        return format;
    }

    @Override
    public int getBufferSize() {
        return format == null ? 0 : bufferFrames * format.getFrameSize();
    }

    @Override
    public int available() {
        if (format == null || !running) {
            return 0;
        }
        long captured = (long) ((System.nanoTime() - startNanos) * format.getFrameRate() / 1e9);
        return (int) Math.min(bufferFrames, Math.max(0, captured - position)) * format.getFrameSize();
    }

    @Override
    public int getFramePosition() {
        return (int) position;
    }

    @Override
    public long getLongFramePosition() {
        return position;
    }

    @Override
    public long getMicrosecondPosition() {
        return format == null ? 0 : (long) (position * 1e6 / format.getFrameRate());
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
