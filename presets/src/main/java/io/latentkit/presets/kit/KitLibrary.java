package io.latentkit.presets.kit;

import io.latentkit.core.kit.Kit;
import io.latentkit.presets.DataFolder;
import io.latentkit.presets.LibraryException;
import io.latentkit.presets.LibraryFolder;
import io.latentkit.presets.store.AtomicJsonFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

/**
 * The kit library under the data folder: {@code kits/NAME/kit.json} plus its samples. Imports
 * kits ({@link KitImporter}), lists them with what they hold, removes them ({@link KitWriter}),
 * and loads one by name into an engine {@link Kit} at the engine's rate ({@link KitAssembler}),
 * ready to be handed to the render thread. What {@code /kit/load NAME}, {@code /kit/list} and
 * {@code latentkit kit import|list|remove} call.
 *
 * <p>Loader thread only (file I/O, decoding, resampling: never the render thread). Stateless
 * apart from the folder; several loader threads may use one instance.
 */
public final class KitLibrary {
    /** Manifest file name inside a kit's folder. */
    public static final String MANIFEST = "kit.json";

    private final LibraryFolder kits;

    public KitLibrary(LibraryFolder kits) {
        this.kits = kits;
    }

    public KitLibrary(DataFolder data) {
        this(data.kits());
    }

    public LibraryFolder folder() {
        return kits;
    }

    /** Imports a Hydrogen kit, an SFZ file or a folder of samples as kit {@code name}. */
    public KitImporter.Result importKit(Path source, String name) throws LibraryException {
        return importKit(source, name, KitImporter.Options.DEFAULTS);
    }

    /** Imports a Hydrogen kit, an SFZ file or a folder of samples as kit {@code name}. */
    public KitImporter.Result importKit(Path source, String name, KitImporter.Options options)
            throws LibraryException {
        try {
            Files.createDirectories(kits.root());
        } catch (IOException e) {
            throw new LibraryException(LibraryException.Kind.IO, "cannot create " + kits.root() + ": " + e.getMessage(), e);
        }
        return new KitImporter(kits).importKit(source, name, options);
    }

    /**
     * Names of the kits in the library, sorted. Puts back a kit that a process died replacing or
     * removing (see {@link KitWriter}).
     */
    public List<String> list() throws LibraryException {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(kits.root())) {
            return names;
        }
        new KitWriter(kits).recover();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(kits.root())) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.startsWith(".") || !Files.isRegularFile(p.resolve(MANIFEST))) {
                    continue;
                }
                try {
                    kits.resolve(n);
                    names.add(n);
                } catch (LibraryException e) {
                    // A folder whose name or link target is not acceptable is not listed.
                }
            }
        } catch (IOException e) {
            throw new LibraryException(LibraryException.Kind.IO, "cannot list kits: " + e.getMessage(), e);
        }
        Collections.sort(names);
        return names;
    }

    /** The manifest of a kit. */
    public KitManifest manifest(String name) throws LibraryException {
        Path dir = kitFolder(name);
        return new AtomicJsonFile<>(dir.resolve(MANIFEST), KitManifestCodec.INSTANCE, "kit '" + name + "' manifest")
                .load().value();
    }

    /**
     * Loads a kit by name at {@code engineRateHz}. Loader thread only; the result is complete and
     * may be handed to the render thread.
     *
     * @throws LibraryException NOT_FOUND, BAD_NAME (escaping names), BAD_INPUT (a sample no longer
     *     decodes, a manifest is invalid), NEWER_VERSION, IO
     */
    public Kit load(String name, int engineRateHz) throws LibraryException {
        Path dir = kitFolder(name);
        return new KitAssembler(dir, name, engineRateHz).assemble(manifest(name));
    }

    /**
     * Removes kit {@code name} from the library (it disappears at once, then its files are
     * deleted). A server that has it loaded keeps playing it from memory.
     *
     * @throws LibraryException NOT_FOUND, BAD_NAME, IO
     */
    public void remove(String name) throws LibraryException {
        new KitWriter(kits).remove(name);
    }

    /**
     * What a kit in the library holds.
     *
     * @param format where it came from ({@code hydrogen}, {@code sfz}, {@code folder}, ...)
     * @param pads the classes that have an instrument, in pad order
     * @param bytes the size of its folder on disk
     *
     * <p>Immutable; any thread.
     */
    public record Summary(String name, String format, String title, List<String> pads, int alternates, int samples,
            long bytes) {
    }

    /** Every kit in the library with what it holds, sorted by name; an unreadable kit is skipped. */
    public List<Summary> summaries() throws LibraryException {
        List<Summary> out = new ArrayList<>();
        for (String n : list()) {
            KitManifest m;
            try {
                m = manifest(n);
            } catch (LibraryException e) {
                continue;
            }
            Path dir = kits.resolve(n);
            long bytes = 0;
            int samples = 0;
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : (Iterable<Path>) walk::iterator) {
                    if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                        bytes += Files.size(p);
                        samples += p.getParent().getFileName().toString().equals("samples") ? 1 : 0;
                    }
                }
            } catch (IOException | UncheckedIOException e) {
                throw new LibraryException(LibraryException.Kind.IO, "cannot read kit '" + n + "': " + e.getMessage(), e);
            }
            KitManifest.Source src = m.source();
            out.add(new Summary(n, src == null ? "" : src.type(), src == null ? "" : src.title(), m.filledPads(),
                    m.alternates().size(), samples, bytes));
        }
        return out;
    }

    private Path kitFolder(String name) throws LibraryException {
        Path dir = kits.resolve(name);
        if (!Files.isRegularFile(dir.resolve(MANIFEST))) {
            throw new LibraryException(LibraryException.Kind.NOT_FOUND, "no kit named '" + name + "'");
        }
        return dir;
    }

}
