package io.latentkit.presets.kit.source.sfz;

import io.latentkit.presets.LibraryException;
import io.latentkit.presets.LibraryFolder;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Finds the file an SFZ {@code sample} opcode names: {@code default_path} + {@code sample},
 * backslashes read as folder separators, relative to the SFZ file's folder. It must lie inside
 * the import's root folder (which may be above the SFZ file's own: the common
 * {@code Programs/x.sfz} with {@code sample=../Samples/...} layout). Where the exact path does not
 * exist, each part of it is matched without regard to case, as kits made on Windows or macOS need
 * ({@code sample=Kick.WAV} finds {@code kick.wav}); an exact match always wins, and among several
 * case-insensitive matches the first in sorted order.
 *
 * <p>One parse, one thread (caches folder listings).
 */
final class SfzSamplePaths {
    private static final int MAX_LISTED = 10_000;
    /** The refusal of a sample beyond the root. */
    static final String OUTSIDE = "outside the kit folder";

    /** A resolved path, or why there is none. */
    record Resolved(Path path, String refusal) {
    }

    private final Path dir;
    private final Path root;
    private final Map<Path, List<Path>> listings = new HashMap<>();

    SfzSamplePaths(Path dir, Path root) {
        this.dir = dir;
        this.root = root;
    }

    Resolved resolve(String defaultPath, String sample) {
        String s = (defaultPath + sample).replace('\\', '/');
        Path abs;
        try {
            abs = dir.resolve(s).normalize();
        } catch (IllegalArgumentException e) {
            return new Resolved(null, "not a valid path");
        }
        if (!abs.startsWith(root) || abs.equals(root)) {
            return new Resolved(null, OUTSIDE);
        }
        Path found = Files.exists(abs, LinkOption.NOFOLLOW_LINKS) ? abs : caseInsensitive(abs);
        Path p = found != null ? found : abs;
        try {
            return new Resolved(LibraryFolder.resolveInside(root, root.relativize(p).toString()), null);
        } catch (LibraryException | IllegalArgumentException e) {
            return new Resolved(null, "refused: " + e.getMessage());
        }
    }

    /** Walks down from the root matching each name without regard to case; null if a part is missing. */
    private Path caseInsensitive(Path abs) {
        Path cur = root;
        for (Path part : root.relativize(abs)) {
            String name = part.toString();
            Path exact = cur.resolve(name);
            if (Files.exists(exact, LinkOption.NOFOLLOW_LINKS)) {
                cur = exact;
                continue;
            }
            Path match = null;
            for (Path entry : list(cur)) {
                if (entry.getFileName().toString().toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                    match = entry;
                    break;
                }
            }
            if (match == null) {
                return null;
            }
            cur = match;
        }
        return cur;
    }

    private List<Path> list(Path folder) {
        return listings.computeIfAbsent(folder, f -> {
            List<Path> l = new ArrayList<>();
            if (!Files.isDirectory(f, LinkOption.NOFOLLOW_LINKS)) {
                return l;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(f)) {
                for (Path p : ds) {
                    if (l.size() >= MAX_LISTED) {
                        break;
                    }
                    l.add(p);
                }
            } catch (IOException e) {
                // An unreadable folder matches nothing; the sample is reported missing.
            }
            l.sort(null);
            return l;
        });
    }
}
