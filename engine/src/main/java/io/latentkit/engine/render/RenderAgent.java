package io.latentkit.engine.render;

import com.lmax.disruptor.EventPoller;
import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Pad;
import io.latentkit.core.kit.PadParam;
import io.latentkit.core.kit.Sample;
import io.latentkit.core.kit.Strike;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.control.ControlEvent;
import io.latentkit.engine.control.ControlRing;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.control.EngineSnapshot;
import io.latentkit.engine.control.EngineValues;
import io.latentkit.engine.control.FrameCounter;
import io.latentkit.engine.control.Stage;
import io.latentkit.engine.control.StageAccess;
import io.latentkit.engine.control.Telemetry;
import io.latentkit.engine.control.AppliedLog;
import io.latentkit.engine.sequence.Sequencer;
import io.latentkit.engine.sink.AudioSink;
import io.latentkit.engine.voice.PitchedCopies;
import io.latentkit.engine.voice.VoicePool;
import java.util.Arrays;
import java.util.Queue;
import org.agrona.concurrent.Agent;

/**
 * The render agent: owns every voice, the active kit, the scheduler and the tempo clock, and turns
 * control events into blocks of audio. One {@link #doWork()} renders one block and hands it to the
 * sink. A real-time thread runs it in a loop ({@code Engine.start}); an offline caller invokes it
 * directly ({@code Engine.renderOffline}): one code path, with or without threads.
 *
 * <p>Per block: drain up to {@code maxEventsPerBlock} events from the control ring; events due in
 * this block go to the {@link DueList} with their sample offset, later ones to the scheduler, late
 * ones play at offset 0 and are counted; then voices are rendered segment by segment between event
 * offsets, so every event takes effect at its exact frame; then the output guard. The handlers
 * ({@code on*}) read as the list of what the render thread can be asked to do.
 *
 * <p>Threading: render thread only (or the offline caller's thread). Allocates nothing, takes no
 * lock, logs nothing and does no I/O except the sink's own write.
 */
public final class RenderAgent implements Agent {
    private static final PadParam[] PARAMS = PadParam.values();

    private final int blockFrames;
    private final int sampleRateHz;
    private final ControlRing ring;
    private final Telemetry telemetry;
    private final FrameCounter clock;
    private final EngineCounters counters;
    private final EngineValues values;
    private final Queue<Stage> appliedStages;
    private final VoicePool pool;
    private final PitchedCopies copies = new PitchedCopies();
    private final Scheduler scheduler;
    private final OutputGuard guard;
    private final DueList due;
    private final BeatClock beats;
    private final BlockLoad load;
    private final PeakMeter meter;
    private final KitRetirement retirement;
    private final SampleRetirement sampleRetirement;
    private final DrainHandler drain = new DrainHandler();
    // ---- patterns (issue 17): the step sequencer and the applied-event log
    private final Sequencer sequencer;
    private final Sequencer.Steps steps = new SequencerSteps();
    private AppliedLog appliedLog;
    // ----

    private final float[] mixL;
    private final float[] mixR;
    private final float[] out;
    private final long[] syncs = new long[64];
    private int syncCount;
    /** Applied stages the hand-back queue had no room for yet; handed back in later blocks. */
    private final Stage[] stagesToHandBack = new Stage[64];
    private int stagesToHandBackCount;

    private final int fadeFrames;
    private final int kitFadeFrames;
    private final long horizonFrames;
    private final int maxEventsPerBlock;

    private Kit kit;
    private AudioSink sink;
    private long frame;
    private long blockEnd;
    private long arrivals;

    /**
     * @param values where pad parameters and the tempo are published for the namespace
     * @param appliedStages where applied stages go back to their issuer (bounded, pre-allocated)
     */
    public RenderAgent(EngineConfig config, ControlRing ring, Kit initialKit, Telemetry telemetry,
            FrameCounter clock, Queue<Kit> returns, EngineCounters counters, EngineValues values,
            Queue<Stage> appliedStages) {
        this(config, ring, initialKit, telemetry, clock, returns, counters, values, appliedStages, null);
    }

    /**
     * @param sampleReturns where pads' replaced live samples go once silent, or {@code null} to
     *     leave them to the garbage collector
     */
    public RenderAgent(EngineConfig config, ControlRing ring, Kit initialKit, Telemetry telemetry,
            FrameCounter clock, Queue<Kit> returns, EngineCounters counters, EngineValues values,
            Queue<Stage> appliedStages, Queue<Sample> sampleReturns) {
        this.blockFrames = config.blockFrames();
        this.sampleRateHz = config.sampleRateHz();
        this.ring = ring;
        this.telemetry = telemetry;
        this.clock = clock;
        this.counters = counters;
        this.values = values;
        this.appliedStages = appliedStages;
        this.pool = new VoicePool(config.voices(), copies);
        this.scheduler = new Scheduler(config.schedulerCapacity());
        this.guard = new OutputGuard(config.ceilingDbfs(), sampleRateHz);
        this.mixL = new float[blockFrames];
        this.mixR = new float[blockFrames];
        this.out = new float[2 * blockFrames];
        // The due list holds a block's worth of ring events plus as many scheduled ones.
        this.due = new DueList(2 * config.maxEventsPerBlock());
        this.beats = new BeatClock(sampleRateHz);
        this.sequencer = new Sequencer(sampleRateHz, beats.tempoBpm());
        this.load = new BlockLoad(config.blockNanos(), sampleRateHz / blockFrames);
        this.meter = new PeakMeter((int) Math.round(0.02 * sampleRateHz / blockFrames));
        this.retirement = new KitRetirement(returns);
        this.sampleRetirement = new SampleRetirement(sampleReturns);
        this.fadeFrames = config.framesForMs(config.fadeMs());
        this.kitFadeFrames = config.framesForMs(config.kitCrossfadeMs());
        this.horizonFrames = config.horizonFrames();
        this.maxEventsPerBlock = config.maxEventsPerBlock();
        if (initialKit.sampleRateHz() != sampleRateHz) {
            throw new IllegalArgumentException("initial kit is at " + initialKit.sampleRateHz()
                    + " Hz, engine at " + sampleRateHz + " Hz");
        }
        this.kit = initialKit;
        // Before the render thread exists: its start publishes these values to it.
        values.publishKit(initialKit, 0L, telemetry);
        values.publishTempo(beats.tempoBpm(), 0L, telemetry);
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

        collectDueEvents(blockStart);
        Arrays.fill(mixL, 0f);
        Arrays.fill(mixR, 0f);
        // Voices are mixed lazily: the pool mixes a voice up to an event's frame only when the
        // event touches it, and every voice to the block's end at finishBlock.
        pool.beginBlock(mixL, mixR);
        int cursor = 0;
        final int n = due.count();
        for (int i = 0; i <= n; i++) {
            final int offset = i < n ? due.offset(i) : blockFrames;
            // Sequencer steps strictly before this event's frame (an event at a step's frame is
            // applied first, so a cell written at that frame sounds); then the event.
            long tickFrame;
            while ((tickFrame = sequencer.nextTickFrame()) < blockStart + offset) {
                int at = tickFrame <= blockStart + cursor ? cursor : (int) (tickFrame - blockStart);
                if (at > cursor) {
                    pool.advanceTo(at);
                    cursor = at;
                }
                beats.advance(blockStart + at, telemetry);
                sequencer.fireTick(blockStart + at, steps, telemetry);
            }
            if (i == n) {
                break;
            }
            if (offset > cursor) {
                pool.advanceTo(offset);
                cursor = offset;
            }
            beats.advance(blockStart + offset, telemetry);
            apply(due.event(i), blockStart + offset);
            due.event(i).clearRef();
        }
        pool.finishBlock(blockFrames);
        beats.advance(blockEnd, telemetry);
        guard.process(mixL, mixR, out, blockFrames);

        retirement.handBackSilent(pool);
        sampleRetirement.handBackSilent(pool);
        handBackStages();
        for (int i = 0; i < syncCount; i++) {
            telemetry.publishSynced(syncs[i], blockStart);
        }
        syncCount = 0;
        meter.measure(out, blockFrames, pool.activeCount(), blockStart, telemetry);

        frame = blockEnd;
        endBlock(System.nanoTime() - started);
        return out;
    }

    /** The ring's events, then the scheduler's, for this block, in (offset, arrival) order. */
    private void collectDueEvents(long blockStart) {
        due.clear();
        drain.taken = 0;
        ring.poll(drain);
        while (!due.isFull() && scheduler.hasDueBefore(blockEnd)) {
            ControlEvent e = due.next();
            scheduler.pollInto(e);
            long offset = e.frame - blockStart;
            if (offset < 0) {
                // Held back by a full due list in an earlier block: it is late now.
                counters.countLate();
                offset = 0;
            }
            due.commit((int) offset);
        }
        due.sort();
    }

    private void endBlock(long tookNanos) {
        counters.recordRenderNanos(tookNanos);
        if (load.record(tookNanos)) {
            counters.countOverBudget(tookNanos - load.blockNanos());
        }
        counters.voiceCounts(pool.stolen(), pool.hardCuts());
        counters.guardCounts(guard.nonFiniteSamples(), guard.denormalsFlushed(), guard.limitedFrames());
        counters.deadlineMisses(sink == null ? 0 : sink.deadlineMisses());
        counters.endBlock(frame, pool.activeCount(), scheduler.size(), load.average(), load.peak());
    }

    /** The kit now playing. Render thread only. */
    public Kit kit() {
        return kit;
    }

    /** The first frame of the next block. */
    public long frame() {
        return frame;
    }

    /** The step sequencer. Render thread only (tests and benchmarks read it between blocks). */
    /**
     * The pre-pitched copies of tuned pads' samples this agent's voices play from: an agent for a
     * copier thread (the engine runs one while started); until it runs, tuned pads interpolate.
     */
    public PitchedCopies pitchedCopies() {
        return copies;
    }

    public Sequencer sequencer() {
        return sequencer;
    }

    /**
     * Logs every applied control event (but syncs and snapshots, which change nothing) into
     * {@code log}, for {@code serve --record-control}. Call before the render thread starts.
     */
    public void appliedLog(AppliedLog log) {
        this.appliedLog = log;
    }

    private void apply(ControlEvent e, long at) {
        switch (e.type) {
            case ControlEvent.TRIGGER -> onTrigger(e.pad, e.velocity, at, e.tag, e.source);
            case ControlEvent.RELEASE_SOURCE -> pool.releaseSource(e.source, fadeFrames);
            case ControlEvent.PAD_PARAM -> onPadParam(e.pad, e.param, e.value, at);
            case ControlEvent.KIT_SWAP -> onKitSwap((Kit) e.ref, at);
            case ControlEvent.TEMPO -> onTempo(e.value, at);
            case ControlEvent.STOP_ALL -> pool.releaseAll(fadeFrames);
            case ControlEvent.SNAPSHOT -> onSnapshot((EngineSnapshot) e.ref, at);
            case ControlEvent.STAGE -> onStage((Stage) e.ref, at);
            case ControlEvent.SEQUENCE -> sequencer.onControl(e.param, e.pad, e.velocity, e.tag, at);
            default -> {
                // Unknown types cannot be published through EngineProxy; ignore defensively.
            }
        }
        if (appliedLog != null && e.type != ControlEvent.SNAPSHOT) {
            appliedLog.record(e, at);
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
        Strike strike = pad.strike(v);
        if (strike == null) {
            return;
        }
        int group = pad.chokeGroup();
        if (group > 0) {
            pool.choke(group, pad.chokesItself() ? -1 : padIndex, fadeFrames);
        }
        float gain = pad.gain() * (float) Math.pow(v, pad.velocityCurve());
        float semis = pad.pitchSemitones();
        double ratio = semis == 0f ? 1.0 : Math.pow(2.0, semis / 12.0);
        float decay = pad.decaySeconds();
        // -60 dB after `decay` seconds; 0 means the sample plays to its end.
        float mul = decay > 0f ? (float) Math.exp(Math.log(1e-3) / (decay * sampleRateHz)) : 1f;
        // The samples of a strike (SFZ layers) sound together, each at its own pan offset.
        for (int i = 0; i < strike.count(); i++) {
            float pan = Math.max(-1f, Math.min(1f, pad.pan() + strike.pan(i)));
            pool.start(kit, padIndex, pad.offByGroup(), source, strike.sample(i), ratio, gain, pan, mul, at, fadeFrames);
        }
        if (tag != 0L) {
            telemetry.publishVoiceStarted(tag, padIndex, at);
        }
    }

    private void onPadParam(int padIndex, int param, float value, long at) {
        if (padIndex >= 0 && padIndex < DrumClass.COUNT) {
            Pad pad = kit.pad(padIndex);
            PadParam p = PadParam.ofOrdinal(param);
            pad.set(p, value);
            values.publishPad(padIndex, param, pad.get(p), at, telemetry);
        }
    }

    /** Swaps in {@code next}; returns the kit it replaced, or {@code null} if it was refused. */
    private Kit onKitSwap(Kit next, long at) {
        if (next == null || next == kit) {
            return null;
        }
        if (next.sampleRateHz() != sampleRateHz) {
            counters.countKitRejected();
            retirement.retire(next);
            return null;
        }
        Kit old = kit;
        kit = next;
        SampleRetirement.carryLiveSamples(old, next);
        // The old kit's voices fade over the crossfade while new hits already play the new kit.
        pool.releaseKit(old, kitFadeFrames);
        copies.forgetPads(-1);
        retirement.retire(old);
        values.publishKit(next, at, telemetry);
        return old;
    }

    private void onTempo(float bpm, long at) {
        beats.setTempo(bpm, at);
        sequencer.setTempo(bpm, at);
        values.publishTempo(bpm, at, telemetry);
    }

    /** Everything the stage carries takes effect at {@code at}, or none of it does. */
    private void onStage(Stage stage, long at) {
        Kit next = stage.kit();
        if (next != null && next.sampleRateHz() != sampleRateHz || !SampleRetirement.padSamplesFit(stage, sampleRateHz)) {
            counters.countKitRejected();
            StageAccess.rejected(stage, at);
        } else {
            Kit replaced = next == null ? null : onKitSwap(next, at);
            float bpm = stage.tempoBpm();
            if (bpm == bpm) {
                onTempo(bpm, at);
            }
            sampleRetirement.applyPadSamples(stage, kit);
            copies.forgetPads(stage.padSampleMask());
            onPatternStage(stage);
            StageAccess.applied(stage, at, replaced);
        }
        handBack(stage);
    }

    /** The sequencer's part of a stage: swing, a whole pattern, one bar. */
    private void onPatternStage(Stage stage) {
        float s = stage.swing();
        if (s == s) {
            sequencer.swing(s);
        }
        if (stage.pattern() != null) {
            sequencer.load(stage.pattern());
        }
        if (stage.patternBar() != null) {
            sequencer.writeBar(stage.patternBar(), stage.patternBarSlot());
        }
    }

    private void handBack(Stage stage) {
        if (stagesToHandBackCount > 0 || !appliedStages.offer(stage)) {
            if (stagesToHandBackCount < stagesToHandBack.length) {
                stagesToHandBack[stagesToHandBackCount++] = stage;
            }
            // Beyond 64 waiting stages the issuer's own timeout answers for it: the render thread
            // never waits for room.
        }
    }

    private void handBackStages() {
        int i = 0;
        while (i < stagesToHandBackCount && appliedStages.offer(stagesToHandBack[i])) {
            stagesToHandBack[i] = null;
            i++;
        }
        if (i > 0) {
            System.arraycopy(stagesToHandBack, i, stagesToHandBack, 0, stagesToHandBackCount - i);
            Arrays.fill(stagesToHandBack, stagesToHandBackCount - i, stagesToHandBackCount, null);
            stagesToHandBackCount -= i;
        }
    }

    private void onSnapshot(EngineSnapshot snapshot, long at) {
        for (int p = 0; p < DrumClass.COUNT; p++) {
            Pad pad = kit.pad(p);
            for (int k = 0; k < PARAMS.length; k++) {
                snapshot.setPad(p, k, pad.get(PARAMS[k]));
            }
        }
        sequencer.copyInto(snapshot.patternBuffer());
        snapshot.swing(sequencer.swing());
        snapshot.complete(kit, beats.tempoBpm(), at);
    }

    /** The sequencer's steps start voices as triggers do (no tag, no source). */
    private final class SequencerSteps implements Sequencer.Steps {
        @Override
        public void step(int row, float velocity, long at) {
            onTrigger(row, velocity, at, 0L, EngineProxy.NO_SOURCE);
        }
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
                    counters.countLate();
                }
                due.add(e, e.frame == EngineProxy.ASAP || e.frame < blockStart ? 0 : (int) (e.frame - blockStart));
            } else if (e.frame - blockStart > horizonFrames) {
                counters.countBeyondHorizon();
                refuse(e, blockStart);
            } else if (!scheduler.offer(e)) {
                counters.countSchedulerFull();
                refuse(e, blockStart);
            }
            e.clearRef();
            // Returning false ends this block's drain; the rest waits in the ring.
            return ++taken < maxEventsPerBlock;
        }

        /** An event that will never be applied hands back what it carries. */
        private void refuse(ControlEvent e, long blockStart) {
            if (e.type == ControlEvent.KIT_SWAP) {
                retirement.retire((Kit) e.ref);
            } else if (e.type == ControlEvent.STAGE) {
                Stage s = (Stage) e.ref;
                StageAccess.rejected(s, blockStart);
                handBack(s);
            }
        }
    }
}
