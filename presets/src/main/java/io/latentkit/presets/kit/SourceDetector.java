package io.latentkit.presets.kit;

import io.latentkit.presets.LibraryException;
import io.latentkit.presets.kit.source.FolderScanner;
import io.latentkit.presets.kit.source.HydrogenKitParser;
import io.latentkit.presets.kit.source.KitFormatException;
import io.latentkit.presets.kit.source.ParsedKit;
import io.latentkit.presets.kit.source.sfz.SfzParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Says what a kit source is and which folder its samples must stay in, then parses it. A folder
 * holding {@code drumkit.xml} is a Hydrogen kit; a folder holding one {@code .sfz} file (at its
 * top, or up to {@value #SFZ_DEPTH} folders down, as in the common {@code Programs/x.sfz} +
 * {@code Samples/} layout) is that SFZ file with the folder as its root, so samples anywhere in
 * the folder are reachable; any other folder is a folder of samples. A file is a
 * {@code drumkit.xml} or an {@code .sfz} file, whose root is its own folder unless
 * {@code --root} names a folder above it.
 *
 * <p>Stateless; loader thread (reads the file system).
 */
public final class SourceDetector {
    /** How deep below an imported folder an SFZ file is looked for. */
    static final int SFZ_DEPTH = 3;

    /** What a source is. */
    public enum Format { HYDROGEN, SFZ, FOLDER }

    /**
     * A detected source.
     *
     * @param file the {@code drumkit.xml} or {@code .sfz} file, or the folder of samples
     * @param root the folder its samples and includes must stay inside
     */
    public record Detected(Format format, Path file, Path root) {
    }

    private SourceDetector() {
    }

    /**
     * Detects {@code src}.
     *
     * @param root a folder the samples may come from (it must hold {@code src}), or {@code null}
     * @throws LibraryException NOT_FOUND if {@code src} does not exist; BAD_INPUT if it is not a
     *     kit, or a folder with several SFZ files; IO
     */
    public static Detected detect(Path src, Path root) throws LibraryException {
        Path s = src.toAbsolutePath().normalize();
        if (!Files.exists(s)) {
            throw new LibraryException(LibraryException.Kind.NOT_FOUND, "no such file or folder: " + src);
        }
        Path r = null;
        if (root != null) {
            r = root.toAbsolutePath().normalize();
            if (!Files.isDirectory(r)) {
                throw new KitFormatException("--root " + root + " is not a folder");
            }
            if (!s.startsWith(r)) {
                throw new KitFormatException("--root " + root + " does not hold " + src);
            }
        }
        if (Files.isDirectory(s)) {
            if (Files.isRegularFile(s.resolve("drumkit.xml"))) {
                return new Detected(Format.HYDROGEN, s.resolve("drumkit.xml"), s);
            }
            List<Path> sfz = sfzFiles(s);
            if (sfz.size() == 1) {
                return new Detected(Format.SFZ, sfz.get(0), r != null ? r : s);
            }
            if (sfz.size() > 1) {
                List<String> names = new ArrayList<>();
                for (Path p : sfz.subList(0, Math.min(4, sfz.size()))) {
                    names.add(s.relativize(p).toString());
                }
                throw new KitFormatException("folder holds " + sfz.size() + " SFZ files (" + String.join(", ", names)
                        + (sfz.size() > 4 ? ", ..." : "") + "): import one of them, with --root " + src
                        + " if its samples lie elsewhere in the folder");
            }
            return new Detected(Format.FOLDER, s, s);
        }
        String n = s.getFileName().toString().toLowerCase(Locale.ROOT);
        if (HydrogenKitParser.isDrumkitXml(s) || n.endsWith(".xml")) {
            return new Detected(Format.HYDROGEN, s, s.getParent());
        }
        if (n.endsWith(".sfz")) {
            return new Detected(Format.SFZ, s, r != null ? r : s.getParent());
        }
        if (n.endsWith(".h2drumkit")) {
            throw new KitFormatException("a .h2drumkit is a compressed archive: unpack it and import the folder");
        }
        throw new KitFormatException("not a kit: expected a drumkit.xml, an .sfz file or a folder of samples");
    }

    /** Parses a detected source. */
    public static ParsedKit parse(Detected d) throws LibraryException {
        try {
            return switch (d.format()) {
                case HYDROGEN -> HydrogenKitParser.parse(readBounded(d.file(), HydrogenKitParser.MAX_BYTES), d.root());
                case SFZ -> SfzParser.parse(d.file(), d.root());
                case FOLDER -> FolderScanner.scan(d.file());
            };
        } catch (IOException e) {
            throw new LibraryException(LibraryException.Kind.IO, "cannot read " + d.file() + ": " + e.getMessage(), e);
        }
    }

    /** SFZ files at the top of {@code folder}, or else the ones below it, sorted. */
    private static List<Path> sfzFiles(Path folder) throws LibraryException {
        List<Path> top = sfzFiles(folder, 1);
        return top.isEmpty() ? sfzFiles(folder, SFZ_DEPTH + 1) : top;
    }

    private static List<Path> sfzFiles(Path folder, int depth) throws LibraryException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(folder, depth)) {
            walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                    && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".sfz")).sorted().forEach(out::add);
        } catch (IOException | UncheckedIOException e) {
            throw new LibraryException(LibraryException.Kind.IO, "cannot read folder " + folder + ": " + e.getMessage(), e);
        }
        return out;
    }

    private static byte[] readBounded(Path p, int max) throws IOException, KitFormatException {
        if (Files.size(p) > max) {
            throw new KitFormatException(p.getFileName() + " is larger than " + max + " bytes");
        }
        return Files.readAllBytes(p);
    }
}
