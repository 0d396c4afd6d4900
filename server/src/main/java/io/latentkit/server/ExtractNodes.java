package io.latentkit.server;

import io.latentkit.core.namespace.Args;
import io.latentkit.core.namespace.Call;
import io.latentkit.core.namespace.Namespace;
import io.latentkit.core.namespace.Node;
import io.latentkit.core.namespace.NodeKind;
import io.latentkit.engine.Engine;
import io.latentkit.extract.ExtractJob;
import io.latentkit.extract.ExtractionException;
import io.latentkit.extract.Progress;
import io.latentkit.models.Models;
import io.latentkit.osc.OscNodes;
import io.latentkit.presets.DataFolder;
import io.latentkit.presets.LibraryException;
import io.latentkit.presets.kit.KitLibrary;
import io.latentkit.presets.kit.KitManifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code /kit/extract ,ss recording kit}: extracts a kit from a recording of the library's
 * {@code recordings/} folder, as a staged command on the engine's loader thread (decode, onsets,
 * models, the atomic kit write: nothing reaches the render thread), replying {@code /done} once
 * the kit is in the library (then {@code /kit/load} swaps it in) or {@code /fail} with the reason.
 * A kit of that name is replaced only if an extraction made it.
 *
 * <p>The models it uses are its own copy of the set serve is serving (opened from that set's bytes,
 * never from the folder, which a refused reload may have left broken), made on the loader thread at
 * the first extraction and again after each successful reload, and used only there (the sessions are not thread-safe; the loader is one thread). While an extraction
 * runs, other loader work (kit loads) waits for it.
 *
 * <p>Threading: {@link #register} on the thread that builds the namespace; the handler on the OSC
 * receiver thread (it returns at once); the work on the loader thread.
 */
public final class ExtractNodes {
    private final DataFolder data;
    private final ServeModels source;
    /** Loader thread only. */
    private Models models;
    private long modelsGeneration;

    private ExtractNodes(DataFolder data, ServeModels source) {
        this.data = data;
        this.source = source;
    }

    /**
     * Adds {@code /kit/extract}.
     *
     * @param data the library, or {@code null} when there is none ({@code /kit/extract} fails)
     */
    public static void register(Namespace.Builder ns, Engine engine, DataFolder data) {
        register(ns, engine, data, null);
    }

    /**
     * As {@link #register(Namespace.Builder, Engine, DataFolder)}, with serve's models: extraction
     * loads its own copy from their source, again after each {@code /models/reload}.
     */
    public static void register(Namespace.Builder ns, Engine engine, DataFolder data, ServeModels source) {
        ExtractNodes nodes = new ExtractNodes(data, source);
        ns.add(Node.builder("/kit/extract", NodeKind.COMMAND).types("ss").touchesFiles(true)
                .description("extracts a kit of the best hits of a recording in the library's recordings/ folder, "
                        + "off the audio thread; /kit/load it after /done")
                .reply("/done ,ss /kit/extract <kit> | /fail ,sss /kit/extract <kit> <reason>")
                .handler((args, call) -> nodes.extract(args, call, engine)).build());
    }

    private boolean extract(Args args, Call call, Engine engine) {
        if (!args.isString(0) || !args.isString(1)) {
            call.fail("/kit/extract", "expected ,ss recording kit");
            return false;
        }
        String recording = args.string(0);
        String kit = args.string(1);
        if (!OscNodes.isPlainName(recording) || !OscNodes.isPlainName(kit)) {
            call.fail("/kit/extract", kit, "recordings and kits are names in the library, not paths");
            return false;
        }
        if (data == null) {
            call.fail("/kit/extract", kit, "no library configured");
            return true;
        }
        Call later = call.retain();
        engine.commands().run("/kit/extract " + kit, () -> work(recording, kit)).whenComplete((name, error) -> {
            if (error != null) {
                later.fail("/kit/extract", kit, OscNodes.reason(error));
            } else {
                later.done("/kit/extract", name);
            }
        });
        return true;
    }

    /** Loader thread. */
    private String work(String recording, String kit) {
        try {
            Path file = data.recordings().resolve(recording);
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("no recording named '" + recording + "' in " + data.recordings().root());
            }
            KitLibrary library = new KitLibrary(data.kits());
            boolean exists = library.list().contains(kit);
            if (exists) {
                KitManifest.Source src = library.manifest(kit).source();
                if (src == null || !"extraction".equals(src.type())) {
                    throw new IllegalArgumentException("a kit named '" + kit + "' exists and was not extracted; choose another name");
                }
            }
            long g = source == null ? 0 : source.generation();
            if (models == null || g != modelsGeneration) {
                if (models != null) {
                    models.close();
                }
                // The served set's bytes, not the folder: a refused reload may have left it broken (issue 20).
                models = source == null ? Models.loadDefault() : source.copyOfCurrent();
                modelsGeneration = g;
            }
            if (!models.isAvailable()) {
                throw new IllegalStateException("models unavailable: " + models.unavailableReason().orElse("unknown"));
            }
            Files.createDirectories(data.kits().root());
            ExtractJob.Options options = new ExtractJob.Options(ExtractJob.Options.DEFAULTS.method(), null, exists, null);
            return ExtractJob.run(List.of(file), kit, options, models, data.kits(), Progress.NONE).kit().name();
        } catch (ExtractionException | LibraryException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot create " + data.kits().root() + ": " + e.getMessage(), e);
        }
    }
}
