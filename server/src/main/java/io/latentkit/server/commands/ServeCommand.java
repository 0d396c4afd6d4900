package io.latentkit.server.commands;

import io.latentkit.core.kit.DefaultKit;
import io.latentkit.core.namespace.Namespace;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.render.MissForensics;
import io.latentkit.engine.sink.AudioSink;
import io.latentkit.engine.sink.AudioSinkException;
import io.latentkit.engine.sink.CallbackSink;
import io.latentkit.midi.MidiClockOut;
import io.latentkit.midi.MidiConfig;
import io.latentkit.midi.MidiDeviceStatus;
import io.latentkit.midi.MidiInput;
import io.latentkit.midi.NamespaceKnobTargets;
import io.latentkit.models.Models;
import io.latentkit.models.OnnxModel;
import io.latentkit.osc.FileCommandPolicy;
import io.latentkit.osc.OscServer;
import io.latentkit.osc.OscServerConfig;
import io.latentkit.osc.ServerActions;
import io.latentkit.osc.transport.Cidr;
import io.latentkit.presets.LibraryException;
import io.latentkit.presets.kit.KitLibrary;
import io.latentkit.presets.preset.Autosaver;
import io.latentkit.presets.preset.PresetStore;
import io.latentkit.server.AudioOptions;
import io.latentkit.server.Conductor;
import io.latentkit.server.Lifecycle;
import io.latentkit.server.Main;
import io.latentkit.server.MidiValueFollower;
import io.latentkit.server.PresetActions;
import io.latentkit.server.RealtimeIsolation;
import io.latentkit.server.ServeActions;
import io.latentkit.server.ServeModels;
import io.latentkit.server.ServerKits;
import io.latentkit.server.ServerNamespace;
import io.latentkit.server.Supervisor;
import io.latentkit.server.TempoFollower;
import io.latentkit.server.UsageException;
import io.latentkit.server.WebOptions;
import io.latentkit.web.WebConfig;
import io.latentkit.web.WebServer;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.sound.midi.MidiUnavailableException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import io.latentkit.engine.control.AppliedLog;
import io.latentkit.engine.sequence.SequencerProxy;
import io.latentkit.midi.PatternTransport;
import io.latentkit.presets.pattern.PatternStore;
import io.latentkit.server.bounce.ControlLogWriter;
import io.latentkit.server.patterns.PatternGenerator;
import io.latentkit.server.patterns.PatternServeOptions;
import io.latentkit.server.patterns.PatternServerActions;
import java.nio.file.Files;
import java.nio.file.Path;
import io.latentkit.server.LatentOptions;
import io.latentkit.models.latent.LatentConfig;
import io.latentkit.models.latent.LatentAgent;
import io.latentkit.server.LatentSection;
import io.latentkit.models.InferenceWorker;
import io.latentkit.listen.ListenMode;
import io.latentkit.listen.ListenNodes;

/**
 * {@code latentkit serve}: the live server. Builds the default kit, opens the audio output (the
 * default device, or null output with one warning where there is none), starts the render thread
 * and the OSC server, prints what it runs on and where it listens, and serves until SIGINT or
 * SIGTERM, then shuts down in order: inputs first, then the render thread, then the device.
 *
 * <p>Threading: the main thread builds everything and then waits for shutdown.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the live instrument server.")
public final class ServeCommand implements Callable<Integer> {
    /** How long start-up waits for the models before serving without them (they keep loading). */
    private static final long MODEL_WAIT_SECONDS = 60;

    @Mixin
    AudioOptions audio = new AudioOptions();

    @Option(names = "--osc-port", paramLabel = "PORT", description = "OSC port, UDP and TCP (SLIP). Default: 9000.")
    Integer oscPort;

    @Option(names = "--osc-bind", paramLabel = "ADDRESS",
            description = "Address OSC listens on. Default: 127.0.0.1; any other needs --osc-allow.")
    String oscBind;

    @Option(names = "--osc-allow", paramLabel = "CIDR,...",
            description = "Senders allowed when bound beyond loopback, e.g. 192.168.1.0/24,10.0.0.7.")
    String oscAllow;

    @Option(names = "--osc-file-allow", paramLabel = "CIDR,...",
            description = "Hosts that may send commands that load or write files (/kit/load, /preset/*, ...); "
                    + "with --osc-secret, others must give the secret.")
    String oscFileAllow;

    @Option(names = "--osc-secret", paramLabel = "SECRET",
            description = "A shared secret other hosts add as the last argument of commands that touch files "
                    + "(or set LATENTKIT_OSC_SECRET, which ps does not show).")
    String oscSecret;

    @Mixin
    WebOptions web = new WebOptions();

    @Mixin
    MidiCommand.ServeOptions midi = new MidiCommand.ServeOptions();

    @Mixin
    KitCommand.DataOption data = new KitCommand.DataOption();

    @Mixin
    LatentOptions latentOptions = new LatentOptions();
    // Listen mode (issue 15): --listen and --listen-latency-ms.
    @Mixin
    ListenCommand.ServeOptions listen = new ListenCommand.ServeOptions();

    @Option(names = "--autosave-seconds", paramLabel = "S", defaultValue = "30",
            description = "Autosave the performance every S seconds (0 = off). Default: ${DEFAULT-VALUE}.")
    int autosaveSeconds;

    @Option(names = "--realtime", paramLabel = "auto|off", defaultValue = "auto",
            description = "Isolate the render thread where the system allows it: pinned to the last CPU with every"
                    + " other thread kept off it, SCHED_FIFO priority (where RLIMIT_RTPRIO allows), memory locked"
                    + " (mlockall); off: none; or a list of pin,fifo,mlock. The banner says what it got."
                    + " Default: ${DEFAULT-VALUE}.")
    String realtime;

    @Option(names = "--recover", description = "Load the autosave of a previous session that did not stop cleanly.")
    boolean recover;

    @Mixin
    PatternServeOptions patterns = new PatternServeOptions();

    @Option(names = "--models", paramLabel = "DIR", description = "Load the models from DIR (classifier.onnx, "
            + "classifier_short.onnx, vae_encoder.onnx, vae_decoder.onnx) instead of the shipped ones; /models/reload "
            + "reads them again. Default: the shipped models.")
    Path modelsDir; // issue 20

    @Option(names = "--model-bypass-rest-ms", paramLabel = "MS", defaultValue = "30000",
            description = "How long a model that gave 3 non-finite results in a row is bypassed before one trial"
                    + " run decides again (1..3600000). Default: ${DEFAULT-VALUE}.")
    long bypassRestMs; // issue 20

    @Option(names = "--supervise", description = "Run the server as a child process and restart it (with --recover) "
            + "when it dies; SIGTERM stops both cleanly.")
    boolean supervise;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // Every option is checked before anything starts.
        EngineConfig config = audio.engineConfig();
        AudioOptions.Kind kind = audio.kind();
        Set<RealtimeIsolation.Measure> isolation = RealtimeIsolation.parse(realtime);
        OscServerConfig oscConfig;
        try {
            oscConfig = OscServerConfig.fromOptions(oscPort, oscBind, oscAllow);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        WebConfig webConfig = web.disabled() ? null : web.toConfig();
        FileCommandPolicy filePolicy;
        try {
            List<Cidr> fileAllow = new ArrayList<>();
            if (oscFileAllow != null) {
                for (String part : oscFileAllow.split(",")) {
                    if (!part.isBlank()) {
                        fileAllow.add(Cidr.parse(part));
                    }
                }
            }
            String secret = oscSecret != null ? oscSecret : System.getenv("LATENTKIT_OSC_SECRET");
            filePolicy = new FileCommandPolicy(fileAllow, secret);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--osc-file-allow: " + e.getMessage());
        }
        MidiConfig midiConfig = midi.disabled() ? null : midi.toConfig(spec.commandLine());
        if (autosaveSeconds < 0 || autosaveSeconds > 86_400) {
            throw new UsageException("--autosave-seconds must be 0..86400, got " + autosaveSeconds);
        }
        if (modelsDir != null && !Files.isDirectory(modelsDir)) {
            throw new UsageException("--models " + modelsDir + ": not a folder");
        }
        listen.check(modelsDir); // without --listen-models, listen mode's copy follows --models
        if (bypassRestMs < 1 || bypassRestMs > 3_600_000) {
            throw new UsageException("--model-bypass-rest-ms must be 1..3600000, got " + bypassRestMs);
        }
        OnnxModel.defaultBypassRestNanos(TimeUnit.MILLISECONDS.toNanos(bypassRestMs)); // every set loaded from now on
        if (supervise) {
            List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
            if (!args.isEmpty() && args.get(0).equals("serve")) {
                args.remove(0);
            }
            args.remove("--supervise");
            return new Supervisor(args, err).run();
        }
        KitLibrary library = new KitLibrary(data.folder());
        LatentConfig latentConfig = latentOptions.config();
        Path controlLogFile = patterns.recordControl(); // issue 17

        Engine engine = Engine.create(config, DefaultKit.create(config.sampleRateHz()));
        // The models load before the render thread goes live: on two cores, loading them while it
        // played cost deadline misses. Start-up waits for them, at most a minute.
        CompletableFuture<Models> modelsLoading = new CompletableFuture<>();
        Path modelFolder = modelsDir;
        Thread modelLoader = new Thread(() -> modelsLoading.complete(ServeModels.load(modelFolder)), "latentkit-models");
        modelLoader.setDaemon(true);
        modelLoader.start();
        try {
            modelsLoading.get(MODEL_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            err.println("latentkit: models still loading after " + MODEL_WAIT_SECONDS + " s; serving meanwhile");
        }
        // Everything below starts in order and stops in reverse order (inputs first).
        Lifecycle running = new Lifecycle();
        // ---- patterns (issue 17): the control log is opened before the render thread starts and
        // closed after it stopped (the lifecycle stops in reverse), so it holds every applied event.
        ControlLogWriter controlLog = null;
        if (controlLogFile != null) {
            AppliedLog applied = new AppliedLog(1 << 16);
            engine.agent().appliedLog(applied);
            try {
                controlLog = new ControlLogWriter(controlLogFile, applied, config,
                        ServerKits.DEFAULT, () -> engine.counters().framePosition());
            } catch (UncheckedIOException e) {
                throw new UsageException(e.getMessage(), e);
            }
            running.started("control log", controlLog);
        }
        // ----
        AudioSink sink = audio.realtimeSink();
        try {
            engine.start(sink, false);
        } catch (AudioSinkException e) {
            if (kind != AudioOptions.Kind.DEFAULT) {
                throw new UsageException(e.getMessage(), e);
            }
            err.println("latentkit: warning: " + e.getMessage() + "; serving with null output (no sound)");
            err.flush();
            sink = audio.nullSink();
            engine.start(sink, false);
        }
        running.started("engine", engine);
        Conductor conductor = new Conductor(engine.controlThreads()).add(engine.housekeeping());
        List<String> isolated = RealtimeIsolation.apply(isolation, renderTid(engine, sink));
        if (controlLog != null) {
            conductor.add(controlLog);
        }
        // Listen mode: null without --listen; a missing input device is one warning.
        ListenMode listenMode = listen.start(engine, err);
        if (listenMode != null) {
            running.started("listen", listenMode); // stops before the engine it plays
        }
        ServerKits kits = new ServerKits(config.sampleRateHz(), library);
        AtomicReference<ServerActions> actionsRef = new AtomicReference<>();
        // Latent pads (issue 14): the agent backs the /latent nodes; its worker comes with the models.
        LatentAgent latent = LatentOptions.agent(engine, latentConfig,
                data.folder().sounds().root());
        PatternServerActions patternActions = new PatternServerActions(
                engine.proxy(), engine.commands(), new PatternStore(data.folder().patterns()),
                PatternGenerator.shipped(System.nanoTime()));
        ServeModels serveModels = new ServeModels(modelFolder, latent); // issue 20: /models/reload
        if (listenMode != null) {
            serveModels.listen(listenMode, listen::loadModels); // its copy joins every reload
        }
        Namespace namespace = ServerNamespace.build(engine, kits, actionsRef::get, () -> patternActions,
                () -> listenMode == null ? null : listenMode.controls(), latent, serveModels);
        OscServer osc;
        try {
            osc = OscServer.start(oscConfig, namespace, engine, System::nanoTime);
            osc.fileCommands(filePolicy);
        } catch (UncheckedIOException e) {
            running.close();
            throw new UsageException(e.getMessage(), e);
        }
        MidiClockOut clockOut = null;
        if (midiConfig != null && midi.clockOut() != null) {
            try {
                clockOut = MidiClockOut.open(midi.clockOut(), 120.0);
                conductor.add(new TempoFollower(engine.telemetry().newReader(), clockOut));
            } catch (MidiUnavailableException | IllegalArgumentException e) {
                err.println("latentkit: warning: MIDI clock out to '" + midi.clockOut() + "' unavailable: "
                        + e.getMessage());
            }
        }
        PresetStore presetStore = new PresetStore(data.folder().presets());
        MidiInput midiInput = midiConfig == null ? null : MidiInput.start(midiConfig, engine);
        if (midiInput != null) {
            // Learn targets are the namespace's value nodes; pick-up follows the engine's values.
            midiInput.targetResolver(NamespaceKnobTargets.resolver(namespace));
            conductor.add(new MidiValueFollower(engine.telemetry().newReader(), midiInput));
            midiInput.transportListener(new PatternTransport(
                    new SequencerProxy(engine.proxy()), midiConfig.clockIn()));
        }
        PresetActions presetActions = new PresetActions(engine.proxy(), engine.commands(), kits, presetStore, midiInput)
                .section(new LatentSection(latent));
        if (listenMode != null) {
            presetActions.listen(listenMode.controls()); // presets keep the learned classes (issue 15)
        }
        ServeActions actions = new ServeActions(presetActions, presetStore, midiInput);
        actions.audioSink(sink); // device-loss counters in /status.reply (issue 20)
        actions.serveModels(serveModels); // model reloads and health in /status.reply (issue 20)
        osc.actions(actions);
        actionsRef.set(actions);
        Autosaver autosaver = autosaveSeconds == 0 ? null
                : new Autosaver(data.folder().presets(), presetActions::capture, Duration.ofSeconds(autosaveSeconds));
        // Before recovery: an autosave with latent pads needs the VAE to decode them (issue 14).
        modelsLoading.thenAccept(m -> {
            // The worker is made even without models, so that /models/reload can fill it (issue 20).
            InferenceWorker inference = serveModels.started(m);
            running.started("inference", inference);
            running.started("latent pads", latent); // stops taking requests before the worker stops
            running.started("model reload", serveModels);
            err.println(m.isAvailable() ? "latentkit: models loaded (classifier, VAE)"
                    : "latentkit: models unavailable: " + m.unavailableReason().orElse("unknown") + "; serving without them");
            err.flush();
        });
        String recovery = null;
        String autosaveState = autosaver == null ? "off" : "every " + autosaveSeconds + " s to " + autosaver.autosaveFile();
        if (autosaver != null) {
            try {
                recovery = offerRecovery(autosaver, presetStore, presetActions);
            } catch (LibraryException e) {
                // Serve anyway: the conductor retries the autosave at every interval.
                autosaveState = "off for now (" + e.getMessage() + "); retrying every " + autosaveSeconds + " s";
                err.println("latentkit: warning: autosave " + autosaveState);
                err.flush();
            }
        }
        if (autosaver != null) {
            // Closed after the conductor stops: a last save, and the session marker removed.
            running.started("autosave", autosaver);
            conductor.add(autosaver);
        }
        conductor.start();
        running.started("conductor", conductor);
        if (clockOut != null) {
            running.started("midi clock out", clockOut);
        }
        running.started("osc", osc);
        latent.subscribers(osc::notifySubscribers); // issue 14: /latent/pos and /latent/ready to /notify
        if (listenMode != null) {
            listenMode.controls().addHitListener(ListenNodes.telemetry(osc::notifySubscribers)); // issue 15
        }
        // The web console hands its OSC to the OSC receiver, so it starts after OSC and stops before it.
        WebServer webServer = null;
        if (webConfig != null) {
            try {
                webServer = running.started("web", WebServer.start(webConfig, osc, () -> namespace));
            } catch (UncheckedIOException e) {
                running.close();
                throw new UsageException(e.getMessage(), e);
            }
        }
        if (midiInput != null) {
            running.started("midi in", midiInput);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            running.close();
            err.println("latentkit: stopped (" + engine.counters().framePosition() + " frames rendered, "
                    + engine.counters().deadlineMisses() + " deadline misses)");
            err.flush();
            // Read before the count-down: after it the main thread returns and sets the flag itself.
            boolean bySignal = !Main.exitingOnItsOwn();
            stopped.countDown();
            if (bySignal) {
                // SIGINT or SIGTERM: the orderly stop above completed, so this is a clean exit (the
                // JVM would report 130 or 143, which systemd counts as a failure).
                Runtime.getRuntime().halt(0);
            }
        }, "latentkit-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        out.printf("latentkit serving: %d Hz, %d-frame blocks, %d voices%n", config.sampleRateHz(),
                config.blockFrames(), config.voices());
        out.printf("audio out: %s%n", sink.describe());
        out.printf("realtime: %s%n", String.join("; ", isolated));
        out.printf("osc: udp and tcp (SLIP) on %s:%d%n", oscConfig.bindAddress().getHostAddress(), osc.port());
        if (listenMode != null) {
            // With --listen-latency-ms auto, the latency is measured once the models are in (well under a second).
            out.printf("listen: %s%n", listenMode.describe(5_000));
        }
        out.printf("web console: %s%n", webServer == null ? "off (--no-http)"
                : webServer.consoleUrl() + " (OSCQuery at /" + (webServer.advertised() ? ", advertised over mDNS)" : ")"));
        out.printf("midi: %s%n", midiInput == null ? "off (--no-midi)" : describe(midiInput.devices()));
        if (clockOut != null) {
            out.printf("midi clock out: %s, following the engine tempo%n", midi.clockOut());
        }
        out.printf("kit library: %s, presets: %s%n", library.folder().root(), presetStore.folder().root());
        if (controlLogFile != null) {
            out.printf("control log: %s (re-render with: latentkit render --control %s --out FILE.wav)%n",
                    controlLogFile, controlLogFile);
        }
        out.printf("autosave: %s%n", autosaveState);
        if (recovery != null) {
            out.println(recovery);
        }
        out.println("stop with Ctrl-C (SIGINT) or SIGTERM");
        out.flush();
        stopped.await();
        return 0;
    }

    private static String describe(List<MidiDeviceStatus> devices) {
        if (devices.isEmpty()) {
            return "no input devices yet (rescanned every few seconds)";
        }
        StringBuilder b = new StringBuilder();
        for (MidiDeviceStatus d : devices) {
            if (b.length() > 0) {
                b.append(", ");
            }
            b.append(d.name()).append(" (").append(d.state()).append(")");
        }
        return b.toString();
    }

    /**
     * Starts the autosaver. If the previous session stopped without a clean shutdown after
     * autosaving, its state is kept as a named preset, never overwritten, and loaded when
     * {@code --recover} asks; returns the line that says so, or {@code null}.
     */
    private String offerRecovery(Autosaver autosaver, PresetStore store, PresetActions presets) throws LibraryException {
        Optional<Autosaver.Recovery> found = autosaver.start();
        if (found.isEmpty()) {
            return recover ? "recover: nothing to recover (the previous session stopped cleanly)" : null;
        }
        Autosaver.Recovery r = found.get();
        String name = "recovered-" + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(r.savedAt());
        store.save(name, r.preset());
        if (recover) {
            presets.apply(r.preset(), name);
            return "recover: the previous session did not stop cleanly; its autosave of " + r.savedAt()
                    + " is loaded and kept as preset '" + name + "'";
        }
        return "recover: the previous session did not stop cleanly; its autosave of " + r.savedAt()
                + " is kept as preset '" + name + "' (load it with /preset/load " + name + " or start with --recover)";
    }

    /** The render thread's Linux id: ours by name, or the device's (JACK) once it has called. */
    private static long renderTid(Engine engine, AudioSink sink) throws InterruptedException {
        if (sink instanceof CallbackSink device) {
            long deadline = System.nanoTime() + 2_000_000_000L;
            while (device.nativeThreadId() < 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            return device.nativeThreadId();
        }
        return MissForensics.tidOfThreadNamed("latentkit-render");
    }
}
