package io.latentkit.engine.render;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * What the engine reports: deadline misses, late events, drops, voices, render load. The render
 * thread publishes its counts once per block with volatile writes (it is their single writer);
 * any thread reads them. Render time per block is recorded into an HdrHistogram
 * {@link SingleWriterRecorder}, whose record path is wait-free and allocation-free; readers take
 * interval histograms off the render thread.
 *
 * <p>Threading: {@code publish*} and {@link #recordRenderNanos} on the render thread only; getters
 * on any thread.
 */
public final class EngineCounters {
    /** The largest render time recorded; longer blocks are recorded as this (one minute). */
    private static final long MAX_RECORDED_NANOS = 60_000_000_000L;

    private final SingleWriterRecorder renderNanos = new SingleWriterRecorder(1, MAX_RECORDED_NANOS, 3);
    private final int sampleRateHz;
    private volatile long framePosition;
    private volatile long blocksRendered;
    private volatile long deadlineMisses;
    private volatile long overBudgetBlocks;
    private volatile long lateEvents;
    private volatile long schedulerFull;
    private volatile long beyondHorizon;
    private volatile long kitsRejected;
    private volatile int activeVoices;
    private volatile long voicesStolen;
    private volatile long voicesCut;
    private volatile long nonFiniteSamples;
    private volatile long denormalsFlushed;
    private volatile long limitedFrames;
    private volatile float cpuAverage;
    private volatile float cpuPeak;
    private volatile int scheduled;
    private final java.util.function.LongSupplier ringFullDrops;

    EngineCounters(int sampleRateHz, java.util.function.LongSupplier ringFullDrops) {
        this.sampleRateHz = sampleRateHz;
        this.ringFullDrops = ringFullDrops;
    }

    void recordRenderNanos(long nanos) {
        renderNanos.recordValue(Math.min(Math.max(nanos, 1L), MAX_RECORDED_NANOS));
    }

    void publish(long frame, long blocks, long misses, long overBudget, long late, long schedFull,
            long horizon, long rejected, int voices, long stolen, long cut, long nonFinite, long denormals,
            long limited, float cpuAvg, float cpuPk, int scheduledNow) {
        framePosition = frame;
        blocksRendered = blocks;
        deadlineMisses = misses;
        overBudgetBlocks = overBudget;
        lateEvents = late;
        schedulerFull = schedFull;
        beyondHorizon = horizon;
        kitsRejected = rejected;
        activeVoices = voices;
        voicesStolen = stolen;
        voicesCut = cut;
        nonFiniteSamples = nonFinite;
        denormalsFlushed = denormals;
        limitedFrames = limited;
        cpuAverage = cpuAvg;
        cpuPeak = cpuPk;
        scheduled = scheduledNow;
    }

    /** Render time per block since the previous call (a fresh histogram; allocates; not for the render thread). */
    public Histogram renderNanosInterval() {
        return renderNanos.getIntervalHistogram();
    }

    public int sampleRateHz() {
        return sampleRateHz;
    }

    /** Frames rendered: the engine clock. */
    public long framePosition() {
        return framePosition;
    }

    public long blocksRendered() {
        return blocksRendered;
    }

    /** Blocks the sink received after the device had run dry (or its wall-clock deadline passed). */
    public long deadlineMisses() {
        return deadlineMisses;
    }

    /** Blocks whose rendering took longer than the audio they hold. */
    public long overBudgetBlocks() {
        return overBudgetBlocks;
    }

    /** Timestamped events that arrived after their frame and played at once. */
    public long lateEvents() {
        return lateEvents;
    }

    /** Events refused because the control ring was full. */
    public long ringFullDrops() {
        return ringFullDrops.getAsLong();
    }

    /** Future events refused because the scheduler was full. */
    public long schedulerFull() {
        return schedulerFull;
    }

    /** Events refused because they lay beyond the scheduling horizon. */
    public long beyondHorizon() {
        return beyondHorizon;
    }

    /** Kits refused at swap time (wrong sample rate). */
    public long kitsRejected() {
        return kitsRejected;
    }

    public int activeVoices() {
        return activeVoices;
    }

    public long voicesStolen() {
        return voicesStolen;
    }

    /** Fading voices cut short because every spare voice was busy. */
    public long voicesCut() {
        return voicesCut;
    }

    public long nonFiniteSamples() {
        return nonFiniteSamples;
    }

    public long denormalsFlushed() {
        return denormalsFlushed;
    }

    /** Frames at which the output limiter reduced gain. */
    public long limitedSamples() {
        return limitedFrames;
    }

    /** Render time as a share of the block's duration, smoothed over about a second, in percent. */
    public float cpuAveragePercent() {
        return cpuAverage * 100f;
    }

    /** The largest share of a block's duration spent rendering over the last second, in percent. */
    public float cpuPeakPercent() {
        return cpuPeak * 100f;
    }

    /** Events waiting in the scheduler. */
    public int scheduledEvents() {
        return scheduled;
    }
}
