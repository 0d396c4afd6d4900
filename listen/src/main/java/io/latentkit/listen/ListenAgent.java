package io.latentkit.listen;

import io.latentkit.core.DrumClass;
import io.latentkit.engine.control.EngineClock;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.control.EngineSnapshot;
import io.latentkit.engine.control.TelemetryReader;
import io.latentkit.listen.decide.HitDecider;
import io.latentkit.listen.decide.KitToms;
import io.latentkit.listen.input.InputAgent;
import io.latentkit.listen.input.InputTimeline;
import io.latentkit.listen.input.SampleRing;
import io.latentkit.listen.onset.StreamingOnsetDetector;
import io.latentkit.models.ModelException;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The listen agent: reads the input ring a hop at a time through the streaming onset detector,
 * and once the window after an onset has arrived, names the hit ({@link HitDecider}), picks its
 * pad and schedules it at the onset's engine frame plus the fixed latency. A decision that comes
 * too late for that slot (inside the block being rendered) plays at once and is counted; if the
 * render thread starts the next block between the check and the publish, the engine plays it at
 * once and counts it as a late event. Control from other threads arrives as commands on a queue drained at the
 * top of every duty cycle.
 *
 * <p>Threading: {@link #doWork} on the listen thread only, which owns the detector, the decider
 * and its model sessions; {@link #post} from any thread.
 */
final class ListenAgent implements Agent {
    private static final Logger LOG = LoggerFactory.getLogger(ListenAgent.class);
    /** Samples before the onset handed to the classifier (it keeps its own 64-sample pre-roll). */
    static final int PREROLL = 64;
    /** Input silent this long while open counts as a stall. */
    static final long STALL_NANOS = 100_000_000L;
    private static final int MAX_PENDING = 16;

    /** A control action run on the listen thread. */
    interface Command extends Consumer<ListenAgent> {
    }

    private final ListenConfig config;
    private final SampleRing ring;
    private final InputTimeline timeline;
    private final InputAgent input;
    private final EngineProxy proxy;
    private final EngineClock clock;
    private final int engineBlockFrames;
    private final ListenControls controls;
    private final ListenCounters counters;
    private final StreamingOnsetDetector detector;
    /** Our own voice starts, for the feedback guard; {@code null} without the engine's telemetry. */
    private final TelemetryReader played;
    private final FeedbackGuard feedback;
    private final ManyToOneConcurrentArrayQueue<Command> commands = new ManyToOneConcurrentArrayQueue<>(256);
    private final float[] hop;
    /** Window, clip, toms and latency: replaced once by {@link #configure} when the latency is chosen at start. */
    private float[] clip;
    private int windowFrames;
    private long latencyFrames;
    private final long[] pending = new long[MAX_PENDING];
    private final long[] pendingNanos = new long[MAX_PENDING];
    private final HitDecider.Decision decision = new HitDecider.Decision();
    /** The current kit's toms, to size a tom heard on its own; refreshed from engine snapshots. */
    private KitToms toms;
    private EngineSnapshot kitSnapshot;
    private long kitAskedNanos = Long.MIN_VALUE / 2;
    private int pendingHead;
    private int pendingCount;
    private long processed;
    private double appliedGapMs = Double.NaN;
    private HitDecider decider;
    private boolean stalled;
    private boolean loggedModelError;
    private boolean loggedListenerError;
    private boolean loggedFeedback;

    ListenAgent(ListenConfig config, SampleRing ring, InputTimeline timeline, InputAgent input, EngineProxy proxy,
                EngineClock clock, int engineBlockFrames, ListenControls controls, ListenCounters counters,
                TelemetryReader played) {
        this.config = config;
        this.ring = ring;
        this.timeline = timeline;
        this.input = input;
        this.proxy = proxy;
        this.clock = clock;
        this.engineBlockFrames = engineBlockFrames;
        this.controls = controls;
        this.counters = counters;
        this.detector = new StreamingOnsetDetector(ListenConfig.INPUT_RATE_HZ, config.onset());
        this.hop = new float[detector.hopFrames()];
        this.windowFrames = config.windowFrames();
        this.clip = new float[PREROLL + windowFrames];
        this.toms = new KitToms(ListenConfig.INPUT_RATE_HZ, PREROLL, windowFrames, config.onset());
        this.latencyFrames = config.latencyFrames(clock.sampleRateHz());
        this.played = played;
        this.feedback = played == null ? null : new FeedbackGuard(clock.sampleRateHz());
    }

    /** Queues a command for the listen thread; {@code false} when the queue is full. Any thread. */
    boolean post(Command c) {
        return commands.offer(c);
    }

    StreamingOnsetDetector detector() {
        return detector;
    }

    /** The decider, once the models are loaded; {@code null} before. Listen thread. */
    HitDecider decider() {
        return decider;
    }

    /**
     * Takes the latency and window of {@code chosen} (auto: measured at start, before the first
     * decider is installed). Allocates the clip: listen thread (through a command), never the render thread.
     */
    void configure(ListenConfig chosen) {
        if (chosen.windowFrames() != windowFrames) {
            windowFrames = chosen.windowFrames();
            clip = new float[PREROLL + windowFrames];
            toms = new KitToms(ListenConfig.INPUT_RATE_HZ, PREROLL, windowFrames, config.onset());
            kitAskedNanos = Long.MIN_VALUE / 2;
        }
        latencyFrames = chosen.latencyFrames(clock.sampleRateHz());
    }

    /** Installs the decider (the models have loaded). Listen thread (through a command). */
    void decider(HitDecider d) {
        this.decider = d;
        askForKit(); // so that the first tom heard is sized against the kit
    }

    @Override
    public int doWork() {
        int work = commands.drain(this::run, 16);
        pollKit();
        detector.sensitivity(controls.threshold());
        double gap = controls.minGapMs();
        if (gap != appliedGapMs) {
            detector.minGapMs(gap);
            appliedGapMs = gap;
        }
        long written = ring.written();
        long oldest = written - ring.capacity() + hop.length;
        if (processed < oldest) {
            // Fell a whole ring behind (the thread was starved for seconds): skip to the present.
            counters.overruns.incrementAndGet();
            processed = written - written % hop.length;
            detector.reset(processed);
            pendingCount = 0;
        }
        if (played != null) {
            // Before the hops: a voice is reported when its block is rendered, ahead of its echo.
            work += played.poll(feedback, 1024);
        }
        int hops = 0;
        while (processed + hop.length <= written && hops < 64) {
            if (!ring.copy(processed, hop, 0, hop.length)) {
                break;
            }
            long onset = detector.push(hop, 0);
            processed += hop.length;
            hops++;
            if (onset >= 0 && controls.enabled()) {
                counters.onsets.incrementAndGet();
                if (feedback != null && echo(onset) && controls.feedbackGuard()) {
                    continue;
                }
                if (pendingCount < MAX_PENDING) {
                    pendingNanos[(pendingHead + pendingCount) % MAX_PENDING] = System.nanoTime();
                    pending[(pendingHead + pendingCount) % MAX_PENDING] = onset;
                    pendingCount++;
                }
            }
        }
        work += hops;
        while (pendingCount > 0 && pending[pendingHead] + windowFrames <= written) {
            long onset = pending[pendingHead];
            long detectedNanos = pendingNanos[pendingHead];
            pendingHead = (pendingHead + 1) % MAX_PENDING;
            pendingCount--;
            decide(onset, detectedNanos);
            work++;
        }
        watchStall();
        return work;
    }

    /** Whether the onset is our own output heard again (counted, and logged the first time a path is found). */
    private boolean echo(long onset) {
        boolean echo = feedback.isEcho(timeline.toEngineFrame(onset));
        counters.feedbackPaths.set(feedback.paths());
        long lag = feedback.lagFrames();
        counters.feedbackLagMicros.set(lag < 0 ? -1 : lag * 1_000_000L / clock.sampleRateHz());
        if (echo) {
            counters.feedbackSuppressed.incrementAndGet();
        }
        if (feedback.locked() && !loggedFeedback) {
            loggedFeedback = true;
            LOG.info("listen: the server's own drums reach the input {} ms later (a speaker into the microphone?);"
                    + " onsets at that lag after our drums are ignored and counted (feedback_suppressed in"
                    + " /listen/status)", String.format(Locale.ROOT, "%.1f", lag * 1000.0 / clock.sampleRateHz()));
        }
        return echo;
    }

    private void run(Command c) {
        c.accept(this);
    }

    private void watchStall() {
        if (!input.isOpen()) {
            stalled = false;
            return;
        }
        boolean quiet = System.nanoTime() - input.lastBlockNanos() > STALL_NANOS;
        if (quiet && !stalled) {
            counters.stalls.incrementAndGet();
        }
        stalled = quiet;
    }

    private void decide(long onset, long detectedNanos) {
        if (!controls.enabled()) {
            return;
        }
        HitDecider d = decider;
        if (d == null) {
            counters.undecided.incrementAndGet();
            return;
        }
        long from = onset - PREROLL;
        int lead = (int) Math.max(0L, -from);
        Arrays.fill(clip, 0, lead, 0f);
        if (!ring.copy(from + lead, clip, lead, clip.length - lead)) {
            counters.overruns.incrementAndGet();
            return;
        }
        float peak = 0f;
        for (int i = PREROLL; i < clip.length; i++) {
            peak = Math.max(peak, Math.abs(clip[i]));
        }
        long decideStart = System.nanoTime();
        try {
            d.decide(clip, 0, clip.length, decision);
        } catch (ModelException | RuntimeException e) {
            counters.modelErrors.incrementAndGet();
            if (!loggedModelError) {
                loggedModelError = true;
                LOG.warn("listen: a hit could not be classified ({}); such hits are dropped and counted", e.getMessage());
            }
            controls.examplesChanged(d);
            return;
        }
        long decideNanos = System.nanoTime() - decideStart;
        int pad = controls.padFor(decision.className());
        String className = decision.className();
        if (decision.classified() && pad == DrumClass.TOM_MID.pad() && TOM.equals(className)) {
            // The classifier says "tom": which one is the current kit's business.
            pad = toms.pad(clip, 0, clip.length);
            className = DrumClass.ofPad(pad).oscName();
            askForKit();
        }
        float velocity = velocity(peak);
        long onsetFrame = timeline.toEngineFrame(onset);
        long target = onsetFrame + latencyFrames;
        long now = clock.currentFrame();
        // In time while the block holding the target has not started: the render thread takes the
        // ring's events at each block start, and the one being rendered now starts at 'now'.
        boolean missed = target < now + engineBlockFrames;
        long decided = System.nanoTime();
        if (pad >= 0) {
            if (proxy.trigger(pad, velocity, missed ? EngineProxy.ASAP : target, decided)) {
                counters.triggered.incrementAndGet();
            }
            if (missed) {
                counters.missedSlots.incrementAndGet();
            }
        }
        counters.hits.incrementAndGet();
        if (decision.example()) {
            controls.examplesChanged(d);
        }
        ListenHit hit = new ListenHit(className, decision.confidence(), pad, onsetFrame,
                missed ? now + engineBlockFrames : target, missed, velocity, onset, decided, decision.example(),
                detectedNanos, decideNanos);
        for (ListenHitListener l : controls.listeners()) {
            try {
                l.onHit(hit);
            } catch (RuntimeException e) {
                counters.listenerErrors.incrementAndGet();
                if (!loggedListenerError) {
                    loggedListenerError = true;
                    LOG.warn("listen: a hit listener failed ({}); further failures are counted", e.toString());
                }
            }
        }
    }

    /** The class name the drum classifier gives every tom (its size is decided here). */
    private static final String TOM = DrumClass.TOM_MID.oscName();
    /** A kit snapshot is asked for at most this often, and only while toms are heard. */
    private static final long KIT_ASK_NANOS = 2_000_000_000L;

    /** Asks the render thread for the kit it plays, unless asked lately or already asking. */
    private void askForKit() {
        long now = System.nanoTime();
        if (kitSnapshot == null && now - kitAskedNanos >= KIT_ASK_NANOS) {
            EngineSnapshot s = new EngineSnapshot();
            if (proxy.snapshot(s)) {
                kitSnapshot = s;
                kitAskedNanos = now;
            }
        }
    }

    /** Takes the kit of a snapshot the render thread has filled (never waits). */
    private void pollKit() {
        EngineSnapshot s = kitSnapshot;
        if (s == null) {
            return;
        }
        boolean ready;
        try {
            ready = s.await(0, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        if (ready) {
            toms.kit(s.kit());
            kitSnapshot = null;
        } else if (System.nanoTime() - kitAskedNanos > 10 * KIT_ASK_NANOS) {
            kitSnapshot = null; // the ring dropped it, or no render thread runs: ask again later
        }
    }

    /** Velocity from the hit's peak: -40 dBFS and below is 0.05, 0 dBFS is 1, linear in dB between. */
    static float velocity(float peak) {
        if (!(peak > 0f)) {
            return 0.05f;
        }
        float db = (float) (20 * Math.log10(peak));
        return Math.max(0.05f, Math.min(1f, (db + 40f) / 40f));
    }

    @Override
    public String roleName() {
        return "latentkit-listen";
    }
}
