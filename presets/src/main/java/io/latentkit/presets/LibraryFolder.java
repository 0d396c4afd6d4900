package io.latentkit.presets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/**
 * One folder of the user's library (kits, presets) and the only way to turn a name into a path
 * inside it. A name is a plain file name: 1 to 100 characters, no path separators, no control
 * characters, not starting with a dot or a space, not ending with a space or dot. Whatever
 * resolves outside the folder is refused, including a symbolic link inside it that leads out.
 *
 * <p>Immutable; any thread. {@link #resolve} touches the file system (to follow links), so it
 * belongs on a loader thread.
 */
public final class LibraryFolder {
    /** Longest name accepted. */
    public static final int MAX_NAME_LENGTH = 100;

    private final Path root;

    public LibraryFolder(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() {
        return root;
    }

    /**
     * Checks that {@code name} is a plain library name.
     *
     * @throws LibraryException of kind {@link LibraryException.Kind#BAD_NAME}
     */
    public static String checkName(String name) throws LibraryException {
        if (name == null || name.isEmpty()) {
            throw bad("a name is required");
        }
        if (name.length() > MAX_NAME_LENGTH) {
            throw bad("name longer than " + MAX_NAME_LENGTH + " characters");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7F || c == '/' || c == '\\' || c == ':' || c == '*' || c == '?' || c == '"'
                    || c == '<' || c == '>' || c == '|') {
                throw bad("name '" + printable(name) + "' contains a character not allowed in a name");
            }
        }
        if (name.charAt(0) == '.' || name.charAt(0) == ' ' || name.endsWith(" ") || name.endsWith(".")) {
            throw bad("name '" + printable(name) + "' may not start with a dot or space or end with one");
        }
        return name;
    }

    /**
     * The path of {@code name + suffix} inside this folder. The name is checked, and if the path
     * (or the folder) exists as or through a symbolic link, its real location must still be inside
     * the folder's real location.
     *
     * @throws LibraryException {@link LibraryException.Kind#BAD_NAME} for a bad or escaping name
     */
    public Path resolve(String name, String suffix) throws LibraryException {
        checkName(name);
        Path p = root.resolve(name + suffix).normalize();
        if (!p.getParent().equals(root)) {
            throw bad("name '" + printable(name) + "' resolves outside the library");
        }
        checkInside(p, root, name);
        return p;
    }

    /** {@link #resolve(String, String)} without a suffix. */
    public Path resolve(String name) throws LibraryException {
        return resolve(name, "");
    }

    /**
     * Resolves a relative path stored in a manifest (e.g. {@code samples/kick.flac}) against
     * {@code base}, which must itself lie inside this folder; refuses absolute paths, {@code ..}
     * and links that lead outside {@code base}.
     */
    public static Path resolveInside(Path base, String relative) throws LibraryException {
        if (relative == null || relative.isEmpty() || relative.indexOf('\0') >= 0 || relative.indexOf('\\') >= 0) {
            throw bad("bad relative path '" + printable(String.valueOf(relative)) + "'");
        }
        Path rel;
        try {
            rel = base.getFileSystem().getPath(relative);
        } catch (InvalidPathException e) {
            throw bad("bad relative path '" + printable(relative) + "'");
        }
        if (rel.isAbsolute()) {
            throw bad("absolute path '" + printable(relative) + "' refused");
        }
        Path b = base.toAbsolutePath().normalize();
        Path p = b.resolve(rel).normalize();
        if (!p.startsWith(b) || p.equals(b)) {
            throw bad("path '" + printable(relative) + "' leads outside its folder");
        }
        checkInside(p, b, relative);
        return p;
    }

    private static void checkInside(Path p, Path base, String name) throws LibraryException {
        try {
            Path realBase = Files.exists(base) ? base.toRealPath() : base;
            // Walk up to the nearest existing ancestor: a link anywhere on the way must stay inside.
            Path existing = p;
            while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
                existing = existing.getParent();
            }
            if (existing == null || !existing.startsWith(base)) {
                return;
            }
            if (Files.isSymbolicLink(existing) && !Files.exists(existing)) {
                throw bad("'" + printable(name) + "' is a dangling link");
            }
            Path real = existing.toRealPath();
            if (!real.startsWith(realBase)) {
                throw bad("'" + printable(name) + "' is a link that leads outside the library");
            }
        } catch (IOException e) {
            throw new LibraryException(LibraryException.Kind.IO, "cannot resolve '" + printable(name) + "': " + e.getMessage(), e);
        }
    }

    private static LibraryException bad(String reason) {
        return new LibraryException(LibraryException.Kind.BAD_NAME, reason);
    }

    /** The name with control characters shown as '?', shortened, for a one-line message. */
    public static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 80; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7F ? '?' : c);
        }
        return s.length() > 80 ? b + "..." : b.toString();
    }
}
