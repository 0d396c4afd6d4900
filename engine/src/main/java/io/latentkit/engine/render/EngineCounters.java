package io.latentkit.engine.render;

import java.util.function.LongSupplier;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SingleWriterRecorder;

/**
 * What the engine reports: deadline misses, late events, drops, voices, render load. Events are
 * counted where they happen ({@code count*}); the block's state and the counts owned by the voice
 * pool, the output guard and the sink are copied at the end of each block. The render thread is
 * the single writer of every field (volatile writes); any thread reads them. Render time per block is recorded into an HdrHistogram
 * {@link SingleWriterRecorder}, whose record path is wait-free and allocation-free; readers take
 * interval histograms off the render thread.
 *
 * <p>Threading: the package-private writers on the render thread only; getters
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
    /** Render time beyond the block budget, summed over the over-budget blocks (for MissForensics). */
    private volatile long overBudgetNanos;
    private final MissCauses missCauses = new MissCauses();
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
    private final LongSupplier ringFullDrops;

    EngineCounters(int sampleRateHz, LongSupplier ringFullDrops) {
        this.sampleRateHz = sampleRateHz;
        this.ringFullDrops = ringFullDrops;
    }

    void recordRenderNanos(long nanos) {
        renderNanos.recordValue(Math.min(Math.max(nanos, 1L), MAX_RECORDED_NANOS));
    }

    // ---- counted where they happen (render thread, the single writer of each field) ----

    void countLate() {
        lateEvents = lateEvents + 1;
    }

    void countSchedulerFull() {
        schedulerFull = schedulerFull + 1;
    }

    void countBeyondHorizon() {
        beyondHorizon = beyondHorizon + 1;
    }

    void countKitRejected() {
        kitsRejected = kitsRejected + 1;
    }

    void countOverBudget(long excessNanos) {
        overBudgetBlocks = overBudgetBlocks + 1;
        overBudgetNanos = overBudgetNanos + excessNanos;
    }

    // ---- state at the end of a block, and counts owned by the voice pool, guard and sink ----

    void endBlock(long frame, int voices, int scheduledNow, float cpuAvg, float cpuPk) {
        framePosition = frame;
        blocksRendered = blocksRendered + 1;
        activeVoices = voices;
        scheduled = scheduledNow;
        cpuAverage = cpuAvg;
        cpuPeak = cpuPk;
    }

    void voiceCounts(long stolen, long cut) {
        if (stolen != voicesStolen) {
            voicesStolen = stolen;
        }
        if (cut != voicesCut) {
            voicesCut = cut;
        }
    }

    void guardCounts(long nonFinite, long denormals, long limited) {
        if (nonFinite != nonFiniteSamples) {
            nonFiniteSamples = nonFinite;
        }
        if (denormals != denormalsFlushed) {
            denormalsFlushed = denormals;
        }
        if (limited != limitedFrames) {
            limitedFrames = limited;
        }
    }

    void deadlineMisses(long misses) {
        if (misses != deadlineMisses) {
            deadlineMisses = misses;
        }
    }

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

    /** Render time beyond the budget, summed over the over-budget blocks. */
    public long overBudgetNanos() {
        return overBudgetNanos;
    }

    /** Deadline misses by cause (attributed off the render thread by {@link MissForensics}). */
    public MissCauses missCauses() {
        return missCauses;
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
