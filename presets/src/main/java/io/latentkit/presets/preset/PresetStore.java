package io.latentkit.presets.preset;

import io.latentkit.presets.LibraryException;
import io.latentkit.presets.LibraryFolder;
import io.latentkit.presets.store.AtomicJsonFile;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Presets by name in the presets folder ({@code NAME.json}, with {@code NAME.json.bak}), saved
 * atomically and loaded with migration, backup fallback and newer-version refusal (see
 * {@link AtomicJsonFile}). What {@code /preset/save NAME} and {@code /preset/load NAME} call.
 *
 * <p>Loader thread only (file I/O). Thread-safe: saves and loads of one name are serialised.
 */
public final class PresetStore {
    static final String SUFFIX = ".json";

    private final LibraryFolder folder;
    private final ConcurrentHashMap<String, AtomicJsonFile<Preset>> files = new ConcurrentHashMap<>();

    public PresetStore(LibraryFolder folder) {
        this.folder = folder;
    }

    public LibraryFolder folder() {
        return folder;
    }

    /** Saves a preset under a name; the previous version becomes the backup. */
    public void save(String name, Preset preset) throws LibraryException {
        file(name).save(preset);
    }

    /** Loads a preset by name (from its backup if the file is corrupt). */
    public Preset load(String name) throws LibraryException {
        return loadDetailed(name).value();
    }

    /** As {@link #load} with where the preset came from. */
    public AtomicJsonFile.Loaded<Preset> loadDetailed(String name) throws LibraryException {
        AtomicJsonFile<Preset> f = file(name);
        try {
            return f.load();
        } catch (LibraryException e) {
            if (e.kind() == LibraryException.Kind.NOT_FOUND) {
                throw new LibraryException(LibraryException.Kind.NOT_FOUND, "no preset named '" + name + "'");
            }
            throw e;
        }
    }

    /** Names of the saved presets, sorted. Hidden files (the autosave) are not listed. */
    public List<String> list() throws LibraryException {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(folder.root())) {
            return names;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder.root())) {
            for (Path p : ds) {
                String f = p.getFileName().toString();
                String base = f.endsWith(SUFFIX) ? f.substring(0, f.length() - SUFFIX.length())
                        : f.endsWith(SUFFIX + ".bak") ? f.substring(0, f.length() - SUFFIX.length() - 4) : null;
                if (base != null && !names.contains(base) && isName(base)) {
                    names.add(base);
                }
            }
        } catch (IOException e) {
            throw new LibraryException(LibraryException.Kind.IO, "cannot list presets: " + e.getMessage(), e);
        }
        Collections.sort(names);
        return names;
    }

    AtomicJsonFile<Preset> file(String name) throws LibraryException {
        Path p = folder.resolve(name, SUFFIX);
        return files.computeIfAbsent(name, n -> new AtomicJsonFile<>(p, PresetCodec.INSTANCE, "preset '" + n + "'"));
    }

    private static boolean isName(String s) {
        try {
            LibraryFolder.checkName(s);
            return true;
        } catch (LibraryException e) {
            return false;
        }
    }
}
