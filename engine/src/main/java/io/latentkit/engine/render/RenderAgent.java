package io.latentkit.engine.render;

import com.lmax.disruptor.EventPoller;
import io.latentkit.core.DrumClass;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.control.ControlEvent;
import io.latentkit.engine.control.ControlRing;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.control.EngineSnapshot;
import io.latentkit.engine.control.FrameCounter;
import io.latentkit.engine.control.Telemetry;
import io.latentkit.engine.sink.AudioSink;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Pad;
import io.latentkit.core.kit.PadParam;
import io.latentkit.core.kit.Sample;
import io.latentkit.engine.voice.VoicePool;
import java.util.Queue;
import org.agrona.concurrent.Agent;

/**
 * The render agent: owns every voice, the active kit, the scheduler and the tempo clock, and turns
 * control events into blocks of audio. One {@link #doWork()} renders one block and hands it to the
 * sink. A real-time thread runs it in a loop ({@code Engine.start}); an offline caller invokes it
 * directly ({@code Engine.renderOffline}): one code path, with or without threads.
 *
 * <p>Per block: drain up to {@code maxEventsPerBlock} events from the control ring; events due in
 * this block go to a due list with their sample offset, later ones to the scheduler, late ones play
 * at offset 0 and are counted; then voices are rendered segment by segment between event offsets,
 * so every event takes effect at its exact frame; then the output guard.
 *
 * <p>Threading: render thread only (or the offline caller's thread). Allocates nothing, takes no
 * lock, logs nothing and does no I/O except the sink's own write.
 */
public final class RenderAgent implements Agent {
    private final int blockFrames;
    private final int sampleRateHz;
    private final ControlRing ring;
    private final Telemetry telemetry;
    private final FrameCounter clock;
    private final Queue<Kit> returns;
    private final EngineCounters counters;
    private final VoicePool pool;
    private final Scheduler scheduler;
    private final OutputGuard guard;
    private final DrainHandler drain = new DrainHandler();

    private final float[] mixL;
    private final float[] mixR;
    private final float[] out;
    private final ControlEvent[] due;
    private final int[] dueOffset;
    /** Scratch for {@link #sortDue()}; holds no state between blocks. */
    private final ControlEvent[] sortEvents;
    private final int[] sortOffsets;
    private int dueCount;
    private final long[] syncs = new long[64];
    private int syncCount;
    private final Kit[] retiring = new Kit[64];
    private int retiringCount;

    private final int fadeFrames;
    private final int kitFadeFrames;
    private final long horizonFrames;
    private final long blockNanos;
    private final int meterEveryBlocks;
    private final int maxEventsPerBlock;

    private Kit kit;
    private AudioSink sink;
    private long frame;
    private long blockEnd;
    private long arrivals;
    private long blocks;
    private long late;
    private long schedulerFull;
    private long beyondHorizon;
    private long kitsRejected;
    private long overBudget;
    private float cpuAverage;
    private float cpuPeakWindow;
    private float cpuPeakPublished;
    private int peakWindowBlocks;
    private final int peakWindowLength;
    private float meterL;
    private float meterR;
    private int meterBlocks;

    private static final PadParam[] PARAMS = PadParam.values();

    private float tempoBpm = 120f;
    private double framesPerBeat;
    private double nextBeatFrame;
    private long beatIndex;

    public RenderAgent(EngineConfig config, ControlRing ring, Kit initialKit, Telemetry telemetry,
            FrameCounter clock, Queue<Kit> returns, EngineCounters counters) {
        this.blockFrames = config.blockFrames();
        this.sampleRateHz = config.sampleRateHz();
        this.ring = ring;
        this.telemetry = telemetry;
        this.clock = clock;
        this.returns = returns;
        this.counters = counters;
        this.pool = new VoicePool(config.voices());
        this.scheduler = new Scheduler(config.schedulerCapacity());
        this.guard = new OutputGuard(config.ceilingDbfs(), sampleRateHz);
        this.mixL = new float[blockFrames];
        this.mixR = new float[blockFrames];
        this.out = new float[2 * blockFrames];
        // The due list holds a block's worth of ring events plus as many scheduled ones.
        int dueCapacity = 2 * config.maxEventsPerBlock();
        this.due = new ControlEvent[dueCapacity];
        for (int i = 0; i < dueCapacity; i++) {
            due[i] = new ControlEvent();
        }
        this.dueOffset = new int[dueCapacity];
        this.sortEvents = new ControlEvent[dueCapacity];
        this.sortOffsets = new int[dueCapacity];
        this.fadeFrames = config.framesForMs(config.fadeMs());
        this.kitFadeFrames = config.framesForMs(config.kitCrossfadeMs());
        this.horizonFrames = config.horizonFrames();
        this.maxEventsPerBlock = config.maxEventsPerBlock();
        this.blockNanos = config.blockNanos();
        this.meterEveryBlocks = Math.max(1, (int) Math.round(0.02 * sampleRateHz / blockFrames));
        this.peakWindowLength = Math.max(1, sampleRateHz / blockFrames);
        if (initialKit.sampleRateHz() != sampleRateHz) {
            throw new IllegalArgumentException("initial kit is at " + initialKit.sampleRateHz()
                    + " Hz, engine at " + sampleRateHz + " Hz");
        }
        this.kit = initialKit;
        this.framesPerBeat = 60.0 * sampleRateHz / 120.0;
        this.nextBeatFrame = 0.0;
    }

    /** Sets the sink that {@link #doWork()} writes to. Call before the render thread starts. */
    public void sink(AudioSink sink) {
        this.sink = sink;
    }

    @Override
    public String roleName() {
        return "latentkit-render";
    }

    /** Renders one block and writes it to the sink. Returns 1 (one block of work done). */
    @Override
    public int doWork() {
        float[] block = renderBlock();
        sink.write(block, blockFrames);
        return 1;
    }

    /**
     * Renders one block and returns the interleaved stereo output (a buffer reused by the next
     * call). Render thread only.
     */
    public float[] renderBlock() {
        final long started = System.nanoTime();
        final long blockStart = frame;
        blockEnd = blockStart + blockFrames;
        clock.advance(blockStart, started);

        dueCount = 0;
        drain.taken = 0;
        ring.poll(drain);
        while (dueCount < due.length && scheduler.hasDueBefore(blockEnd)) {
            ControlEvent e = due[dueCount];
            scheduler.pollInto(e);
            long offset = e.frame - blockStart;
            if (offset < 0) {
                // Held back by a full due list in an earlier block: it is late now.
                late++;
                offset = 0;
            }
            dueOffset[dueCount++] = (int) offset;
        }
        sortDue();

        java.util.Arrays.fill(mixL, 0f);
        java.util.Arrays.fill(mixR, 0f);
        int cursor = 0;
        for (int i = 0; i < dueCount; i++) {
            int offset = dueOffset[i];
            if (offset > cursor) {
                pool.render(mixL, mixR, cursor, offset);
                cursor = offset;
            }
            advanceBeats(blockStart + offset);
            apply(due[i], blockStart + offset);
            due[i].clearRef();
        }
        if (cursor < blockFrames) {
            pool.render(mixL, mixR, cursor, blockFrames);
        }
        advanceBeats(blockEnd);
        guard.process(mixL, mixR, out, blockFrames);

        retireFinishedKits();
        for (int i = 0; i < syncCount; i++) {
            telemetry.publishSynced(syncs[i], blockStart);
        }
        syncCount = 0;
        meter();

        frame = blockEnd;
        blocks++;
        long took = System.nanoTime() - started;
        counters.recordRenderNanos(took);
        if (took > blockNanos) {
            overBudget++;
        }
        float load = (float) took / blockNanos;
        // About one second of smoothing for the average; the peak is the largest block of the last
        // completed one-second window (or of the current one, if larger).
        cpuAverage += (load - cpuAverage) * (1f / peakWindowLength);
        if (load > cpuPeakWindow) {
            cpuPeakWindow = load;
        }
        if (++peakWindowBlocks >= peakWindowLength) {
            cpuPeakPublished = cpuPeakWindow;
            cpuPeakWindow = 0f;
            peakWindowBlocks = 0;
        }
        counters.publish(frame, blocks, sink == null ? 0 : sink.deadlineMisses(), overBudget, late,
                schedulerFull, beyondHorizon, kitsRejected, pool.activeCount(), pool.stolen(), pool.hardCuts(),
                guard.nonFiniteSamples(), guard.denormalsFlushed(), guard.limitedFrames(), cpuAverage,
                Math.max(cpuPeakPublished, cpuPeakWindow), scheduler.size());
        return out;
    }

    /** The kit now playing. Render thread only. */
    public Kit kit() {
        return kit;
    }

    /** The first frame of the next block. */
    public long frame() {
        return frame;
    }

    private void apply(ControlEvent e, long at) {
        switch (e.type) {
            case ControlEvent.TRIGGER -> onTrigger(e.pad, e.velocity, at, e.tag, e.source);
            case ControlEvent.RELEASE_SOURCE -> pool.releaseSource(e.source, fadeFrames);
            case ControlEvent.PAD_PARAM -> onPadParam(e.pad, e.param, e.value);
            case ControlEvent.KIT_SWAP -> onKitSwap((Kit) e.ref);
            case ControlEvent.TEMPO -> onTempo(e.value, at);
            case ControlEvent.STOP_ALL -> pool.releaseAll(fadeFrames);
            case ControlEvent.SNAPSHOT -> onSnapshot((EngineSnapshot) e.ref, at);
            default -> {
                // Unknown types cannot be published through EngineProxy; ignore defensively.
            }
        }
    }

    private void onTrigger(int padIndex, float velocity, long at, long tag, int source) {
        if (!(velocity > 0f)) {
            return; // velocity 0 (a MIDI note-off in disguise) or NaN plays nothing
        }
        float v = velocity > 1f ? 1f : velocity;
        Pad pad = kit.pad(padIndex);
        if (pad.isMuted() || pad.isEmpty()) {
            return;
        }
        Sample sample = pad.pick(v);
        if (sample == null) {
            return;
        }
        int group = pad.chokeGroup();
        if (group > 0) {
            pool.choke(group, fadeFrames);
        }
        float gain = pad.gain() * (float) Math.pow(v, pad.velocityCurve());
        float semis = pad.pitchSemitones();
        double ratio = semis == 0f ? 1.0 : Math.pow(2.0, semis / 12.0);
        float decay = pad.decaySeconds();
        // -60 dB after `decay` seconds; 0 means the sample plays to its end.
        float mul = decay > 0f ? (float) Math.exp(Math.log(1e-3) / (decay * sampleRateHz)) : 1f;
        pool.start(kit, padIndex, group, source, sample, ratio, gain, pad.pan(), mul, at, fadeFrames);
        if (tag != 0L) {
            telemetry.publishVoiceStarted(tag, padIndex, at);
        }
    }

    private void onPadParam(int padIndex, int param, float value) {
        if (padIndex >= 0 && padIndex < DrumClass.COUNT) {
            kit.pad(padIndex).set(PadParam.ofOrdinal(param), value);
        }
    }

    private void onKitSwap(Kit next) {
        if (next == null || next == kit) {
            return;
        }
        if (next.sampleRateHz() != sampleRateHz) {
            kitsRejected++;
            retire(next);
            return;
        }
        Kit old = kit;
        kit = next;
        // The old kit's voices fade over the crossfade while new hits already play the new kit.
        pool.releaseKit(old, kitFadeFrames);
        retire(old);
    }

    private void retire(Kit old) {
        if (retiringCount < retiring.length) {
            retiring[retiringCount++] = old;
        } else {
            // With 64 kits already fading, hand this one back at once; if even the return ring is
            // full, dropping the reference still leaves the freeing to the garbage collector.
            returns.offer(old);
        }
    }

    private void retireFinishedKits() {
        int i = 0;
        while (i < retiringCount) {
            Kit k = retiring[i];
            if (!pool.plays(k) && returns.offer(k)) {
                retiring[i] = retiring[--retiringCount];
                retiring[retiringCount] = null;
            } else {
                i++;
            }
        }
    }

    private void onSnapshot(EngineSnapshot snapshot, long at) {
        for (int p = 0; p < DrumClass.COUNT; p++) {
            Pad pad = kit.pad(p);
            for (int k = 0; k < PARAMS.length; k++) {
                snapshot.setPad(p, k, pad.get(PARAMS[k]));
            }
        }
        snapshot.complete(kit, tempoBpm, at);
    }

    private void onTempo(float bpm, long at) {
        tempoBpm = bpm;
        double newFramesPerBeat = 60.0 * sampleRateHz / bpm;
        // Keep the phase within the current beat: the next beat moves in proportion.
        double remaining = (nextBeatFrame - at) / framesPerBeat;
        nextBeatFrame = at + remaining * newFramesPerBeat;
        framesPerBeat = newFramesPerBeat;
    }

    private void advanceBeats(long upTo) {
        while (nextBeatFrame < upTo) {
            telemetry.publishBeat(beatIndex++, (long) Math.ceil(nextBeatFrame));
            nextBeatFrame += framesPerBeat;
        }
    }

    private void meter() {
        float pl = meterL;
        float pr = meterR;
        for (int i = 0; i < blockFrames; i++) {
            float a = Math.abs(out[2 * i]);
            float b = Math.abs(out[2 * i + 1]);
            if (a > pl) {
                pl = a;
            }
            if (b > pr) {
                pr = b;
            }
        }
        if (++meterBlocks >= meterEveryBlocks) {
            telemetry.publishMeter(pl, pr, pool.activeCount(), frame);
            pl = 0f;
            pr = 0f;
            meterBlocks = 0;
        }
        meterL = pl;
        meterR = pr;
    }

    /**
     * Orders the due list by (offset, arrival). Allocation-free and O(n) when the list is already in
     * order (the common case: immediate events, then scheduled ones in heap order); otherwise a
     * bottom-up merge sort into pre-allocated scratch arrays, so a block's worst case stays
     * O(n log n) however a sender orders its timetags.
     */
    private void sortDue() {
        int n = dueCount;
        int firstDescent = 1;
        while (firstDescent < n && !before(due[firstDescent], dueOffset[firstDescent],
                due[firstDescent - 1], dueOffset[firstDescent - 1])) {
            firstDescent++;
        }
        if (firstDescent >= n) {
            return;
        }
        ControlEvent[] srcE = due;
        int[] srcO = dueOffset;
        ControlEvent[] dstE = sortEvents;
        int[] dstO = sortOffsets;
        for (int width = 1; width < n; width <<= 1) {
            for (int lo = 0; lo < n; lo += width << 1) {
                int mid = Math.min(lo + width, n);
                int hi = Math.min(lo + (width << 1), n);
                int a = lo;
                int b = mid;
                int k = lo;
                while (a < mid && b < hi) {
                    if (before(srcE[b], srcO[b], srcE[a], srcO[a])) {
                        dstE[k] = srcE[b];
                        dstO[k++] = srcO[b++];
                    } else {
                        dstE[k] = srcE[a];
                        dstO[k++] = srcO[a++];
                    }
                }
                while (a < mid) {
                    dstE[k] = srcE[a];
                    dstO[k++] = srcO[a++];
                }
                while (b < hi) {
                    dstE[k] = srcE[b];
                    dstO[k++] = srcO[b++];
                }
            }
            ControlEvent[] te = srcE;
            srcE = dstE;
            dstE = te;
            int[] to = srcO;
            srcO = dstO;
            dstO = to;
        }
        if (srcE != due) {
            System.arraycopy(srcE, 0, due, 0, n);
            System.arraycopy(srcO, 0, dueOffset, 0, n);
        }
    }

    private static boolean before(ControlEvent x, int xOffset, ControlEvent y, int yOffset) {
        return xOffset < yOffset || (xOffset == yOffset && x.seq < y.seq);
    }

    /** Copies events out of the ring; a bound per block keeps a flood from stretching one block. */
    private final class DrainHandler implements EventPoller.Handler<ControlEvent> {
        private int taken;

        @Override
        public boolean onEvent(ControlEvent e, long sequence, boolean endOfBatch) {
            e.seq = arrivals++;
            long blockStart = blockEnd - blockFrames;
            if (e.type == ControlEvent.SYNC) {
                if (syncCount < syncs.length) {
                    syncs[syncCount++] = e.tag;
                } else {
                    telemetry.publishSynced(e.tag, blockStart);
                }
            } else if (e.frame == EngineProxy.ASAP || e.frame < blockEnd) {
                if (e.frame != EngineProxy.ASAP && e.frame < blockStart) {
                    late++;
                }
                addDue(e, e.frame == EngineProxy.ASAP || e.frame < blockStart ? 0 : (int) (e.frame - blockStart));
            } else if (e.frame - blockStart > horizonFrames) {
                beyondHorizon++;
                if (e.type == ControlEvent.KIT_SWAP) {
                    retire((Kit) e.ref);
                }
            } else if (!scheduler.offer(e)) {
                schedulerFull++;
                if (e.type == ControlEvent.KIT_SWAP) {
                    retire((Kit) e.ref);
                }
            }
            e.clearRef();
            // Returning false ends this block's drain; the rest waits in the ring.
            return ++taken < maxEventsPerBlock;
        }

        private void addDue(ControlEvent e, int offset) {
            ControlEvent d = due[dueCount];
            d.copyFrom(e);
            dueOffset[dueCount++] = offset;
        }
    }
}
