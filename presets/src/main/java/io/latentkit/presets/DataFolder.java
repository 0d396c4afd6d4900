package io.latentkit.presets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The user data folder: {@code kits/} (the kit library), {@code presets/} (presets and the
 * autosave), {@code sounds/} (generated sounds) and {@code recordings/} (recordings to extract
 * kits from, {@code /kit/extract}). Its location is, in order: an explicit
 * folder (the CLI's {@code --data DIR}), {@code $LATENTKIT_HOME}, or
 * {@code ~/.local/share/latentkit}.
 *
 * <p>Immutable; any thread. {@link #create()} does file I/O (loader thread or startup).
 */
public final class DataFolder {
    /** Environment variable that moves the data folder. */
    public static final String ENV = "LATENTKIT_HOME";

    private final Path root;

    public DataFolder(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The default location for this environment and home folder. */
    public static DataFolder fromEnvironment(Map<String, String> env, String userHome) {
        String home = env.get(ENV);
        if (home != null && !home.isBlank()) {
            return new DataFolder(Path.of(home));
        }
        return new DataFolder(Path.of(userHome, ".local", "share", "latentkit"));
    }

    /** The default location for this process. */
    public static DataFolder defaultFolder() {
        return fromEnvironment(System.getenv(), System.getProperty("user.home"));
    }

    public Path root() {
        return root;
    }

    public LibraryFolder kits() {
        return new LibraryFolder(root.resolve("kits"));
    }

    public LibraryFolder presets() {
        return new LibraryFolder(root.resolve("presets"));
    }

    public LibraryFolder sounds() {
        return new LibraryFolder(root.resolve("sounds"));
    }

    /** Recordings that kits are extracted from by name ({@code /kit/extract}). */
    public LibraryFolder recordings() {
        return new LibraryFolder(root.resolve("recordings"));
    }

    /** The data folder whose {@link #kits()} is {@code kits}. */
    public static DataFolder holding(LibraryFolder kits) {
        return new DataFolder(kits.root().getParent());
    }

    /** Saved sequencer patterns (issue 17). */
    public LibraryFolder patterns() {
        return new LibraryFolder(root.resolve("patterns"));
    }

    /** Creates the folder and its sub-folders if missing. */
    public DataFolder create() throws LibraryException {
        try {
            Files.createDirectories(kits().root());
            Files.createDirectories(presets().root());
            Files.createDirectories(sounds().root());
            Files.createDirectories(recordings().root());
            Files.createDirectories(patterns().root());
        } catch (IOException e) {
            throw new LibraryException(LibraryException.Kind.IO, "cannot create data folder " + root + ": " + e.getMessage(), e);
        }
        return this;
    }
}
