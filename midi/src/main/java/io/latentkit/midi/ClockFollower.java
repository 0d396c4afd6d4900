package io.latentkit.midi;

/**
 * Follows MIDI clock in: 24 pulses per quarter note give the tempo; Start, Stop and Continue give
 * the transport state; Song Position Pointer and the pulses counted while running give the song
 * position.
 *
 * <p>The tempo is the least-squares slope of pulse time against pulse number over the last
 * {@link #WINDOW} pulses (two beats). Pulse time is the device's own timestamp where it sends one
 * (a tempo is a ratio of intervals, so the device clock's offset from ours does not matter and its
 * rate differs by parts per million at most), otherwise the arrival. With timestamps it is exact;
 * with arrival times it averages the delivery jitter away (with 1 ms of jitter the slope over two beats is
 * within about 0.15 BPM at 174 BPM), and after a tempo change it is exact again once the window
 * holds only new pulses, two beats later. A new tempo is reported at most every
 * {@link #REPORT_EVERY} pulses (a sixteenth note), and only when it moved by
 * {@link #MIN_CHANGE_BPM} or more.
 *
 * <p>Several devices may send clock; the one heard first is followed until it has been silent
 * for {@link #SOURCE_TIMEOUT_NANOS}, so two clocks never mix.
 *
 * <p>Threading: any device thread; every method is synchronized (clock traffic is 24 to 160
 * messages a second, far below any contention that matters).
 */
final class ClockFollower {
    static final int WINDOW = 48;
    static final int MIN_PULSES = 12;
    static final int REPORT_EVERY = 6;
    static final double MIN_CHANGE_BPM = 0.01;
    static final long SOURCE_TIMEOUT_NANOS = 500_000_000L;
    /** Pulse intervals beyond this (a stopped clock) restart the estimate. */
    static final long MAX_INTERVAL_NANOS = 200_000_000L;

    /** Receives a new tempo estimate. */
    interface TempoSink {
        void tempo(double bpm, long eventNanos);
    }

    private final long[] times = new long[WINDOW];
    private final TempoSink sink;
    private Object source;
    private long lastPulseNanos;
    private long count;
    private long sinceReport;
    private double bpm = Double.NaN;
    private double reportedBpm = Double.NaN;
    private boolean running;
    private long positionPulses;

    ClockFollower(TempoSink sink) {
        this.sink = sink;
    }

    /**
     * A timing clock pulse (0xF8) from {@code from}: {@code eventNanos} is its place on our clock,
     * {@code pulseNanos} the time it is measured by (the device's timestamp in nanoseconds where
     * there is one, else {@code eventNanos}). Returns whether it was followed.
     */
    synchronized boolean pulse(Object from, long eventNanos, long pulseNanos) {
        if (source != from) {
            if (source != null && eventNanos - lastPulseNanos < SOURCE_TIMEOUT_NANOS) {
                return false; // another clock is already being followed
            }
            source = from;
            count = 0;
        }
        if (count > 0) {
            long interval = pulseNanos - times[(int) ((count - 1) % WINDOW)];
            if (interval <= 0 || interval > MAX_INTERVAL_NANOS) {
                count = 0; // the clock stopped, or the device clock restarted
            }
        }
        lastPulseNanos = eventNanos;
        times[(int) (count % WINDOW)] = pulseNanos;
        count++;
        if (running) {
            positionPulses++;
        }
        if (count >= MIN_PULSES) {
            bpm = estimate();
            if (++sinceReport >= REPORT_EVERY
                    && (Double.isNaN(reportedBpm) || Math.abs(bpm - reportedBpm) >= MIN_CHANGE_BPM)) {
                sinceReport = 0;
                reportedBpm = bpm;
                sink.tempo(bpm, eventNanos);
            }
        }
        return true;
    }

    private double estimate() {
        int n = (int) Math.min(count, WINDOW);
        long first = count - n;
        long t0 = times[(int) (first % WINDOW)];
        // Least squares of t (ns, relative to the first pulse) against i = 0..n-1.
        double meanI = (n - 1) / 2.0;
        double sumT = 0;
        for (int i = 0; i < n; i++) {
            sumT += times[(int) ((first + i) % WINDOW)] - t0;
        }
        double meanT = sumT / n;
        double sxy = 0;
        double sxx = 0;
        for (int i = 0; i < n; i++) {
            double dx = i - meanI;
            sxy += dx * (times[(int) ((first + i) % WINDOW)] - t0 - meanT);
            sxx += dx * dx;
        }
        double nanosPerPulse = sxy / sxx;
        return 60e9 / (nanosPerPulse * 24.0);
    }

    synchronized void start() {
        running = true;
        positionPulses = 0;
    }

    synchronized void stop() {
        running = false;
    }

    synchronized void resume() {
        running = true;
    }

    /** The followed tempo in BPM, or NaN before a dozen pulses. */
    synchronized double bpm() {
        return bpm;
    }

    /** Whether the last transport message was Start or Continue. */
    synchronized boolean running() {
        return running;
    }

    /** Song Position Pointer: the song is at {@code sixteenths} MIDI beats (six pulses each). */
    synchronized void songPosition(int sixteenths) {
        positionPulses = 6L * sixteenths;
    }

    /**
     * The song position in clock pulses: 0 at Start, set by Song Position Pointer, one more for
     * every pulse followed while running.
     */
    synchronized long positionPulses() {
        return positionPulses;
    }
}
