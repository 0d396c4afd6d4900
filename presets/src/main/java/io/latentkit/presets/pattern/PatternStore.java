package io.latentkit.presets.pattern;

import io.latentkit.engine.sequence.Pattern;
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
 * Patterns by name in the patterns folder ({@code NAME.json} with {@code NAME.json.bak}), saved
 * atomically and loaded with backup fallback and newer-version refusal, as presets are (see
 * {@link AtomicJsonFile}). What {@code /pattern/save} and {@code /pattern/load} call.
 *
 * <p>Loader thread only (file I/O). Thread-safe: saves and loads of one name are serialised.
 */
public final class PatternStore {
    static final String SUFFIX = ".json";

    private final LibraryFolder folder;
    private final ConcurrentHashMap<String, AtomicJsonFile<Pattern>> files = new ConcurrentHashMap<>();

    public PatternStore(LibraryFolder folder) {
        this.folder = folder;
    }

    public LibraryFolder folder() {
        return folder;
    }

    public void save(String name, Pattern pattern) throws LibraryException {
        file(name).save(pattern);
    }

    public Pattern load(String name) throws LibraryException {
        try {
            return file(name).load().value();
        } catch (LibraryException e) {
            if (e.kind() == LibraryException.Kind.NOT_FOUND) {
                throw new LibraryException(LibraryException.Kind.NOT_FOUND, "no pattern named '" + name + "'");
            }
            throw e;
        }
    }

    /** Names of the saved patterns, sorted. */
    public List<String> list() throws LibraryException {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(folder.root())) {
            return names;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder.root(), "*" + SUFFIX)) {
            for (Path p : ds) {
                String f = p.getFileName().toString();
                names.add(f.substring(0, f.length() - SUFFIX.length()));
            }
        } catch (IOException e) {
            throw new LibraryException(LibraryException.Kind.IO, "cannot list patterns: " + e.getMessage(), e);
        }
        Collections.sort(names);
        return names;
    }

    private AtomicJsonFile<Pattern> file(String name) throws LibraryException {
        Path p = folder.resolve(name, SUFFIX);
        return files.computeIfAbsent(name, n -> new AtomicJsonFile<>(p, PatternCodec.INSTANCE, "pattern '" + n + "'"));
    }
}
