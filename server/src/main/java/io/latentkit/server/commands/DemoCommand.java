package io.latentkit.server.commands;

import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.sink.AudioSinkException;
import io.latentkit.engine.sink.WavFileSink;
import io.latentkit.core.kit.DefaultKit;
import io.latentkit.server.AudioOptions;
import io.latentkit.server.UsageException;
import io.latentkit.server.demo.Groove;
import io.latentkit.server.demo.LatentSweep;
import io.latentkit.core.kit.Kit;
import io.latentkit.models.ModelException;
import io.latentkit.models.Models;
import io.latentkit.models.latent.VaeLatentSpace;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code latentkit demo --out demo.wav}: renders a showcase offline, as fast as the CPU allows:
 * the one-bar groove on all twelve pads of the default kit, two bars at 100 BPM and two at 132 BPM,
 * then four more at 100 BPM while the percussion pad's sound morphs through the VAE's latent space
 * from kick to snare to hat ({@link LatentSweep}; {@code --no-latent} leaves it out). The same
 * bytes on every run.
 *
 * <p>Threading: the caller's thread renders (the engine's offline mode).
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Render a short showcase to a WAV file, offline.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "WAV file to write (32-bit float stereo).")
    Path out;

    @Option(names = "--rate", paramLabel = "HZ", defaultValue = "48000", description = "Sample rate: 44100, 48000 or 96000. Default: ${DEFAULT-VALUE}.")
    int rateHz;

    @Option(names = "--no-latent", description = "Leave out the latent morph sweep (needs no models).")
    boolean noLatent;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws AudioSinkException {
        AudioOptions.checkWritable(out);
        EngineConfig config;
        try {
            config = EngineConfig.defaults().withSampleRateHz(rateHz);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        int sr = config.sampleRateHz();
        Kit kit = DefaultKit.create(sr);
        Engine engine = Engine.create(config, kit);
        long end = Groove.publish(engine.proxy(), 0, 2, 100.0, sr);
        end = Groove.publish(engine.proxy(), end, 2, 132.0, sr);
        if (!noLatent) {
            try {
                end = sweep(engine, kit, end, sr, config.blockFrames());
            } catch (ModelException e) {
                // Not bad usage: the models are missing or broken; say so on one line, write nothing.
                spec.commandLine().getErr().println("latentkit: demo: " + e.getMessage() + " (--no-latent leaves the latent sweep out)");
                return 1;
            }
        }
        long total = end + (long) (1.5 * sr); // let the last crash ring out
        try (WavFileSink sink = new WavFileSink(out)) {
            long started = System.nanoTime();
            engine.renderOffline(sink, total);
            double seconds = (double) total / sr;
            double took = (System.nanoTime() - started) / 1e9;
            spec.commandLine().getOut().printf("wrote %s: %.1f s at %d Hz (rendered in %.2f s)%n", out, seconds, sr, took);
        }
        return 0;
    }

    /** The latent sweep over four more bars of the groove at 100 BPM. */
    private static long sweep(Engine engine, Kit kit, long start, int sr, int blockFrames) throws ModelException {
        try (Models models = Models.loadDefault()) {
            // vae() says why when the models are unavailable.
            VaeLatentSpace space = new VaeLatentSpace(models.vae());
            Groove.publish(engine.proxy(), start, LatentSweep.BARS, 100.0, sr);
            return LatentSweep.publish(engine.proxy(), space, kit, start, 100.0, sr, blockFrames);
        }
    }
}
