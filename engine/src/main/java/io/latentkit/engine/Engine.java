package io.latentkit.engine;

import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Sample;
import io.latentkit.core.namespace.ValueBoard;
import io.latentkit.engine.control.ControlRing;
import io.latentkit.engine.control.ControlThreads;
import io.latentkit.engine.control.EngineClock;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.control.EngineValues;
import io.latentkit.engine.control.FrameCounter;
import io.latentkit.engine.control.LiveClock;
import io.latentkit.engine.control.Stage;
import io.latentkit.engine.control.StagedCommands;
import io.latentkit.engine.control.Telemetry;
import io.latentkit.engine.render.EngineCounters;
import io.latentkit.engine.render.EngineCountersAccess;
import io.latentkit.engine.render.MissForensics;
import io.latentkit.engine.render.RenderAgent;
import io.latentkit.engine.render.RenderWarmup;
import io.latentkit.engine.sink.AudioSink;
import io.latentkit.engine.sink.AudioSinkException;
import io.latentkit.engine.sink.CallbackSink;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.OneToOneConcurrentArrayQueue;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine assembled: control ring, render agent, clock, telemetry and the return ring for
 * retired kits. Runs either in real time on its own render thread ({@link #start}) or offline on
 * the caller's thread ({@link #renderOffline}), through the same render code.
 *
 * <p>Threading: {@link #proxy()}, {@link #counters()}, {@link #clock()} from any thread;
 * {@link #telemetry()} polled by one consumer thread; {@link #pollRetired} by one loader thread;
 * {@link #start}, {@link #renderOffline} and {@link #close} by the owning control thread.
 */
public final class Engine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Engine.class);
    /** Value-board slots: the engine's own (pad parameters, tempo) and room for other modules'. */
    public static final int VALUE_BOARD_SLOTS = 4096;
    /** Staged commands that may wait for the loader thread before new ones are refused as busy. */
    public static final int STAGED_QUEUE = 16;

    private final EngineConfig config;
    private final ControlRing ring;
    private final Telemetry telemetry;
    private final EngineClock clock;
    private final OneToOneConcurrentArrayQueue<Kit> returns = new OneToOneConcurrentArrayQueue<>(128);
    private final OneToOneConcurrentArrayQueue<Sample> sampleReturns = new OneToOneConcurrentArrayQueue<>(512);
    private final OneToOneConcurrentArrayQueue<Stage> appliedStages = new OneToOneConcurrentArrayQueue<>(256);
    private final EngineValues values;
    private final ControlThreads controlThreads = new ControlThreads();
    private final StagedCommands commands;
    private final EngineCounters counters;
    private final RenderAgent agent;
    private final AtomicReference<Throwable> renderError =
            new AtomicReference<>();
    private final AtomicLong renderErrors = new AtomicLong();
    private volatile Consumer<Kit> retiredListener = kit -> { };
    private volatile Consumer<Sample> retiredSampleListener = sample -> { };
    private AgentRunner runner;
    private AgentRunner housekeeping;
    private AgentRunner copier;
    private final Housekeeping housekeepingAgent = new Housekeeping();
    private Thread renderThread;
    private CallbackSink callbackSink;
    private AudioSink sink;
    private boolean offlineUsed;
    private boolean warmedUp;
    private int warmupBlocks = RenderWarmup.DEFAULT_BLOCKS;
    private boolean prePitch = true;

    private Engine(EngineConfig config, Kit kit, EngineClock clock) {
        this.config = Objects.requireNonNull(config, "config");
        this.ring = new ControlRing(config.ringSize());
        this.telemetry = new Telemetry(1 << 20);
        this.clock = clock;
        this.counters = EngineCountersAccess.create(config.sampleRateHz(), ring::ringFullDrops);
        this.values = new EngineValues(new ValueBoard(VALUE_BOARD_SLOTS));
        this.agent = new RenderAgent(config, ring, Objects.requireNonNull(kit, "kit"), telemetry,
                (FrameCounter) clock, returns, counters, values, appliedStages, sampleReturns);
        this.commands = new StagedCommands(ring.proxy(), this::pollAppliedStages, STAGED_QUEUE, controlThreads);
    }

    /** An engine with the live (wall-clock) clock model. */
    public static Engine create(EngineConfig config, Kit kit) {
        return new Engine(config, kit, new LiveClock(config.sampleRateHz()));
    }

    /** An engine with the given clock, e.g. {@link EngineClock#fixed} for deterministic offline tests. */
    public static Engine create(EngineConfig config, Kit kit, EngineClock clock) {
        if (!(clock instanceof FrameCounter)) {
            throw new IllegalArgumentException("clock must be one of the engine's own clocks");
        }
        if (clock.sampleRateHz() != config.sampleRateHz()) {
            throw new IllegalArgumentException("clock at " + clock.sampleRateHz() + " Hz, engine at "
                    + config.sampleRateHz() + " Hz");
        }
        return new Engine(config, kit, clock);
    }

    public EngineConfig config() {
        return config;
    }

    public EngineProxy proxy() {
        return ring.proxy();
    }

    public EngineCounters counters() {
        return counters;
    }

    public EngineClock clock() {
        return clock;
    }

    public Telemetry telemetry() {
        return telemetry;
    }

    /**
     * Where the render thread publishes the current values it owns, on the value board that the
     * control namespace is built over.
     */
    public EngineValues values() {
        return values;
    }

    /** Slow work for this engine: prepare off the render thread, apply as one event, reply. */
    public StagedCommands commands() {
        return commands;
    }

    /**
     * Hands every stage the render thread has applied (or refused) since the last call to
     * {@code consumer}; one completing thread at a time ({@link #commands()} is that consumer in a
     * server). Returns how many.
     */
    public int pollAppliedStages(Consumer<Stage> consumer) {
        return appliedStages.drain(consumer::accept);
    }

    /** The render agent, for callers that drive it block by block (tests, benchmarks). */
    public RenderAgent agent() {
        return agent;
    }

    /**
     * Opens {@code sink} and starts the real-time render thread. The thread runs at maximum
     * priority; it never idles, because the sink's write paces it.
     *
     * @throws AudioSinkException if the sink cannot be opened (nothing was started)
     */
    public synchronized void start(AudioSink sink) throws AudioSinkException {
        start(sink, true);
    }

    /**
     * As {@link #start(AudioSink)}; with {@code ownHousekeeping} false the caller runs
     * {@link #housekeeping()} on a thread of its own (the server's conductor).
     */
    public synchronized void start(AudioSink sink, boolean ownHousekeeping) throws AudioSinkException {
        if (runner != null || callbackSink != null || offlineUsed) {
            throw new IllegalStateException("engine already started");
        }
        sink.open(config.sampleRateHz(), config.blockFrames());
        if (!warmedUp) {
            // Compile the render path before the first live block (see RenderWarmup); once per
            // engine, also when a first sink failed to open and a fallback is started.
            RenderWarmup.run(config, warmupBlocks);
            warmedUp = true;
        }
        this.sink = sink;
        agent.sink(sink);
        if (sink instanceof CallbackSink device) {
            // The device's real-time thread renders (JACK's process callback): no thread of ours.
            device.start(this::renderFromDevice);
            callbackSink = device;
        } else {
            runner = new AgentRunner(NoOpIdleStrategy.INSTANCE, this::onRenderError, null, new ErrorProofRender(agent));
            renderThread = new Thread(runner, "latentkit-render");
            renderThread.setPriority(Thread.MAX_PRIORITY);
            renderThread.setDaemon(true);
            renderThread.start();
        }
        // Tuned pads' pre-pitched copies, built off the render thread (a copy of a 2 s stereo drum
        // takes about a millisecond); idle, the copier looks for requests every 2 ms.
        if (prePitch) {
            copier = new AgentRunner(new SleepingMillisIdleStrategy(2), t -> LOG.error("pitched copy error", t), null,
                    controlThreads.agent("latentkit-pitched-copies", agent.pitchedCopies()));
            AgentRunner.startOnThread(copier);
        }
        if (ownHousekeeping) {
            housekeeping = new AgentRunner(new SleepingMillisIdleStrategy(20),
                    t -> LOG.error("housekeeping error", t), null,
                    controlThreads.agent("latentkit-housekeeping", housekeepingAgent));
            AgentRunner.startOnThread(housekeeping);
        }
    }

    /**
     * The housekeeping agent: frees retired kits, completes staged commands the render thread has
     * applied, logs once per kind what the render thread could only count, and attributes
     * deadline misses to their causes (MissForensics). Run by the engine's own thread, or by the
     * caller's when started without one.
     */
    public Agent housekeeping() {
        return housekeepingAgent;
    }

    /**
     * Receives retired kits on the housekeeping thread of a started engine (the default drops them
     * for the garbage collector). Any thread.
     */
    public void onRetired(Consumer<Kit> listener) {
        this.retiredListener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Receives, on the housekeeping thread of a started engine, pads' live samples that no pad and
     * no voice plays any more (the default drops them for the garbage collector). Any thread.
     */
    public void onRetiredSample(Consumer<Sample> listener) {
        this.retiredSampleListener = Objects.requireNonNull(listener, "listener");
    }

    /** Hands every retired live sample to {@code consumer}; one thread. Returns how many. */
    public int pollRetiredSamples(Consumer<Sample> consumer) {
        return sampleReturns.drain(consumer::accept);
    }

    /** Restarts of this engine's control threads and what caused the latest. Any thread. */
    public ControlThreads controlThreads() {
        return controlThreads;
    }

    /** Render-code failures so far (bugs; the loop survives them). */
    public long renderErrors() {
        return renderErrors.get();
    }

    /**
     * Blocks of synthetic session rendered by {@link #start} before going live, to let the JIT
     * compile the render path (default {@link io.latentkit.engine.render.RenderWarmup#DEFAULT_BLOCKS};
     * 0 skips the warm-up). Call before {@link #start}.
     */
    public void warmupBlocks(int blocks) {
        if (blocks < 0) {
            throw new IllegalArgumentException("warm-up blocks must be >= 0, got " + blocks);
        }
        this.warmupBlocks = blocks;
    }

    /**
     * The render thread, once started (for allocation measurements); {@code null} before, and for
     * a {@link CallbackSink} until the device has called for the first block.
     */
    public Thread renderThread() {
        return callbackSink != null ? callbackSink.callbackThread() : renderThread;
    }

    /** One block for a {@link CallbackSink}, on the device's thread; a failure is counted, as the runner does. */
    private void renderFromDevice() {
        try {
            agent.doWork();
        } catch (Throwable t) {
            onRenderError(t);
        }
    }

    /**
     * Renders {@code frames} frames (rounded up to whole blocks) into {@code sink} on the caller's
     * thread, as fast as the CPU allows. The sink is opened before and left open; the caller closes
     * it. May be called repeatedly to continue the same session.
     */
    public void renderOffline(AudioSink sink, long frames) throws AudioSinkException {
        if (runner != null || callbackSink != null) {
            throw new IllegalStateException("engine runs in real time");
        }
        if (this.sink != sink) {
            sink.open(config.sampleRateHz(), config.blockFrames());
            this.sink = sink;
            agent.sink(sink);
        }
        offlineUsed = true;
        long blocks = (frames + config.blockFrames() - 1) / config.blockFrames();
        for (long b = 0; b < blocks; b++) {
            agent.doWork();
            // The copier's work, between blocks on this thread: the render is the same either way
            // (PitchedCopies), only faster once tuned pads play from their copies.
            while (prePitch && agent.pitchedCopies().doWork() > 0) {
                // build every copy asked for in this block
            }
        }
    }

    /**
     * Whether tuned pads play from pre-pitched copies ({@link io.latentkit.engine.voice.PitchedCopies},
     * the default: built by a copier thread while the engine runs live, between blocks offline) or
     * interpolate every frame of every pitched voice (for comparisons). The output is the same
     * either way. Call before {@link #start} or {@link #renderOffline}; the owning thread.
     */
    public void prePitch(boolean on) {
        this.prePitch = on;
    }

    /** Hands every retired kit to {@code consumer}; one loader thread. Returns how many. */
    public int pollRetired(Consumer<Kit> consumer) {
        return returns.drain(consumer::accept);
    }

    /**
     * The render agent with an {@link Error} handled like an exception: counted for housekeeping
     * to log, and the next block rendered. Agrona's runner would rethrow it and end the render
     * thread (silence until a restart). Allocates nothing; the Error itself was allocated by
     * whoever threw it.
     */
    private final class ErrorProofRender implements Agent {
        private final RenderAgent render;

        ErrorProofRender(RenderAgent render) {
            this.render = render;
        }

        @Override
        public void onStart() {
            render.onStart();
        }

        @Override
        public int doWork() throws Exception {
            try {
                return render.doWork();
            } catch (Error e) {
                onRenderError(e);
                return 0;
            }
        }

        @Override
        public void onClose() {
            render.onClose();
        }

        @Override
        public String roleName() {
            return render.roleName();
        }
    }

    private void onRenderError(Throwable t) {
        // Runs on the render thread only when the render code itself failed, which is a bug. The
        // AgentRunner keeps the loop alive; the housekeeping thread logs it (the render thread
        // never logs).
        renderError.set(t);
        renderErrors.incrementAndGet();
    }

    /**
     * The housekeeping agent of a real-time engine: frees retired kits off the render thread and
     * logs, once per kind, what the render thread could only count.
     */
    private final class Housekeeping implements Agent {
        private final Set<String> logged = new HashSet<>();
        private long lastNonFinite;
        private long lastRingFull;
        private long lastMisses;
        private long lastLoggedMisses;
        private long lastMissLogNs = System.nanoTime() - 10_000_000_000L;
        /** Built on the first duty cycle: this agent is created before the engine's fields are set. */
        private MissForensics forensics;

        @Override
        public int doWork() {
            int work = returns.drain(kit -> retiredListener.accept(kit));
            work += sampleReturns.drain(sample -> retiredSampleListener.accept(sample));
            work += commands.completeApplied();
            Throwable t = renderError.getAndSet(null);
            if (t != null && logged.add("error:" + t.getClass().getName())) {
                LOG.error("render thread error (rendering continues; logged once per kind)", t);
                work++;
            }
            work += once("nonfinite", counters.nonFiniteSamples(), lastNonFinite,
                    "non-finite samples replaced with silence by the output guard");
            lastNonFinite = counters.nonFiniteSamples();
            work += once("ringfull", counters.ringFullDrops(), lastRingFull,
                    "control ring full: events dropped (see /status)");
            lastRingFull = counters.ringFullDrops();
            work += once("misses", counters.deadlineMisses(), lastMisses,
                    "audio deadline missed (underrun); consider a larger --buffer");
            lastMisses = counters.deadlineMisses();
            long now = System.nanoTime();
            if (forensics == null) {
                forensics = MissForensics.create(counters, 1_000_000_000L * config.blockFrames() / config.sampleRateHz(),
                        () -> callbackSink != null ? callbackSink.nativeThreadId()
                                : MissForensics.tidOfThreadNamed("latentkit-render"));
            }
            work += forensics.sample(now);
            long attributed = counters.missCauses().attributed();
            // Misses by cause, at most every 10 s while they keep coming (the render thread never logs).
            if (attributed != lastLoggedMisses && now - lastMissLogNs >= 10_000_000_000L) {
                LOG.warn(counters.missCauses().describe());
                lastLoggedMisses = attributed;
                lastMissLogNs = now;
                work++;
            }
            return work;
        }

        private int once(String kind, long now, long before, String message) {
            if (now > before && logged.add(kind)) {
                LOG.warn("{} (first occurrence; further ones are counted, not logged)", message);
                return 1;
            }
            return 0;
        }

        @Override
        public String roleName() {
            return "latentkit-housekeeping";
        }
    }

    /** Stops the render thread, if any, and closes the sink. */
    @Override
    public synchronized void close() {
        commands.close();
        if (runner != null) {
            runner.close();
            runner = null;
        }
        if (housekeeping != null) {
            housekeeping.close();
            housekeeping = null;
        }
        if (copier != null) {
            copier.close();
            copier = null;
        }
        if (sink != null) {
            sink.close(); // a CallbackSink's device stops calling here
            sink = null;
        }
        callbackSink = null;
    }
}
