package io.latentkit.server.commands;

import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.sink.AudioSinkException;
import io.latentkit.engine.sink.WavFileSink;
import io.latentkit.core.kit.DefaultKit;
import io.latentkit.server.AudioOptions;
import io.latentkit.server.UsageException;
import io.latentkit.server.demo.Groove;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code latentkit demo --out demo.wav}: renders a showcase offline, as fast as the CPU allows:
 * the one-bar groove on all twelve pads of the default kit, two bars at 100 BPM and two at 132 BPM.
 *
 * <p>Threading: the caller's thread renders (the engine's offline mode).
 */
@Command(name = "demo", mixinStandardHelpOptions = true, description = "Render a short showcase to a WAV file, offline.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--out", required = true, paramLabel = "FILE", description = "WAV file to write (32-bit float stereo).")
    Path out;

    @Option(names = "--rate", paramLabel = "HZ", defaultValue = "48000", description = "Sample rate: 44100, 48000 or 96000. Default: ${DEFAULT-VALUE}.")
    int rateHz;

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
        Engine engine = Engine.create(config, DefaultKit.create(sr));
        long end = Groove.publish(engine.proxy(), 0, 2, 100.0, sr);
        end = Groove.publish(engine.proxy(), end, 2, 132.0, sr);
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
}
