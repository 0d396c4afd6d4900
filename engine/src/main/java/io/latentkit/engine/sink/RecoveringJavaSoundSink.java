package io.latentkit.engine.sink;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioSystem;
import javax.sound.sampled.DataLine;
import javax.sound.sampled.LineUnavailableException;
import javax.sound.sampled.Mixer;
import javax.sound.sampled.SourceDataLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Java Sound output that survives its device going away: a line whose {@code write} blocks (a
 * stalled driver), throws, or accepts nothing (an unplugged USB interface) is declared lost within
 * {@code max(2 buffers, 100 ms)}; the render thread then carries on at wall-clock pace into nothing
 * (counted in {@link #nullBlocks()}), so the engine, OSC and MIDI keep running; and the device is
 * reopened by the same name with backoff (50 ms doubling to 500 ms), so playback resumes well
 * within 2 s of its return.
 *
 * <p>The render thread never touches the line: it converts each block into a slot of a small ring,
 * and a writer thread ({@code latentkit-audio-out}, one per opened line) writes the slots to the
 * device, whose blocking write paces both. A stalled write strands only that writer thread; the
 * render thread sees the writer make no progress, marks the line lost, and a monitor thread
 * ({@code latentkit-audio-monitor}) abandons it (closing it on a throwaway thread, since closing a
 * stalled driver may block too) and opens a fresh line with a fresh ring and writer.
 *
 * <p><b>No string constant in this class.</b> A thread that asks HotSpot's optimising compiler
 * for a method first interns every string constant of the method's class (see
 * {@link io.latentkit.engine.render.ConstantStrings}, which interns the engine's ahead of time).
 * The render thread runs this class's {@link #write}, so every message, name and log text lives in
 * the nested {@link Keeper} and {@link Line} classes, which only the monitor and writer threads
 * run, and the render path holds no string at all ({@code ConstantStringsTest} keeps it so).
 *
 * <p>Threading: see {@link AudioSink}. {@link #write} allocates nothing, takes no lock and logs
 * nothing; it waits only for ring space (pacing) and never longer than the detection bound. The
 * counters are readable from any thread.
 */
public final class RecoveringJavaSoundSink implements AudioSink {
    private static final long MIN_DETECT_NANOS = 100_000_000L;
    private static final long FIRST_BACKOFF_NANOS = 50_000_000L;
    private static final long MAX_BACKOFF_NANOS = 500_000_000L;
    private static final int RING_BLOCKS = 4;
    /** A reopened line must play this long before its outage counts as over (and a new one is logged). */
    private static final long OUTAGE_OVER_NANOS = 1_000_000_000L;

    private final String deviceName;
    private final int bufferFrames;
    private final Keeper keeper;
    private AudioFormat format;
    private int sampleRateHz;
    private int blockFrames;
    private long detectNanos;
    private volatile Line current;
    private volatile Line lost;
    private volatile boolean closed;
    private volatile String description;

    // Render thread only.
    private boolean pacingNull;
    private long nullStartNanos;
    private long nullFrames;

    private volatile long nullBlocks;
    private volatile long losses;
    private volatile long reopens;
    private volatile long misses;
    private volatile long lostAtNanos;
    private volatile long resumedAtNanos;
    private volatile String lastLoss;

    /**
     * @param deviceName a mixer name (exact, or a unique substring), or {@code null} for the
     *     system's default output
     * @param bufferFrames the device buffer in frames
     */
    public RecoveringJavaSoundSink(String deviceName, int bufferFrames) {
        Keeper.requireBuffer(bufferFrames);
        this.deviceName = deviceName;
        this.bufferFrames = bufferFrames;
        this.keeper = new Keeper();
    }

    /** One opened line, its ring of blocks and its writer thread (which runs {@link #run}). */
    private final class Line implements Runnable {
        final SourceDataLine line;
        final byte[][] slots;
        final int[] lengths;
        /** 1 once the line is lost or abandoned; set once, by whoever saw it first. */
        final AtomicInteger dead = new AtomicInteger();
        volatile long head;
        volatile long tail;
        /** When the write now in progress began, or 0 between writes (a parked writer is not stalled). */
        volatile long writeStartedNanos;
        /** Why the writer lost the line; {@code null} when the render thread saw it stall. */
        volatile String why;
        long framesWritten;
        Thread writer;

        Line(SourceDataLine line, int blockBytes) {
            this.line = line;
            this.slots = new byte[RING_BLOCKS][blockBytes];
            this.lengths = new int[RING_BLOCKS];
        }

        @Override
        public void run() {
            int frameBytes = format.getFrameSize();
            while (dead.get() == 0 && !closed) {
                long t = tail;
                if (t == head) {
                    LockSupport.parkNanos(1_000_000L);
                    continue;
                }
                int slot = (int) (t % RING_BLOCKS);
                int len = lengths[slot];
                int done;
                try {
                    if (framesWritten > 0 && line.getLongFramePosition() >= framesWritten) {
                        misses++;
                    }
                    writeStartedNanos = System.nanoTime();
                    done = line.write(slots[slot], 0, len);
                    writeStartedNanos = 0;
                } catch (RuntimeException e) {
                    lose(this, "write failed: " + e);
                    return;
                }
                if (done < len) {
                    lose(this, "the device took " + done + " of " + len + " bytes (closed or unplugged)");
                    return;
                }
                framesWritten += len / frameBytes;
                tail = t + 1;
            }
        }
    }

    /**
     * The monitor side: opens lines, runs the monitor thread that reopens a lost device with
     * backoff, abandons lost lines and logs. Holds every string this sink uses (see the class
     * comment); the render thread never runs it.
     */
    private final class Keeper {
        private static final Logger LOG = LoggerFactory.getLogger(RecoveringJavaSoundSink.class);
        private static final String STALLED = "write blocked past the detection bound (driver stalled)";
        private Thread monitor;

        Keeper() {
            description = "java sound (not open)";
            lastLoss = "";
        }

        static void requireBuffer(int bufferFrames) {
            if (bufferFrames < 16) {
                throw new IllegalArgumentException("buffer must be at least 16 frames, got " + bufferFrames);
            }
        }

        static String reason(Line l) {
            String why = l.why;
            return why != null ? why : STALLED;
        }

        void start(Line first, int blockFrames) {
            first.writer.start();
            monitor = new Thread(() -> monitor(blockFrames), "latentkit-audio-monitor");
            monitor.setDaemon(true);
            monitor.start();
        }

        void wake() {
            Thread m = monitor;
            if (m != null) {
                LockSupport.unpark(m);
            }
        }

        void join() {
            Thread m = monitor;
            if (m != null) {
                LockSupport.unpark(m);
                try {
                    m.join(2_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        Line openLine(int blockFrames) throws AudioSinkException {
            DataLine.Info wanted = new DataLine.Info(SourceDataLine.class, format);
            SourceDataLine l;
            String name;
            try {
                if (deviceName != null) {
                    Mixer.Info mixer = JavaSoundSink.findMixer(deviceName, wanted);
                    l = (SourceDataLine) AudioSystem.getMixer(mixer).getLine(wanted);
                    name = mixer.getName();
                } else {
                    l = AudioSystem.getSourceDataLine(format);
                    name = "default output";
                }
                l.open(format, bufferFrames * format.getFrameSize());
                l.start();
            } catch (LineUnavailableException | IllegalArgumentException | IllegalStateException | SecurityException e) {
                throw new AudioSinkException("no audio output " + (deviceName == null ? "device" : "'" + deviceName + "'")
                        + " for " + sampleRateHz + " Hz 16-bit stereo: " + e.getMessage(), e);
            }
            description = name + " (java sound, " + l.getBufferSize() / format.getFrameSize()
                    + "-frame buffer, reopened when lost)";
            Line line = new Line(l, blockFrames * format.getFrameSize());
            line.writer = new Thread(line, "latentkit-audio-out");
            line.writer.setDaemon(true);
            return line;
        }

        private void monitor(int blockFrames) {
            long backoff = FIRST_BACKOFF_NANOS;
            // Whether an outage is going on: logged when it starts and when sound is back, once each,
            // however often a still-failing device is reopened and lost again in between.
            boolean outage = false;
            boolean announcedBack = false;
            while (!closed) {
                if (current != null) {
                    if (outage && System.nanoTime() - resumedAtNanos > OUTAGE_OVER_NANOS) {
                        outage = false;
                        backoff = FIRST_BACKOFF_NANOS;
                    }
                    LockSupport.parkNanos(50_000_000L);
                    continue;
                }
                Line gone = lost;
                if (gone != null) {
                    lost = null;
                    lastLoss = reason(gone);
                    abandon(gone);
                    if (outage) {
                        // Lost again soon after reopening (a driver that still stalls): the same
                        // outage; the next try waits longer.
                        LockSupport.parkNanos(backoff);
                        backoff = Math.min(MAX_BACKOFF_NANOS, 2 * backoff);
                    } else {
                        LOG.warn("audio output lost ({}); playing to nothing meanwhile, reopening {}", reason(gone),
                                deviceName == null ? "the default output" : "'" + deviceName + "'");
                        outage = true;
                        announcedBack = false;
                    }
                }
                try {
                    Line fresh = openLine(blockFrames);
                    if (closed) {
                        abandon(fresh);
                        return;
                    }
                    fresh.writer.start();
                    resumedAtNanos = System.nanoTime();
                    current = fresh;
                    reopens++;
                    if (outage && !announcedBack) {
                        LOG.info("audio output back: {}", description);
                        announcedBack = true;
                    }
                } catch (AudioSinkException e) {
                    LockSupport.parkNanos(backoff);
                    backoff = Math.min(MAX_BACKOFF_NANOS, 2 * backoff);
                }
            }
        }

        /** Closes a line that may be stalled inside its driver on a throwaway thread, so nothing waits for it. */
        void abandon(Line l) {
            l.dead.set(1);
            Thread closer = new Thread(() -> {
                try {
                    l.line.stop();
                    l.line.flush();
                    l.line.close();
                } catch (RuntimeException e) {
                    LOG.debug("closing a lost audio line", e);
                }
            }, "latentkit-audio-close");
            closer.setDaemon(true);
            closer.start();
        }
    }

    @Override
    public void open(int sampleRateHz, int blockFrames) throws AudioSinkException {
        this.sampleRateHz = sampleRateHz;
        this.blockFrames = blockFrames;
        this.format = new AudioFormat(sampleRateHz, 16, 2, true, false);
        this.detectNanos = Math.max(MIN_DETECT_NANOS, 2L * bufferFrames * 1_000_000_000L / sampleRateHz);
        Line first = keeper.openLine(blockFrames);
        current = first;
        keeper.start(first, blockFrames);
    }

    /**
     * Marks {@code l} lost (once) and wakes the monitor; any thread, allocation-free. {@code why}
     * is the writer's reason, or {@code null} from the render thread (a stall).
     */
    private void lose(Line l, String why) {
        if (!l.dead.compareAndSet(0, 1)) {
            return;
        }
        l.why = why;
        lostAtNanos = System.nanoTime();
        lost = l;
        if (current == l) {
            current = null;
        }
        losses++;
        keeper.wake();
    }

    @Override
    public void write(float[] interleaved, int frames) {
        Line l = current;
        if (l != null) {
            long h = l.head;
            while (h - l.tail >= RING_BLOCKS && l.dead.get() == 0) {
                long started = l.writeStartedNanos;
                if (started != 0 && System.nanoTime() - started > detectNanos) {
                    lose(l, null);
                    break;
                }
                LockSupport.parkNanos(100_000L);
            }
            if (l.dead.get() == 0) {
                int slot = (int) (h % RING_BLOCKS);
                l.lengths[slot] = convert(interleaved, frames, l.slots[slot]);
                l.head = h + 1;
                LockSupport.unpark(l.writer);
                pacingNull = false;
                return;
            }
        }
        paceIntoNothing(frames);
    }

    /** No device: the block goes nowhere, at the pace a device would take it. */
    private void paceIntoNothing(int frames) {
        nullBlocks++;
        long now = System.nanoTime();
        if (!pacingNull) {
            pacingNull = true;
            nullStartNanos = now;
            nullFrames = 0;
        }
        nullFrames += frames;
        long wakeAt = nullStartNanos + nullFrames * 1_000_000_000L / sampleRateHz;
        long wait;
        while ((wait = wakeAt - System.nanoTime()) > 0) {
            LockSupport.parkNanos(wait);
        }
    }

    private static int convert(float[] interleaved, int frames, byte[] b) {
        final int n = 2 * frames;
        for (int i = 0; i < n; i++) {
            int s = Math.round(interleaved[i] * 32767f);
            if (s > 32767) {
                s = 32767;
            } else if (s < -32768) {
                s = -32768;
            }
            b[2 * i] = (byte) s;
            b[2 * i + 1] = (byte) (s >> 8);
        }
        return 2 * n;
    }

    @Override
    public long deadlineMisses() {
        return misses;
    }

    /** Blocks rendered while no device was there (played into nothing at wall-clock pace). */
    public long nullBlocks() {
        return nullBlocks;
    }

    /** Times the device was lost. */
    public long losses() {
        return losses;
    }

    /** Times a lost device was opened again. */
    public long reopens() {
        return reopens;
    }

    /** Whether a device line is open and being written now. */
    public boolean playing() {
        return current != null;
    }

    /** Why the device was last lost, or "" if it never was. */
    public String lastLoss() {
        Line l = lost;
        return l != null ? Keeper.reason(l) : lastLoss;
    }

    /** {@link System#nanoTime()} when the device was last declared lost (0: never). */
    public long lostAtNanos() {
        return lostAtNanos;
    }

    /** {@link System#nanoTime()} when the device was last reopened (0: never). */
    public long resumedAtNanos() {
        return resumedAtNanos;
    }

    /** The detection bound: {@code max(2 buffers, 100 ms)}. */
    public long detectNanos() {
        return detectNanos;
    }

    @Override
    public String describe() {
        return description;
    }

    /** The device buffer plus the ring of blocks ahead of it. */
    @Override
    public int latencyFrames() {
        return bufferFrames + RING_BLOCKS * blockFrames;
    }

    @Override
    public void close() {
        closed = true;
        keeper.join();
        Line l = current;
        current = null;
        if (l != null) {
            l.dead.set(1);
            LockSupport.unpark(l.writer);
            try {
                l.writer.join(1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            l.line.stop();
            l.line.flush();
            l.line.close();
        }
    }
}
