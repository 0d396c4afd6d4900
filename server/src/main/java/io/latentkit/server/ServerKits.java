package io.latentkit.server;

import io.latentkit.engine.kit.Kit;
import io.latentkit.engine.synth.DefaultKit;
import io.latentkit.osc.KitLoader;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The kits the server can load by name, built on its loader thread ({@code latentkit-loader}) so
 * that neither the OSC receiver nor the render thread ever waits for decoding. The built-in
 * {@code default} kit is always there.
 *
 * <p>Threading: {@link #load} and {@link #list} from any thread; they return at once.
 */
public final class ServerKits implements KitLoader, AutoCloseable {
    /** The name of the synthesized kit. */
    public static final String DEFAULT = "default";

    private final int sampleRateHz;
    private final ExecutorService loader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "latentkit-loader");
        t.setDaemon(true);
        return t;
    });

    public ServerKits(int sampleRateHz) {
        this.sampleRateHz = sampleRateHz;
    }

    @Override
    public CompletionStage<Kit> load(String name) {
        return CompletableFuture.supplyAsync(() -> {
            if (DEFAULT.equals(name)) {
                return DefaultKit.create(sampleRateHz);
            }
            throw new IllegalArgumentException("no kit named '" + name + "' (available: " + DEFAULT + ")");
        }, loader);
    }

    @Override
    public CompletionStage<List<String>> list() {
        return CompletableFuture.completedFuture(List.of(DEFAULT));
    }

    @Override
    public void close() {
        loader.shutdownNow();
    }
}
