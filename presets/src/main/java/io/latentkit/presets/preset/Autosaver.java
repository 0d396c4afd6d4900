package io.latentkit.presets.preset;

import io.latentkit.presets.LibraryException;
import io.latentkit.presets.LibraryFolder;
import io.latentkit.presets.store.AtomicJsonFile;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.agrona.concurrent.Agent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Saves the performance state every {@link #DEFAULT_INTERVAL} (configurable) to
 * {@code presets/.autosave.json}, atomically like any preset, and offers it back after a crash.
 *
 * <p>A session marker {@code presets/.session} (holding the pid, for people) exists while a
 * session runs and is removed by {@link #close()}; the session also holds a lock on
 * {@code presets/.session.lock}. At {@link #start()}, a marker found while the lock is free means
 * the last session ended uncleanly (the lock, unlike a pid, cannot be fooled by pid reuse); if the
 * autosave was written after that marker, {@link #start()} returns it as a {@link Recovery} for
 * the application to offer (load it, or ignore it: the next autosave replaces it).
 *
 * <p>Threading: {@link #start()} and {@link #close()} on the owner's thread; autosaves happen in
 * {@link #doWork()}, an agent's duty cycle run by the server's conductor thread, which calls the
 * state supplier: it must return a consistent snapshot and may be called from that thread.
 */
public final class Autosaver implements Agent, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Autosaver.class);
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    static final String AUTOSAVE = ".autosave.json";
    static final String MARKER = ".session";
    static final String LOCK = ".session.lock";

    /** An autosave left by a session that did not shut down cleanly. */
    public record Recovery(Preset preset, Instant savedAt) {
    }

    private final LibraryFolder folder;
    private final Supplier<Preset> state;
    private final Duration interval;
    private final AtomicJsonFile<Preset> file;
    private boolean started;
    /** Whether {@link #start()} was asked for, so that {@link #doWork()} retries it after a failure. */
    private boolean retrying;
    private FileChannel lockChannel;
    private FileLock lock;
    private long nextSaveNanos;
    private Preset lastSaved;

    public Autosaver(LibraryFolder presets, Supplier<Preset> state, Duration interval) {
        this.folder = presets;
        this.state = Objects.requireNonNull(state, "state");
        if (interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("autosave interval must be positive: " + interval);
        }
        this.interval = interval;
        this.file = new AtomicJsonFile<>(presets.root().resolve(AUTOSAVE), PresetCodec.INSTANCE, "autosave");
    }

    /**
     * Starts the session: takes the session lock, checks for a crashed previous one and writes the
     * marker. A session owns the data folder while it holds {@code presets/.session.lock}; the
     * operating system releases the lock when the process dies however it dies, so a marker found
     * while the lock is free means the previous session did not stop cleanly, whatever process id
     * the new one got (in a container it is always the same).
     *
     * @return the autosave to offer, if the previous session crashed after autosaving
     * @throws LibraryException when the folder cannot be written (read-only, full) or another
     *     running latentkit holds the lock; {@link #doWork()} then retries at every interval
     */
    public synchronized Optional<Recovery> start() throws LibraryException {
        if (started) {
            throw new IllegalStateException("autosaver already started");
        }
        nextSaveNanos = System.nanoTime() + interval.toNanos();
        retrying = true;
        Path marker = folder.root().resolve(MARKER);
        Optional<Recovery> recovery = Optional.empty();
        try {
            Files.createDirectories(folder.root());
            lockSession();
            if (Files.exists(marker) && Files.exists(file.file())) {
                Instant markerTime = Files.getLastModifiedTime(marker).toInstant();
                Instant savedAt = Files.getLastModifiedTime(file.file()).toInstant();
                if (!savedAt.isBefore(markerTime)) {
                    try {
                        recovery = Optional.of(new Recovery(file.load().value(), savedAt));
                    } catch (LibraryException e) {
                        LOG.warn("autosave of the crashed session cannot be read: {}", e.getMessage());
                    }
                }
            }
            Files.writeString(marker, Long.toString(ProcessHandle.current().pid()), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE,
                    StandardOpenOption.SYNC);
        } catch (IOException e) {
            unlockSession();
            throw new LibraryException(LibraryException.Kind.IO, "cannot start autosave in " + folder.root() + ": "
                    + e.getMessage(), e);
        }
        started = true;
        return recovery;
    }

    /** Takes the session lock, or fails with the reason (held by another running latentkit). */
    private void lockSession() throws IOException {
        FileChannel ch = FileChannel.open(folder.root().resolve(LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE);
        FileLock l;
        try {
            l = ch.tryLock();
        } catch (OverlappingFileLockException e) {
            l = null; // this JVM already holds it: another autosaver on the same folder
        }
        if (l == null) {
            ch.close();
            throw new IOException("another latentkit that is running uses this folder (it holds " + LOCK + ")");
        }
        lockChannel = ch;
        lock = l;
    }

    private void unlockSession() {
        try {
            if (lock != null) {
                lock.release();
            }
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            LOG.debug("releasing the session lock", e);
        }
        lock = null;
        lockChannel = null;
    }

    /**
     * The conductor's duty cycle: saves when the interval has passed since the last attempt.
     * Returns 1 when it tried to save, else 0. The conductor thread only.
     */
    @Override
    public int doWork() {
        long now = System.nanoTime();
        synchronized (this) {
            if (!retrying && !started || now - nextSaveNanos < 0) {
                return 0;
            }
            nextSaveNanos = now + interval.toNanos();
            if (!started) {
                // The folder could not be written at start (read-only, full, locked): try again.
                try {
                    start();
                    LOG.warn("autosave resumed: {} can be written again", folder.root());
                } catch (LibraryException e) {
                    return 1;
                }
            }
        }
        try {
            saveNow();
        } catch (LibraryException | RuntimeException e) {
            // Logged once per attempt; a failing disk must not stop the show.
            LOG.warn("autosave failed: {}", e.getMessage());
        }
        return 1;
    }

    @Override
    public String roleName() {
        return "latentkit-autosave";
    }

    /** Saves the current state now if it changed since the last autosave. Any thread. */
    public synchronized void saveNow() throws LibraryException {
        Preset p = state.get();
        if (p == null || p.equals(lastSaved)) {
            return;
        }
        file.save(p);
        lastSaved = p;
    }

    /** Where the autosave lives. */
    public Path autosaveFile() {
        return file.file();
    }

    /**
     * Saves a last time and removes the marker: a clean shutdown. Call after the conductor stopped
     * running {@link #doWork()}.
     */
    @Override
    public void close() {
        synchronized (this) {
            retrying = false;
            if (!started) {
                return;
            }
            started = false;
        }
        try {
            saveNow();
        } catch (LibraryException | RuntimeException e) {
            LOG.warn("final autosave failed: {}", e.getMessage());
        }
        try {
            Files.deleteIfExists(folder.root().resolve(MARKER));
        } catch (IOException e) {
            LOG.warn("cannot remove session marker: {}", e.toString());
        }
        synchronized (this) {
            unlockSession();
        }
    }
}
