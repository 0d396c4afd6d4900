package io.latentkit.server;

import io.latentkit.core.kit.DefaultKit;
import io.latentkit.core.kit.Kit;
import io.latentkit.osc.KitLoader;
import io.latentkit.presets.LibraryException;
import io.latentkit.presets.kit.KitLibrary;
import java.util.ArrayList;
import java.util.List;

/**
 * The kits the server can load by name. The built-in {@code default} kit is always there; every
 * other name is a kit in the user's kit library (imported with {@code latentkit kit import}).
 * Loading decodes and resamples completely on the calling thread, which is the engine's loader
 * thread (a staged command's prepare step), so neither the OSC receiver nor the render thread ever
 * waits for it.
 *
 * <p>Threading: any thread but the render thread; the library's files are only read.
 */
public final class ServerKits implements KitLoader {
    /** The name of the synthesized kit. */
    public static final String DEFAULT = "default";

    private final int sampleRateHz;
    private final KitLibrary library;

    public ServerKits(int sampleRateHz, KitLibrary library) {
        this.sampleRateHz = sampleRateHz;
        this.library = library;
    }

    /**
     * Builds kit {@code name}. A library name whose kit was stored under another name is returned
     * under the name asked for.
     *
     * @throws IllegalArgumentException with a one-line reason
     */
    @Override
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

    /** The kit library behind the names. */
    public KitLibrary library() {
        return library;
    }

    @Override
    public List<String> list() {
        List<String> names = new ArrayList<>();
        names.add(DEFAULT);
        try {
            names.addAll(library.list());
        } catch (LibraryException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return names;
    }
}
