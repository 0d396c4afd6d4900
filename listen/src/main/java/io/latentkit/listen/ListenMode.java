package io.latentkit.listen;

import io.latentkit.engine.Engine;
import io.latentkit.engine.control.ControlThreads;
import io.latentkit.engine.control.EngineClock;
import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.control.Telemetry;
import io.latentkit.listen.decide.DrumHitClassifier;
import io.latentkit.listen.decide.HitDecider;
import io.latentkit.listen.decide.VaeHitEmbedder;
import io.latentkit.listen.input.AudioSource;
import io.latentkit.listen.input.AudioSourceException;
import io.latentkit.listen.input.InputAgent;
import io.latentkit.listen.input.InputTimeline;
import io.latentkit.listen.input.SampleRing;
import io.latentkit.models.DrumClassifier;
import io.latentkit.models.ModelException;
import io.latentkit.models.ModelLoadException;
import io.latentkit.models.Models;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.NoOpIdleStrategy;
import org.agrona.concurrent.SleepingIdleStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Listen mode assembled: the input agent on its own thread (paced by the source's reads), the
 * listen agent on another (woken by each input block), and a private copy of the models loaded
 * in the background and then owned by the listen thread, so a hit's classification never queues
 * behind other model work (generating, morphing). Until the models are in, onsets are counted as
 * undecided; a missing input is retried every second while the server plays on.
 *
 * <p>Threading: {@link #start} and {@link #close} on the owning control thread; {@link #controls()},
 * {@link #counters()} and the accessors from any thread.
 */
public final class ListenMode implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ListenMode.class);

    /** What was asked for ({@link ListenConfig#autoLatency()}: the latency is measured at start). */
    private final ListenConfig requested;
    /** The configuration in force: {@code requested}, or once measured, the latency auto chose. */
    private volatile ListenConfig config;
    private volatile LatencyCalibration.Choice calibration;
    private final CompletableFuture<ListenConfig> configured = new CompletableFuture<>();
    private final EngineClock clock;
    private final int engineBlockFrames;
    private final AudioSource source;
    private final ListenControls controls;
    private final ListenCounters counters;
    private final InputTimeline timeline;
    private final AgentRunner inputRunner;
    private final AgentRunner listenRunner;
    private final ListenAgent listenAgent;
    private final String openFailure;
    private final CompletableFuture<String> ready = new CompletableFuture<>();
    private volatile Models models;
    private volatile boolean closed;

    private ListenMode(ListenConfig config, AudioSource source, EngineProxy proxy, EngineClock clock,
                       int engineBlockFrames, Supplier<Models> loader, Telemetry telemetry,
                       ControlThreads controlThreads) {
        this.requested = config;
        this.config = config;
        this.clock = clock;
        this.engineBlockFrames = engineBlockFrames;
        if (!config.autoLatency()) {
            configured.complete(config);
        }
        this.source = source;
        this.counters = new ListenCounters();
        SampleRing ring = new SampleRing((int) Math.round(config.ringSeconds() * ListenConfig.INPUT_RATE_HZ));
        this.timeline = new InputTimeline(clock, ListenConfig.INPUT_RATE_HZ);
        this.controls = new ListenControls(config, ring, timeline, counters);
        String failure = null;
        try {
            source.open(ListenConfig.INPUT_RATE_HZ);
            counters.inputOpened.incrementAndGet();
        } catch (AudioSourceException e) {
            counters.openFailures.incrementAndGet();
            failure = e.getMessage();
        }
        this.openFailure = failure;
        InputAgent input = new InputAgent(source, ListenConfig.INPUT_RATE_HZ, config.inputBlockFrames(), ring, timeline,
                new InputAgent.Counters(counters.framesRead, counters.inputLost, counters.inputOpened,
                        counters.openFailures), failure == null);
        ListenAgent listen = new ListenAgent(config, ring, timeline, input, proxy, clock, engineBlockFrames, controls,
                counters, telemetry == null ? null : telemetry.newReader());
        controls.agent(listen);
        this.listenAgent = listen;
        // The listen agent sleeps a millisecond at most between checks; each input block wakes it
        // at once (LockSupport.unpark ends the park of the sleeping strategy).
        listenRunner = new AgentRunner(new SleepingIdleStrategy(1_000_000L),
                t -> LOG.error("listen agent error (listening continues)", t), null,
                controlThreads.agent("latentkit-listen", listen));
        inputRunner = new AgentRunner(NoOpIdleStrategy.INSTANCE,
                t -> LOG.error("listen input error (listening continues)", t), null,
                controlThreads.agent("latentkit-listen-input", input));
        Thread listenThread = AgentRunner.startOnThread(listenRunner, r -> {
            Thread t = new Thread(r, "latentkit-listen");
            t.setDaemon(true);
            return t;
        });
        input.wake(listenThread);
        AgentRunner.startOnThread(inputRunner, r -> {
            Thread t = new Thread(r, "latentkit-listen-input");
            t.setDaemon(true);
            // Above the listen agent: a late read loses input, a late decision only a slot.
            t.setPriority(Thread.NORM_PRIORITY + 1);
            return t;
        });
        Thread modelLoader = new Thread(() -> load(loader, listen), "latentkit-listen-models");
        modelLoader.setDaemon(true);
        modelLoader.start();
    }

    /**
     * Starts listen mode on {@code engine}, with the shipped models (and the short-window classifier where the
     * build has one, {@link ListenModels}) loaded in the background.
     * Returns at once; a missing input is reported by {@link #openFailure()} and retried.
     */
    public static ListenMode start(ListenConfig config, AudioSource source, Engine engine) {
        return start(config, source, engine, ListenModels::load);
    }

    /** As {@link #start(ListenConfig, AudioSource, Engine)}, with the caller's model loader. */
    public static ListenMode start(ListenConfig config, AudioSource source, Engine engine, Supplier<Models> loader) {
        // The engine's telemetry says what it played and when: the feedback guard needs it.
        return new ListenMode(config, source, engine.proxy(), engine.clock(), engine.config().blockFrames(), loader,
                engine.telemetry(), engine.controlThreads());
    }

    /**
     * Starts listen mode with a model loader of the caller's (tests, benchmarks, other models),
     * without the engine's telemetry: no feedback guard.
     */
    public static ListenMode start(ListenConfig config, AudioSource source, EngineProxy proxy, EngineClock clock,
                                   int engineBlockFrames, Supplier<Models> loader) {
        return new ListenMode(config, source, proxy, clock, engineBlockFrames, loader, null, new ControlThreads());
    }

    private void load(Supplier<Models> loader, ListenAgent listen) {
        Models m;
        try {
            m = loader.get();
        } catch (RuntimeException e) {
            configured.complete(config);
            ready.completeExceptionally(e);
            return;
        }
        if (closed) {
            m.close();
            configured.complete(config);
            return;
        }
        models = m;
        try {
            HitDecider decider;
            ListenConfig chosen;
            if (requested.autoLatency()) {
                // Before the first decider: measuring uses the models' sessions, which the listen
                // thread owns from the post on.
                decider(m, requested); // a model that cannot decide fails here, not in the measurement
                chosen = calibrate(m);
                config = chosen;
                controls.configured(chosen);
            } else {
                chosen = config;
            }
            decider = decider(m, chosen);
            configured.complete(chosen);
            if (!listen.post(a -> {
                a.configure(chosen);
                a.decider(decider);
                controls.examplesChanged(decider);
                controls.modelsLoaded(decider);
                ready.complete(decider.classifier().describe());
            })) {
                ready.completeExceptionally(new IllegalStateException("listen agent did not take the models"));
            }
        } catch (ModelLoadException e) {
            configured.complete(config);
            ready.completeExceptionally(e);
        }
    }

    /**
     * Measures this machine and returns the configuration at the latency {@link LatencyCalibration}
     * chose, logging the choice; {@value ListenConfig#DEFAULT_LATENCY_MS} ms with a warning if it
     * could not measure. Model-loading thread.
     */
    private ListenConfig calibrate(Models m) {
        try {
            LatencyCalibration.Choice choice = LatencyCalibration.run(m, requested, clock.sampleRateHz(),
                    engineBlockFrames);
            calibration = choice;
            if (choice.fits()) {
                LOG.info("listen: {}", choice.describe());
            } else {
                LOG.warn("listen: {}", choice.describe());
            }
            return requested.chosen(choice.latencyMs());
        } catch (ModelException | RuntimeException e) {
            LOG.warn("listen: the latency could not be measured ({}); L = {} ms", e.getMessage(),
                    Math.round(ListenConfig.DEFAULT_LATENCY_MS));
            return requested.chosen(ListenConfig.DEFAULT_LATENCY_MS);
        }
    }

    /**
     * Puts another set of models in (a reload, issue 20): a decider over {@code next} replaces the
     * current one on the listen thread between two decisions, taking over the learned classes
     * (embedded again if {@code next} embeds differently); the old models are closed there. If
     * {@code next} cannot make a decider or take the classes, it is closed and nothing changes.
     *
     * @return completes with the new classifier's description, or fails with the one-line reason
     */
    public CompletableFuture<String> replaceModels(Models next) {
        CompletableFuture<String> done = new CompletableFuture<>();
        HitDecider d;
        try {
            d = decider(next, config); // the configuration in force: a reload keeps the latency chosen
        } catch (ModelLoadException e) {
            next.close();
            done.completeExceptionally(e);
            return done;
        }
        if (closed || !listenAgent.post(a -> {
            HitDecider old = a.decider();
            if (old != null && !old.learnedClasses().isEmpty()) {
                try {
                    d.restore(old.snapshot());
                } catch (Exception e) {
                    next.close();
                    done.completeExceptionally(new IllegalStateException(
                            "the learned classes could not move to the new models: " + e.getMessage(), e));
                    return;
                }
            }
            a.decider(d);
            controls.examplesChanged(d);
            controls.modelsLoaded(d);
            Models previous = models;
            models = next;
            if (previous != null) {
                previous.close();
            }
            done.complete(d.classifier().describe());
        })) {
            next.close();
            done.completeExceptionally(new IllegalStateException("listen mode is busy or stopped; models not replaced"));
        }
        return done;
    }

    /** The decider over loaded models: the drum classifier and the VAE encoder as enrolment space. */
    static HitDecider decider(Models m, ListenConfig config) throws ModelLoadException {
        ListenConfig.Classifier choice = classifierFor(config);
        DrumClassifier shortOne = m.shortClassifier();
        DrumClassifier c = choice == ListenConfig.Classifier.FULL ? m.classifier() : shortOne;
        DrumClassifier second = choice == ListenConfig.Classifier.BLEND ? m.classifier() : null;
        String version = c.model().metadata().getOrDefault("version", "unknown");
        int window = config.windowFrames();
        String description = "classifier " + version + " (" + choice.name().toLowerCase(Locale.ROOT)
                + ") on a " + Math.round(config.windowMs()) + " ms window";
        return new HitDecider(new DrumHitClassifier(c, second, description), new VaeHitEmbedder(m.vae(), version, window),
                ListenConfig.INPUT_RATE_HZ);
    }

    /**
     * The classifier a configuration decides with: its own choice, or for {@code AUTO} the
     * short-window classifier below {@value #BLEND_FROM_MS} ms windows and the blend of both from
     * there. The full-clip classifier alone knows nothing of windows this short (it reads 341 ms;
     * on a 30 ms window it is right 1 time in 20), and the blend beats it at every window measured.
     * The crossover was read off the training kits' rows of the listen benchmark (class accuracy
     * by window and classifier), not the evaluation kit's.
     */
    public static ListenConfig.Classifier classifierFor(ListenConfig config) {
        if (config.classifier() != ListenConfig.Classifier.AUTO) {
            return config.classifier();
        }
        return config.windowMs() < BLEND_FROM_MS ? ListenConfig.Classifier.SHORT : ListenConfig.Classifier.BLEND;
    }

    /** Shortest window {@code AUTO} decides with the blend of both classifiers. */
    public static final double BLEND_FROM_MS = 40.0;

    /** Completes with the classifier's description once the models are in (fails with the reason they are not). */
    public CompletableFuture<String> ready() {
        return ready;
    }

    public ListenControls controls() {
        return controls;
    }

    public ListenCounters counters() {
        return counters;
    }

    /** The configuration in force (with auto, the provisional one until {@link #configured()} completes). */
    public ListenConfig config() {
        return config;
    }

    /**
     * Completes with the configuration in force once its latency is known: at once for a fixed
     * latency; for auto once it has been measured (or, without models, with the provisional one).
     */
    public CompletableFuture<ListenConfig> configured() {
        return configured;
    }

    /** What auto measured and chose; empty for a fixed latency or before (or without) the measurement. */
    public Optional<LatencyCalibration.Choice> calibration() {
        return Optional.ofNullable(calibration);
    }

    /** The input-to-engine mapping (for measurements). */
    public InputTimeline timeline() {
        return timeline;
    }

    /** Why the input could not be opened at start, if it could not (it is retried). */
    public Optional<String> openFailure() {
        return Optional.ofNullable(openFailure);
    }

    /** One line for the start-up banner. */
    public String describe() {
        ListenConfig c = config;
        LatencyCalibration.Choice choice = calibration;
        if (requested.autoLatency() && c.autoLatency()) {
            return source.describe() + ", drum latency auto (measured once the models are in)";
        }
        return source.describe() + ", drum " + Math.round(c.latencyMs()) + " ms after each onset ("
                + Math.round(c.windowMs()) + " ms classification window)"
                + (choice != null ? "; " + choice.describe() : requested.autoLatency() ? "; auto could not measure" : "");
    }

    /** {@link #describe()} once the latency is known, waiting at most {@code timeoutMs} for it. */
    public String describe(long timeoutMs) {
        try {
            configured.get(timeoutMs, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // described as it stands
        }
        return describe();
    }

    /** Stops both agents, closes the input and the models. */
    @Override
    public void close() {
        closed = true;
        // The input thread may be blocked in a read: closing the source releases it.
        source.close();
        inputRunner.close();
        listenRunner.close();
        Models m = models;
        if (m != null) {
            m.close();
        }
    }
}
