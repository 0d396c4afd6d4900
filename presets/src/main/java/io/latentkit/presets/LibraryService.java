package io.latentkit.presets;

import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.kit.Kit;
import io.latentkit.engine.synth.DefaultKit;
import io.latentkit.presets.kit.KitLibrary;
import io.latentkit.presets.preset.Preset;
import io.latentkit.presets.preset.PresetStore;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The library operations the OSC layer offers ({@code /kit/load NAME}, {@code /kit/list},
 * {@code /preset/save NAME}, {@code /preset/load NAME}), staged as scsynth stages buffer loads:
 * each request runs on this service's one loader thread ({@code latentkit-loader}), which reads,
 * decodes and resamples, builds the complete kit, and only then hands it to the engine through
 * {@link EngineProxy#swapKit} (the render thread swaps at a block boundary with a crossfade and
 * returns the old kit for release off the render thread). Each call returns at once with a future
 * that completes with the result (reply {@code /done}) or exceptionally with a
 * {@link LibraryException} whose message is the one-line {@code /fail} reason
 * ({@link #reason(Throwable)} extracts it).
 *
 * <p>Threading: any thread may call; work is serialised on the loader thread, so a second
 * {@code /kit/load} waits for the first. The state supplier for {@link #savePreset} is called on
 * the loader thread and must return a consistent snapshot.
 */
public final class LibraryService implements AutoCloseable {
    private final KitLibrary kits;
    private final PresetStore presets;
    private final EngineProxy proxy;
    private final int engineRateHz;
    private final Supplier<Preset> currentState;
    private final ExecutorService loader = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "latentkit-loader");
        t.setDaemon(true);
        return t;
    });

    public LibraryService(DataFolder data, EngineProxy proxy, int engineRateHz, Supplier<Preset> currentState) {
        this.kits = new KitLibrary(data);
        this.presets = new PresetStore(data.presets());
        this.proxy = Objects.requireNonNull(proxy, "proxy");
        this.engineRateHz = engineRateHz;
        this.currentState = Objects.requireNonNull(currentState, "currentState");
    }

    /** {@code /kit/load NAME}: loads the kit and swaps it in; completes with the loaded kit. */
    public CompletableFuture<Kit> loadKit(String name) {
        return submit(() -> {
            Kit k = kits.load(name, engineRateHz);
            handOver(k);
            return k;
        });
    }

    /** {@code /kit/list}: the kit names in the library. */
    public CompletableFuture<List<String>> listKits() {
        return submit(kits::list);
    }

    /** The preset names. */
    public CompletableFuture<List<String>> listPresets() {
        return submit(presets::list);
    }

    /** {@code /preset/save NAME}: saves the current performance state atomically. */
    public CompletableFuture<Preset> savePreset(String name) {
        return submit(() -> {
            Preset p = currentState.get();
            presets.save(name, p);
            return p;
        });
    }

    /**
     * {@code /preset/load NAME}: loads the preset, loads its kit (or the built-in kit), applies the
     * pad parameters to it before handoff, swaps it in and sets the tempo. Completes with the preset
     * (the caller applies the sections it owns, e.g. MIDI mappings and extensions).
     */
    public CompletableFuture<Preset> loadPreset(String name) {
        return submit(() -> {
            Preset p = presets.load(name);
            Kit k = p.kit() == null ? DefaultKit.create(engineRateHz) : kits.load(p.kit(), engineRateHz);
            p.applyTo(k);
            handOver(k);
            if (!proxy.setTempo((float) p.tempoBpm(), EngineProxy.ASAP)) {
                throw new LibraryException(LibraryException.Kind.IO, "control ring full: tempo not set");
            }
            return p;
        });
    }

    private void handOver(Kit k) throws LibraryException {
        if (!proxy.swapKit(k, EngineProxy.ASAP)) {
            throw new LibraryException(LibraryException.Kind.IO, "control ring full: kit '" + k.name() + "' not swapped");
        }
    }

    /** The one-line reason of a failed request, for {@code /fail <reason>}. */
    public static String reason(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof java.util.concurrent.ExecutionException)
                && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof LibraryException) {
            return c.getMessage();
        }
        return "internal error: " + c.getClass().getSimpleName();
    }

    @FunctionalInterface
    private interface Job<T> {
        T run() throws LibraryException;
    }

    private <T> CompletableFuture<T> submit(Job<T> job) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            loader.execute(() -> {
                try {
                    f.complete(job.run());
                } catch (LibraryException | RuntimeException | OutOfMemoryError e) {
                    f.completeExceptionally(e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            f.completeExceptionally(new LibraryException(LibraryException.Kind.IO, "library service is closed"));
        }
        return f;
    }

    /** Stops the loader thread after the requests already queued. */
    @Override
    public void close() {
        loader.shutdown();
        try {
            loader.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
