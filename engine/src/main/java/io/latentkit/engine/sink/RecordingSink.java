package io.latentkit.engine.sink;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Records a real-time session to a WAV file without file I/O on the render thread: the render
 * thread is paced by a {@link NullSink} and copies each block into a pre-allocated ring of
 * floats; a writer thread drains the ring into a {@link WavFileSink}. If the writer falls more
 * than the ring (ten seconds of audio) behind, frames are dropped and counted, never blocking the
 * render thread.
 *
 * <p>Threading: see {@link AudioSink}; the writer thread is started by {@link #open} and joined by
 * {@link #close}.
 */
public final class RecordingSink implements AudioSink {
    private final NullSink pacing;
    private final WavFileSink file;
    private float[] ring;
    private int mask;
    private final AtomicLong head = new AtomicLong();
    private final AtomicLong tail = new AtomicLong();
    private final AtomicLong droppedFrames = new AtomicLong();
    private volatile boolean running;
    private Thread writer;
    private int blockFrames;
    private volatile Throwable failure;

    public RecordingSink(Path path, int bufferFrames) {
        this.pacing = new NullSink(bufferFrames);
        this.file = new WavFileSink(path);
    }

    @Override
    public void open(int sampleRateHz, int blockFrames) throws AudioSinkException {
        file.open(sampleRateHz, blockFrames);
        pacing.open(sampleRateHz, blockFrames);
        this.blockFrames = blockFrames;
        int size = Integer.highestOneBit(sampleRateHz * 10 * 2) << 1;
        ring = new float[size];
        mask = size - 1;
        running = true;
        writer = new Thread(this::drainLoop, "latentkit-recorder");
        writer.setDaemon(true);
        writer.start();
    }

    @Override
    public void write(float[] interleaved, int frames) {
        int n = 2 * frames;
        long h = head.get();
        if (h + n - tail.get() > ring.length) {
            droppedFrames.addAndGet(frames);
        } else {
            for (int i = 0; i < n; i++) {
                ring[(int) ((h + i) & mask)] = interleaved[i];
            }
            head.lazySet(h + n); // release: the floats above are visible before the new head
        }
        pacing.write(interleaved, frames);
    }

    private void drainLoop() {
        float[] block = new float[2 * blockFrames];
        try {
            while (running || tail.get() < head.get()) {
                long t = tail.get();
                long available = head.get() - t;
                if (available < block.length) {
                    if (!running && available > 0) {
                        // Flush the last partial block at shutdown.
                        int frames = (int) (available / 2);
                        copy(t, block, frames * 2);
                        file.write(block, frames);
                        tail.lazySet(t + frames * 2L);
                        continue;
                    }
                    Thread.onSpinWait();
                    LockSupport.parkNanos(1_000_000L);
                    continue;
                }
                copy(t, block, block.length);
                file.write(block, blockFrames);
                tail.lazySet(t + block.length);
            }
        } catch (RuntimeException e) {
            failure = e;
        }
    }

    private void copy(long from, float[] into, int n) {
        for (int i = 0; i < n; i++) {
            into[i] = ring[(int) ((from + i) & mask)];
        }
    }

    /** Frames dropped because the writer fell behind. */
    public long droppedFrames() {
        return droppedFrames.get();
    }

    @Override
    public long deadlineMisses() {
        return pacing.deadlineMisses();
    }

    @Override
    public String describe() {
        return "wav:" + file.path() + " (recorded in real time, 32-bit float)";
    }

    @Override
    public int latencyFrames() {
        return pacing.latencyFrames();
    }

    @Override
    public void close() {
        running = false;
        if (writer != null) {
            try {
                writer.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        file.close();
        if (failure != null) {
            throw new IllegalStateException("recording to " + file.path() + " failed: " + failure.getMessage(), failure);
        }
    }
}
