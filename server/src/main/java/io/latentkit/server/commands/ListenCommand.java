package io.latentkit.server.commands;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latentkit.core.kit.Kit;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.listen.ListenConfig;
import io.latentkit.listen.ListenMode;
import io.latentkit.listen.ListenModels;
import io.latentkit.listen.OfflineListen;
import io.latentkit.listen.input.AudioSource;
import io.latentkit.listen.input.AudioSourceException;
import io.latentkit.listen.onset.StreamingOnsetDetector;
import io.latentkit.models.AudioFiles;
import io.latentkit.models.BadAudioException;
import io.latentkit.models.ModelLoadException;
import io.latentkit.models.Models;
import io.latentkit.presets.kit.KitLibrary;
import io.latentkit.server.ServerKits;
import io.latentkit.server.UsageException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code latentkit listen FILE [--json] [--kit NAME]}: listen mode's detector and decider over a
 * recording, one line per hit (time, class, confidence, pad), so a script sees what
 * {@code serve --listen} would have played with that kit (toms sized against its toms). Also holds {@link ServeOptions}, the {@code serve} options that start listen mode.
 *
 * <p>Exit codes: 0 listened, 2 a file that cannot be used or a bad option (one line on stderr),
 * 1 the shipped models failed. Runs on the caller's thread, which owns the models.
 */
@Command(name = "listen", mixinStandardHelpOptions = true,
        description = "Prints the hits listen mode finds in a recording (WAV, AIFF or FLAC): time, class, confidence.")
public final class ListenCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "the recording")
    Path file;

    @Option(names = "--json", description = "one JSON object per hit: time (s), class, confidence, pad, frame")
    boolean json;

    @Option(names = "--listen-latency-ms", paramLabel = "MS", defaultValue = "20",
            description = "the latency whose classification window to use (window = latency - 10 ms). Default: ${DEFAULT-VALUE}.")
    double latencyMs;

    @Option(names = "--threshold", paramLabel = "T", defaultValue = "1.0",
            description = "onset threshold, as /listen/threshold (higher finds fewer hits). Default: ${DEFAULT-VALUE}.")
    float threshold;

    @Option(names = "--models", paramLabel = "DIR", description = "folder with other model files (default: the shipped models)")
    Path modelsDir;

    @Option(names = "--kit", paramLabel = "NAME",
            description = "size each tom against this library kit's toms, as serve sizes it against the playing kit"
                    + " (default: every tom is the mid tom)")
    String kitName;

    @Mixin
    KitCommand.DataOption data = new KitCommand.DataOption();

    @Spec
    CommandSpec spec;

    public ListenCommand() {
        // picocli fills the fields.
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ListenConfig config;
        try {
            config = ListenConfig.forLatency(latencyMs);
            new StreamingOnsetDetector(ListenConfig.INPUT_RATE_HZ, config.onset())
                    .sensitivity(threshold);
        } catch (IllegalArgumentException e) {
            err.println("listen: " + e.getMessage());
            return 2;
        }
        Kit kit = null;
        if (kitName != null) {
            try {
                kit = new ServerKits(EngineConfig.defaults().sampleRateHz(), new KitLibrary(data.folder())).loadNow(kitName);
            } catch (IllegalArgumentException e) {
                err.println("listen: --kit " + kitName + ": " + e.getMessage());
                return 2;
            }
        }
        float[] mono;
        try {
            mono = AudioFiles.readMono(file, ListenConfig.INPUT_RATE_HZ);
        } catch (BadAudioException e) {
            err.println("listen: " + e.getMessage());
            return 2;
        }
        Models models = modelsDir == null ? ListenModels.load() : Models.loadOrUnavailable(modelsDir, 1);
        if (!models.isAvailable()) {
            err.println("listen: models unavailable: " + models.unavailableReason().orElse("unknown"));
            return modelsDir == null ? 1 : 2;
        }
        ObjectMapper mapper = new ObjectMapper();
        try (models) {
            OfflineListen listen = new OfflineListen(config, models);
            listen.kit(kit);
            List<OfflineListen.Hit> hits = listen.run(mono, threshold);
            for (OfflineListen.Hit h : hits) {
                if (json) {
                    ObjectNode o = mapper.createObjectNode();
                    o.put("time", Math.round(h.timeSeconds() * 1e5) / 1e5);
                    o.put("class", h.className());
                    o.put("confidence", Math.round(h.confidence() * 1e4) / 1e4);
                    o.put("pad", h.pad());
                    o.put("frame", h.onsetFrame());
                    out.println(mapper.writeValueAsString(o));
                } else {
                    out.println(String.format(Locale.ROOT, "%9.4f s  %-13s %.3f", h.timeSeconds(), h.className(),
                            h.confidence()));
                }
            }
        } catch (ModelLoadException | IOException e) {
            err.println("listen: internal failure: " + e.getMessage());
            return 1;
        }
        out.flush();
        return 0;
    }

    /**
     * The options of {@code serve} that start listen mode: {@code --listen default|device:NAME|wav:FILE}
     * and {@code --listen-latency-ms}. Checked before any thread starts; {@link #start} then runs
     * listen mode on the engine, and a missing input device is one warning, not a failure.
     *
     * <p>Threading: the serve command's thread.
     */
    public static final class ServeOptions {
        @Option(names = "--listen", paramLabel = "default|device:NAME|wav:FILE",
                description = "Listen mode: trigger the matching drum for each hit heard on the default capture device,"
                        + " a named one, or a sound file played in at real-time pace. Default: off.")
        String listen;

        @Option(names = "--listen-latency-ms", paramLabel = "auto|MS", defaultValue = ListenConfig.AUTO,
                description = "Listen mode's fixed latency from a hit to its drum: auto (the smallest that holds on this"
                        + " machine, measured at start) or " + (int) ListenConfig.MIN_LATENCY_MS + "..1000 ms."
                        + " Default: ${DEFAULT-VALUE}.")
        String latencyMs;

        @Option(names = "--listen-models", paramLabel = "DIR",
                description = "Listen mode's models from a folder (classifier.onnx, vae_encoder.onnx, vae_decoder.onnx),"
                        + " e.g. a classifier trained for short windows. Default: the shipped models, with classifier_short.onnx where shipped.")
        Path modelsDir;

        private ListenConfig config;
        private AudioSource source;
        private CompletableFuture<Models> models;
        private Path modelSource;

        /** A fresh copy of listen mode's models from its source (a reload, issue 20); never throws. */
        public Models loadModels() {
            return modelSource == null ? ListenModels.load() : Models.loadOrUnavailable(modelSource, Models.DEFAULT_THREADS);
        }

        /** Parses and checks the options; a no-op without {@code --listen}. */
        public void check() {
            check(null);
        }

        /**
         * As {@link #check()}; without {@code --listen-models}, listen mode's copy comes from
         * {@code serveModels} ({@code serve --models}; {@code null}: the shipped models).
         */
        public void check(Path serveModels) {
            if (listen == null) {
                return;
            }
            try {
                config = ListenConfig.parseLatency(latencyMs);
                source = AudioSource.parse(listen, config.inputBlockFrames());
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            if (listen.trim().startsWith("wav:")) {
                // A file is input the user named: decode it now, so a bad one is a usage error
                // before anything starts (the source keeps what it decoded).
                try {
                    source.open(ListenConfig.INPUT_RATE_HZ);
                } catch (AudioSourceException e) {
                    throw new UsageException(e.getMessage(), e);
                }
            }
            // Listen mode's own copy of the models loads now, beside serve's, before the render
            // thread goes live (loading while it plays costs deadline misses on two cores).
            if (modelsDir != null && !Files.isDirectory(modelsDir)) {
                throw new UsageException("--listen-models " + modelsDir + ": not a folder");
            }
            modelSource = modelsDir != null ? modelsDir : serveModels;
            models = CompletableFuture.supplyAsync(this::loadModels, r -> {
                Thread t = new Thread(r, "latentkit-listen-models");
                t.setDaemon(true);
                t.start();
            });
        }

        /**
         * Starts listen mode on a started engine, or returns {@code null} without {@code --listen}.
         * An input that cannot be opened is one warning on {@code err}; listen mode keeps retrying.
         */
        public ListenMode start(Engine engine, PrintWriter err) {
            if (source == null) {
                return null;
            }
            ListenMode mode = ListenMode.start(config, source, engine, models::join);
            mode.ready().whenComplete((classifier, error) -> {
                if (error != null) {
                    Throwable why = error.getCause() != null ? error.getCause() : error;
                    err.println("latentkit: warning: listen mode has no models (" + why.getMessage()
                            + "); hits are counted, not played");
                    err.flush();
                }
            });
            mode.openFailure().ifPresent(why -> {
                err.println("latentkit: warning: " + why + "; serving without listening (retried every second)");
                err.flush();
            });
            return mode;
        }
    }
}
