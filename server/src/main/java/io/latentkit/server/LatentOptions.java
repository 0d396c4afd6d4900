package io.latentkit.server;

import io.latentkit.engine.Engine;
import io.latentkit.models.latent.LatentAgent;
import io.latentkit.models.latent.LatentConfig;
import io.latentkit.models.latent.LatentLibrary;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code serve}'s latent pad options, and the agent they configure (made before the namespace,
 * whose nodes it backs); {@link ServeModels} gives it the inference worker once the models load.
 *
 * <p>Threading: the command's thread.
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
}
