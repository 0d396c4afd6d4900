package io.latentkit.server.commands;

import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.io.AudioSink;
import io.latentkit.engine.io.AudioSinkException;
import io.latentkit.engine.synth.DefaultKit;
import io.latentkit.server.AudioOptions;
import io.latentkit.server.UsageException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code latentkit serve}: the live server. Builds the default kit, opens the audio output (the
 * default device, or null output with one warning where there is none), starts the render thread
 * and the control inputs, prints what it runs on, and serves until SIGINT or SIGTERM, then shuts
 * down in order: inputs first, then the render thread, then the device.
 *
 * <p>Threading: the main thread builds everything and then waits for shutdown.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the live instrument server.")
public final class ServeCommand implements Callable<Integer> {
    @Mixin
    AudioOptions audio = new AudioOptions();

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // Every option is checked before anything starts.
        EngineConfig config = audio.engineConfig();
        AudioOptions.Kind kind = audio.kind();

        Engine engine = Engine.create(config, DefaultKit.create(config.sampleRateHz()));
        AudioSink sink = audio.realtimeSink();
        try {
            engine.start(sink);
        } catch (AudioSinkException e) {
            if (kind != AudioOptions.Kind.DEFAULT) {
                throw new UsageException(e.getMessage(), e);
            }
            err.println("latentkit: warning: " + e.getMessage() + "; serving with null output (no sound)");
            err.flush();
            sink = audio.nullSink();
            engine.start(sink);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            engine.close();
            err.println("latentkit: stopped (" + engine.counters().framePosition() + " frames rendered, "
                    + engine.counters().deadlineMisses() + " deadline misses)");
            err.flush();
            stopped.countDown();
        }, "latentkit-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        out.printf("latentkit serving: %d Hz, %d-frame blocks, %d voices%n", config.sampleRateHz(),
                config.blockFrames(), config.voices());
        out.printf("audio out: %s%n", sink.describe());
        out.println("control: none yet (OSC and MIDI arrive with their issues)");
        out.println("stop with Ctrl-C (SIGINT) or SIGTERM");
        out.flush();
        stopped.await();
        return 0;
    }
}
