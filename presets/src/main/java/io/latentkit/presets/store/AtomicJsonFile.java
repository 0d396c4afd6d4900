package io.latentkit.presets.store;

import io.latentkit.presets.LibraryException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A versioned JSON document on disk, saved so that a crash or power cut at any moment leaves the
 * previous or the new version complete, never a mix.
 *
 * <p>Save: write {@code NAME.tmp-*}, fsync it; hard-link the current file (if it is intact) to
 * {@code NAME.bak} (through a temporary link and an atomic rename, so the backup is never
 * missing either); rename the temporary file over {@code NAME} atomically; fsync the folder. A
 * current file from a newer version is never overwritten: the save is refused.
 *
 * <p>Load: a file from a newer version is refused and left alone; an older one is migrated in
 * memory by its codec; a corrupt one (truncated, NUL-filled, not JSON, invalid) is renamed to
 * {@code NAME.corrupt-<UTC time>} and {@code NAME.bak} is loaded instead.
 *
 * <p>Loader thread only (file I/O, fsync). Saves to one file from several threads are serialised
 * by this object's lock; use one instance per file.
 */
public final class AtomicJsonFile<T> {
    private static final Logger LOG = LoggerFactory.getLogger(AtomicJsonFile.class);
    private static final AtomicLong TEMP_COUNTER = new AtomicLong();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'");

    private final Path file;
    private final JsonCodec<T> codec;
    private final String what;

    /** A loaded document and where it came from. */
    public record Loaded<T>(T value, boolean fromBackup, Path corruptMovedTo) {
    }

    public AtomicJsonFile(Path file, JsonCodec<T> codec, String what) {
        this.file = file.toAbsolutePath().normalize();
        this.codec = codec;
        this.what = what;
    }

    public Path file() {
        return file;
    }

    public Path backup() {
        return file.resolveSibling(file.getFileName() + ".bak");
    }

    public boolean exists() {
        return Files.exists(file) || Files.exists(backup());
    }

    /**
     * Saves atomically.
     *
     * @throws LibraryException {@link LibraryException.Kind#NEWER_VERSION} if the current file was
     *     written by a newer version; {@link LibraryException.Kind#IO} if writing fails
     */
    public synchronized void save(T value) throws LibraryException {
        byte[] bytes = VersionedJson.encode(codec, value);
        Path dir = file.getParent();
        Path tmp = dir.resolve(file.getFileName() + ".tmp-" + ProcessHandle.current().pid() + "-"
                + TEMP_COUNTER.incrementAndGet());
        try {
            Files.createDirectories(dir);
            removeStaleTemporaries();
            boolean currentIntact = checkCurrentBeforeOverwrite();
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                // Data on disk before the rename makes it visible: otherwise a power cut could
                // leave the new name pointing at an empty or partial file.
                ch.force(true);
            }
            if (currentIntact) {
                keepBackup();
            }
            move(tmp, file);
            syncDirectory(dir);
        } catch (IOException e) {
            throw new LibraryException(LibraryException.Kind.IO, "cannot save " + what + ": " + e.getMessage(), e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException e) {
                LOG.warn("cannot remove temporary file {}: {}", tmp, e.toString());
            }
        }
    }

    /**
     * Whether the current file is an intact document (so it becomes the backup). A corrupt one is
     * moved aside rather than allowed to replace a good backup; a newer one stops the save.
     */
    private boolean checkCurrentBeforeOverwrite() throws LibraryException, IOException {
        byte[] current;
        try {
            current = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return false;
        }
        try {
            VersionedJson.decode(codec, current, what);
            return true;
        } catch (LibraryException e) {
            if (e.kind() == LibraryException.Kind.NEWER_VERSION) {
                throw new LibraryException(LibraryException.Kind.NEWER_VERSION,
                        e.getMessage() + "; refusing to overwrite it");
            }
            moveAside();
            return false;
        }
    }

    /**
     * Removes temporary files of this document left by a process that died mid-save (their names
     * carry the writer's pid; a live writer's files are left alone).
     */
    private void removeStaleTemporaries() {
        String prefix = file.getFileName() + ".";
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(file.getParent(), prefix + "*tmp-*")) {
            for (Path p : ds) {
                String rest = p.getFileName().toString().substring(prefix.length());
                if (!rest.startsWith("tmp-") && !rest.startsWith("bak.tmp-")) {
                    continue;
                }
                String[] parts = rest.substring(rest.indexOf("tmp-") + 4).split("-");
                long pid;
                try {
                    pid = Long.parseLong(parts[0]);
                } catch (NumberFormatException e) {
                    continue;
                }
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("cannot clean temporary files of {}: {}", what, e.toString());
        }
    }

    private void keepBackup() throws IOException {
        Path bak = backup();
        Path bakTmp = file.resolveSibling(file.getFileName() + ".bak.tmp-" + ProcessHandle.current().pid() + "-"
                + TEMP_COUNTER.incrementAndGet());
        try {
            try {
                Files.createLink(bakTmp, file);
            } catch (UnsupportedOperationException | IOException e) {
                // No hard links on this file system: a synced copy does the same job.
                Files.copy(file, bakTmp, StandardCopyOption.REPLACE_EXISTING);
                try (FileChannel ch = FileChannel.open(bakTmp, StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
            }
            move(bakTmp, bak);
        } finally {
            Files.deleteIfExists(bakTmp);
        }
    }

    /**
     * Loads, following the rules above.
     *
     * @throws LibraryException {@link LibraryException.Kind#NOT_FOUND} if neither file exists,
     *     {@link LibraryException.Kind#NEWER_VERSION} (file untouched),
     *     {@link LibraryException.Kind#CORRUPT} if the file and its backup are both unusable,
     *     {@link LibraryException.Kind#IO} if reading fails
     */
    public synchronized Loaded<T> load() throws LibraryException {
        Path movedTo = null;
        byte[] bytes = read(file);
        if (bytes != null) {
            try {
                return new Loaded<>(VersionedJson.decode(codec, bytes, what), false, null);
            } catch (LibraryException e) {
                if (e.kind() != LibraryException.Kind.BAD_INPUT) {
                    throw e;
                }
                movedTo = moveAsideQuietly();
                LOG.warn("{} is corrupt ({}); moved to {}, loading the backup", what, e.getMessage(), movedTo);
            }
        }
        byte[] bak = read(backup());
        if (bak == null) {
            if (movedTo != null) {
                throw new LibraryException(LibraryException.Kind.CORRUPT, what + " is corrupt (kept as "
                        + movedTo.getFileName() + ") and has no backup");
            }
            throw new LibraryException(LibraryException.Kind.NOT_FOUND, what + " does not exist");
        }
        try {
            return new Loaded<>(VersionedJson.decode(codec, bak, what + " backup"), true, movedTo);
        } catch (LibraryException e) {
            if (e.kind() != LibraryException.Kind.BAD_INPUT) {
                throw e;
            }
            throw new LibraryException(LibraryException.Kind.CORRUPT, what + " and its backup are both corrupt: "
                    + e.getMessage());
        }
    }

    private byte[] read(Path p) throws LibraryException {
        try (InputStream in = Files.newInputStream(p)) {
            // At most one byte more than a file of ours may hold: decoding then says it is too big.
            return in.readNBytes(VersionedJson.MAX_BYTES + 1);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            throw new LibraryException(LibraryException.Kind.IO, "cannot read " + what + ": " + e.getMessage(), e);
        }
    }

    private Path moveAsideQuietly() throws LibraryException {
        try {
            return moveAside();
        } catch (IOException e) {
            throw new LibraryException(LibraryException.Kind.IO, "cannot move corrupt " + what + " aside: "
                    + e.getMessage(), e);
        }
    }

    private Path moveAside() throws IOException {
        String stamp = ZonedDateTime.now(ZoneOffset.UTC).format(STAMP);
        for (int i = 0; ; i++) {
            Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + stamp + (i == 0 ? "" : "-" + i));
            try {
                Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
                syncDirectory(file.getParent());
                return aside;
            } catch (FileAlreadyExistsException e) {
                if (i > 1000) {
                    throw e;
                }
            }
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the file system cannot rename atomically: " + to.getParent(), e);
        }
    }

    /** Makes renames in {@code dir} durable (POSIX: fsync on the directory). */
    static void syncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms cannot open a directory for syncing; the rename is still atomic.
            if (!System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows")) {
                throw e;
            }
        }
    }
}
