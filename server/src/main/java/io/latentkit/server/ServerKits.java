package io.latentkit.server;

import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.DefaultKit;
import io.latentkit.osc.KitLoader;
import io.latentkit.presets.LibraryException;
import io.latentkit.presets.kit.KitLibrary;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The kits the server can load by name, built on its loader thread ({@code latentkit-loader}) so
 * that neither the OSC receiver nor the render thread ever waits for decoding. The built-in
 * {@code default} kit is always there; every other name is a kit in the user's kit library
 * (imported with {@code latentkit kit import}).
 *
 * <p>Threading: {@link #load} and {@link #list} from any thread; they return at once.
 */
public final class ServerKits implements KitLoader, AutoCloseable {
    /** The name of the synthesized kit. */
    public static final String DEFAULT = "default";

    private final int sampleRateHz;
    private final KitLibrary library;
    private final ExecutorService loader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "latentkit-loader");
        t.setDaemon(true);
        return t;
    });

    public ServerKits(int sampleRateHz, KitLibrary library) {
        this.sampleRateHz = sampleRateHz;
        this.library = library;
    }

    @Override
    public CompletionStage<Kit> load(String name) {
        return CompletableFuture.supplyAsync(() -> loadNow(name), loader);
    }

    /**
     * Builds kit {@code name} on the calling thread (the loader thread, or a test): decoding and
     * resampling happen here, completely. A library name whose kit was stored under another name is
     * returned under the name asked for.
     *
     * @throws IllegalArgumentException with a one-line reason
     */
    public Kit loadNow(String name) {
        if (DEFAULT.equals(name)) {
            return DefaultKit.create(sampleRateHz);
        }
        try {
            return library.load(name, sampleRateHz);
        } catch (LibraryException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** The loader thread, for other staged work (presets). */
    public java.util.concurrent.Executor loader() {
        return loader;
    }

    @Override
    public CompletionStage<List<String>> list() {
        return CompletableFuture.supplyAsync(() -> {
            List<String> names = new ArrayList<>();
            names.add(DEFAULT);
            try {
                names.addAll(library.list());
            } catch (LibraryException e) {
                throw new IllegalArgumentException(e.getMessage(), e);
            }
            return names;
        }, loader);
    }

    @Override
    public void close() {
        loader.shutdownNow();
    }
}
