package io.latentkit.server;

import io.latentkit.engine.Engine;
import io.latentkit.models.InferenceWorker;
import io.latentkit.models.Models;
import io.latentkit.models.latent.LatentAgent;
import io.latentkit.models.latent.LatentConfig;
import io.latentkit.models.latent.LatentLibrary;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code serve}'s latent pad options, and the wiring they need: the agent (made before the
 * namespace, whose nodes it backs) and, once the models are loaded, the inference worker that runs
 * them.
 *
 * <p>Threading: the command's thread; {@link #attach} from the thread that finished loading models.
 */
public final class LatentOptions {
    @Option(names = "--latent-grid", paramLabel = "N", defaultValue = "0",
            description = "Pre-decode an N x N grid (2..33) of each latent pad's morph square, so that every move is "
                    + "served at once from the nearest decodes (about 0.13 MB per point). Default: 0 (off).")
    int grid;

    @Option(names = "--latent-cache", paramLabel = "N", defaultValue = "128",
            description = "Exact decodes kept for positions visited again (0..4096, about 0.13 MB each). "
                    + "Default: ${DEFAULT-VALUE}.")
    int cache;

    /** The options as a config; a bad value is a usage error. */
    public LatentConfig config() {
        try {
            return LatentConfig.defaults().withGrid(grid).withCache(cache);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** The server's latent pads, with the library's {@code sounds/} folder. */
    public static LatentAgent agent(Engine engine, LatentConfig config, Path soundsFolder) {
        return new LatentAgent(engine.proxy(), engine.commands(), engine.config().sampleRateHz(), config,
                new LatentLibrary(soundsFolder));
    }

    /** The models are loaded (or not): the worker that runs them, or {@code null} when they are unavailable. */
    public static InferenceWorker attach(LatentAgent agent, Models models) {
        if (!models.isAvailable()) {
            agent.unavailable(models.unavailableReason().orElse("unknown"));
            return null;
        }
        InferenceWorker worker = new InferenceWorker(models);
        agent.attach(worker);
        return worker;
    }
}
