package io.latentkit.server.commands;

import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.io.AudioSink;
import io.latentkit.engine.io.AudioSinkException;
import io.latentkit.engine.synth.DefaultKit;
import io.latentkit.osc.OscServer;
import io.latentkit.osc.OscServerConfig;
import io.latentkit.server.AudioOptions;
import io.latentkit.server.ServerKits;
import io.latentkit.server.UsageException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

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

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        // Every option is checked before anything starts.
        EngineConfig config = audio.engineConfig();
        AudioOptions.Kind kind = audio.kind();
        OscServerConfig oscConfig;
        try {
            oscConfig = OscServerConfig.fromOptions(oscPort, oscBind, oscAllow);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }

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
        ServerKits kits = new ServerKits(config.sampleRateHz());
        OscServer osc;
        try {
            osc = OscServer.start(oscConfig, engine, kits);
        } catch (java.io.UncheckedIOException e) {
            engine.close();
            throw new UsageException(e.getMessage(), e);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            // Inputs first, so nothing is published into an engine that is going away.
            osc.close();
            kits.close();
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
        out.printf("osc: udp and tcp (SLIP) on %s:%d%n", oscConfig.bindAddress().getHostAddress(), osc.port());
        out.println("stop with Ctrl-C (SIGINT) or SIGTERM");
        out.flush();
        stopped.await();
        return 0;
    }
}
