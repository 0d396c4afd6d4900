package io.latentkit.web.testkit;

import io.latentkit.core.kit.Kit;
import io.latentkit.core.namespace.Namespace;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.engine.sink.AudioSinkException;
import io.latentkit.engine.sink.NullSink;
import io.latentkit.engine.sink.RecordingSink;
import io.latentkit.osc.KitLoader;
import io.latentkit.osc.OscNodes;
import io.latentkit.osc.OscServer;
import io.latentkit.osc.OscServerConfig;
import io.latentkit.testsupport.CapturedLog;
import io.latentkit.testsupport.TestKits;
import io.latentkit.web.WebConfig;
import io.latentkit.web.WebServer;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;
import io.latentkit.engine.control.EngineNodes;
import io.latentkit.models.InferenceWorker;
import io.latentkit.models.latent.LatentAgent;
import io.latentkit.models.latent.LatentConfig;
import io.latentkit.models.latent.LatentLibrary;
import io.latentkit.models.latent.LatentNodes;
import java.nio.file.Path;

/**
 * A live engine (render thread, null sink at real-time pace) behind a real OSC server and a real
 * web server, both on free loopback ports, serving the standard namespace (the engine's and OSC's
 * nodes), optionally with extra nodes a test registers, and a small kit library ("clicks", "soft").
 * With an inference worker it also has latent pads as {@code serve} has them: the latent agent on
 * that worker (real models) and its {@code /latent/*} nodes.
 */
public final class WebRig implements AutoCloseable {
    public static final int RATE_HZ = 48_000;

    public final Engine engine;
    public final OscServer osc;
    public final WebServer web;
    /** The latent pads, or {@code null} for a rig made without an inference worker. */
    public final LatentAgent latent;
    /** What the web server serves; a test may swap it (PATH_ADDED / PATH_REMOVED). */
    public final AtomicReference<Namespace> namespace = new AtomicReference<>();
    /**
     * The live engine on a shared 2-core machine may miss a deadline; its one warning is expected,
     * anything else logged still shows.
     */
    private final CapturedLog log = CapturedLog.open();

    public WebRig() {
        this(c -> c, b -> { });
    }

    /**
     * @param tweak changes to the web configuration (the port is free already)
     * @param extra registers extra nodes after the standard ones
     */
    public WebRig(UnaryOperator<WebConfig> tweak, Consumer<Namespace.Builder> extra) {
        this(tweak, extra, null, null, null);
    }

    /**
     * A rig with latent pads on {@code worker} (which the caller owns and closes), library sounds
     * in {@code sounds} (may be {@code null}).
     */
    public static WebRig withLatent(InferenceWorker worker, Path sounds) {
        return new WebRig(c -> c, b -> { }, worker, sounds, null);
    }

    /**
     * As {@link #withLatent(InferenceWorker, Path)}, recording the output (32-bit float stereo WAV,
     * from the engine's first frame) to {@code recording}, complete once the rig is closed.
     */
    public static WebRig recordingWithLatent(InferenceWorker worker, Path sounds, Path recording) {
        return new WebRig(c -> c, b -> { }, worker, sounds, recording);
    }

    private WebRig(UnaryOperator<WebConfig> tweak, Consumer<Namespace.Builder> extra, InferenceWorker worker,
            Path sounds, Path recording) {
        log.expect("audio deadline missed");
        engine = Engine.create(EngineConfig.defaults(), kit(1f));
        KitLoader kits = new KitLoader() {
            @Override
            public Kit loadNow(String name) {
                return switch (name) {
                    case "clicks" -> kit(1f);
                    case "soft" -> kit(0.25f);
                    default -> null;
                };
            }

            @Override
            public List<String> list() {
                return List.of("clicks", "soft");
            }
        };
        Namespace.Builder b = Namespace.builder(engine.values().board());
        EngineNodes.register(b, engine.proxy(), engine.values());
        OscNodes.register(b, engine, kits, () -> null);
        if (worker != null) {
            latent = new LatentAgent(engine.proxy(), engine.commands(), engine.config().sampleRateHz(), LatentConfig.defaults(),
                    sounds == null ? null : new LatentLibrary(sounds));
            latent.attach(worker);
            LatentNodes.register(b, latent);
        } else {
            latent = null;
        }
        extra.accept(b);
        Namespace ns = b.build();
        namespace.set(ns);
        try {
            engine.start(recording == null ? new NullSink(1024, "tests") : new RecordingSink(recording, 1024));
        } catch (AudioSinkException e) {
            throw new IllegalStateException(e);
        }
        osc = OscServer.start(OscServerConfig.defaults().withPort(0), ns, engine, System::nanoTime);
        web = WebServer.start(tweak.apply(WebConfig.defaults().withPort(0)), osc, namespace::get);
    }

    /** Short clicks on every pad at {@code level}. */
    public static Kit kit(float level) {
        return TestKits.kit(RATE_HZ, pad -> TestKits.dc(480, level * (0.5f + pad / 24f)));
    }

    public Namespace ns() {
        return namespace.get();
    }

    public int httpPort() {
        return web.port();
    }

    public String base() {
        return "http://127.0.0.1:" + web.port();
    }

    @Override
    public void close() {
        web.close();
        osc.close();
        if (latent != null) {
            latent.close();
        }
        engine.close();
        log.close();
    }
}
