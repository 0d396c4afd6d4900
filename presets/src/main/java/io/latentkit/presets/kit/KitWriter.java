package io.latentkit.presets.kit;

import io.latentkit.core.audio.DecodedAudio;
import io.latentkit.presets.LibraryException;
import io.latentkit.presets.LibraryFolder;
import io.latentkit.presets.store.AtomicJsonFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a kit into the library so that it appears whole or not at all: in {@code kit list},
 * {@code /kit/list} and {@code /kit/load NAME} a kit is either absent, its old version, or its new
 * version, never a mix, whatever moment the process dies at.
 *
 * <p>How to write one (kit import does this, and so can kit extraction):
 *
 * <pre>{@code
 * try (KitWriter.Draft draft = new KitWriter(library.folder()).begin("my take")) {
 *     String kick = draft.addAudio("kick", decodedKick);        // a 32-bit float WAV
 *     String snare = draft.copyFile(Path.of("snare.flac"));       // the file as it is
 *     KitManifest m = KitManifest.of("my take", new KitManifest.Source("extraction", null, "take 3"),
 *             Map.of(DrumClass.KICK, KitManifest.Instrument.of("kick", DrumClass.KICK,
 *                             List.of(KitManifest.Layer.of(0f, 1f, List.of(kick)))),
 *                     DrumClass.SNARE, KitManifest.Instrument.of("snare", DrumClass.SNARE,
 *                             List.of(KitManifest.Layer.of(0f, 1f, List.of(snare)))).withGain(0.8f)));
 *     draft.commit(m, false);                                     // now in the library
 * }
 * }</pre>
 *
 * <p>{@link Draft#addAudio} and {@link Draft#copyFile} return the path the manifest refers to
 * the sample by ({@code samples/NAME}); per pad the manifest gives the class, gain, pitch, pan,
 * choke, velocity layers (round robin or random, layered parts with their own gain, pitch and
 * pan) and, in {@link KitManifest#alternates()}, instruments not on a pad. {@link Draft#commit}
 * refuses a manifest that names a file the draft does not hold.
 *
 * <p>On disk: samples and {@code kit.json} are written into a hidden staging folder
 * ({@code kits/.stage-PID-N}), each file fsynced, the folder fsynced, then renamed to
 * {@code kits/NAME} and the library folder fsynced. Replacing moves the old kit aside
 * ({@code kits/.old-PID-N-NAME}) first and deletes it after the new one is in place; removing
 * moves it aside and deletes it. Leftovers of a process that died part-way are cleaned up by the
 * next writer or {@link KitLibrary#list()}: a staging folder is deleted, an old kit whose
 * replacement never arrived is put back.
 *
 * <p>Loader thread only (file I/O, fsync). A draft belongs to one thread; several writers may
 * work on different kits at once.
 */
public final class KitWriter {
    private static final Logger LOG = LoggerFactory.getLogger(KitWriter.class);
    private static final AtomicLong COUNTER = new AtomicLong();
    private static final String STAGE = ".stage-";
    private static final String OLD = ".old-";

    /** A kit written into the library. Immutable; any thread. */
    public record Written(String name, Path folder, KitManifest manifest) {
    }

    private final LibraryFolder kits;

    public KitWriter(LibraryFolder kits) {
        this.kits = kits;
    }

    /**
     * Starts writing kit {@code name} (checked now; whether it exists is checked at commit).
     *
     * @throws LibraryException BAD_NAME for a name that is not a plain library name; IO if the
     *     staging folder cannot be made
     */
    public Draft begin(String name) throws LibraryException {
        kits.resolve(name);
        Path stage = kits.root().resolve(STAGE + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet());
        try {
            Files.createDirectories(kits.root());
            recover();
            Files.createDirectories(stage.resolve("samples"));
        } catch (IOException e) {
            throw io("cannot write kit '" + name + "'", e);
        }
        return new Draft(name, stage);
    }

    /**
     * Removes kit {@code name}: it leaves the library at once (one rename), then its files are
     * deleted.
     *
     * @throws LibraryException NOT_FOUND if there is no such kit; BAD_NAME; IO
     */
    public void remove(String name) throws LibraryException {
        Path target = kits.resolve(name);
        if (!Files.isRegularFile(target.resolve(KitLibrary.MANIFEST))) {
            throw new LibraryException(LibraryException.Kind.NOT_FOUND, "no kit named '" + name + "'");
        }
        Path aside = aside(name);
        try {
            Files.move(target, aside, StandardCopyOption.ATOMIC_MOVE);
            syncFolder(kits.root());
        } catch (IOException e) {
            throw io("cannot remove kit '" + name + "'", e);
        }
        deleteTree(aside);
    }

    /**
     * Cleans up after writers that died: their staging folders are deleted; a kit they had moved
     * aside is put back if nothing replaced it, else deleted. Folders of live processes are left
     * alone.
     *
     * @return the names of the kits put back
     */
    public List<String> recover() {
        List<String> restored = new ArrayList<>();
        if (!Files.isDirectory(kits.root())) {
            return restored;
        }
        List<Path> entries = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(kits.root(), ".*")) {
            ds.forEach(entries::add);
        } catch (IOException e) {
            LOG.warn("cannot list {}: {}", kits.root(), e.toString());
            return restored;
        }
        for (Path p : entries) {
            String n = p.getFileName().toString();
            boolean stage = n.startsWith(STAGE);
            if (!stage && !n.startsWith(OLD)) {
                continue;
            }
            String[] parts = n.substring(stage ? STAGE.length() : OLD.length()).split("-", 3);
            long pid;
            try {
                pid = Long.parseLong(parts[0]);
            } catch (NumberFormatException e) {
                continue;
            }
            if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                continue;
            }
            if (!stage && parts.length == 3 && !Files.exists(kits.root().resolve(parts[2]), LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.move(p, kits.root().resolve(parts[2]), StandardCopyOption.ATOMIC_MOVE);
                    syncFolder(kits.root());
                    restored.add(parts[2]);
                    continue;
                } catch (IOException e) {
                    LOG.warn("cannot restore kit '{}' from {}: {}", parts[2], p, e.toString());
                }
            }
            deleteTree(p);
        }
        return restored;
    }

    private Path aside(String name) {
        return kits.root().resolve(OLD + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet() + "-" + name);
    }

    /**
     * A kit being written: add its samples, then commit it with its manifest; closing it without a
     * commit discards it. One thread.
     */
    public final class Draft implements AutoCloseable {
        private final String name;
        private final Path stage;
        private final Set<String> files = new HashSet<>();
        private final Set<String> usedNames = new HashSet<>();
        private boolean done;

        private Draft(String name, Path stage) {
            this.name = name;
            this.stage = stage;
        }

        /** The kit's name. */
        public String name() {
            return name;
        }

        /**
         * Adds decoded audio as a 32-bit float WAV at its own rate (lossless for any float
         * sample); returns the manifest path ({@code samples/NAME.wav}, made unique).
         */
        public String addAudio(String fileName, DecodedAudio audio) throws LibraryException {
            String rel = "samples/" + uniqueName(stem(fileName) + ".wav");
            write(stage.resolve(rel), FloatWav.encode(audio));
            files.add(rel);
            return rel;
        }

        /** Copies a sample file byte for byte; returns the manifest path ({@code samples/NAME}). */
        public String copyFile(Path file) throws LibraryException {
            String rel = "samples/" + uniqueName(file.getFileName().toString());
            Path to = stage.resolve(rel);
            try (InputStream in = Files.newInputStream(file); FileChannel out = FileChannel.open(to,
                    StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                byte[] buf = new byte[1 << 16];
                for (int n; (n = in.read(buf)) > 0; ) {
                    ByteBuffer b = ByteBuffer.wrap(buf, 0, n);
                    while (b.hasRemaining()) {
                        out.write(b);
                    }
                }
                out.force(true);
            } catch (IOException e) {
                throw io("cannot copy " + file.getFileName() + " into kit '" + name + "'", e);
            }
            files.add(rel);
            return rel;
        }

        /**
         * Puts the kit into the library under its name, with {@code manifest} (whose name is set
         * to the kit's).
         *
         * @param replace whether an existing kit of that name is replaced (else it is refused)
         * @throws LibraryException BAD_NAME if the kit exists and {@code replace} is false;
         *     BAD_INPUT if the manifest names a file this draft does not hold; IO
         */
        public Written commit(KitManifest manifest, boolean replace) throws LibraryException {
            if (done) {
                throw new IllegalStateException("draft already committed or closed");
            }
            for (String f : referencedFiles(manifest)) {
                if (!files.contains(f)) {
                    throw new LibraryException(LibraryException.Kind.BAD_INPUT, "kit '" + name
                            + "': the manifest names '" + LibraryFolder.printable(f) + "', which was not added");
                }
            }
            KitManifest m = new KitManifest(name, manifest.source(), manifest.pads(),
                    manifest.alternates() == null ? List.of() : manifest.alternates(),
                    manifest.warnings() == null ? List.of() : manifest.warnings());
            Path target = kits.resolve(name);
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !replace) {
                throw exists();
            }
            new AtomicJsonFile<>(stage.resolve(KitLibrary.MANIFEST), KitManifestCodec.INSTANCE, "kit manifest").save(m);
            Path old = null;
            try {
                syncFolder(stage.resolve("samples"));
                syncFolder(stage);
                if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                    old = aside(name);
                    Files.move(target, old, StandardCopyOption.ATOMIC_MOVE);
                }
                Files.move(stage, target, StandardCopyOption.ATOMIC_MOVE);
                syncFolder(kits.root());
            } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
                restore(old, target);
                throw exists();
            } catch (IOException e) {
                restore(old, target);
                throw io("cannot write kit '" + name + "'", e);
            }
            done = true;
            if (old != null) {
                deleteTree(old);
            }
            return new Written(name, target, m);
        }

        /** Discards the draft unless it was committed. */
        @Override
        public void close() {
            if (!done) {
                done = true;
                deleteTree(stage);
            }
        }

        private LibraryException exists() {
            return new LibraryException(LibraryException.Kind.BAD_NAME, "a kit named '" + name
                    + "' already exists (replace it with --force, or remove it first)");
        }

        private void restore(Path old, Path target) {
            if (old != null && !Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                try {
                    Files.move(old, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    LOG.warn("cannot put kit '{}' back from {}: {}", name, old, e.toString());
                }
            }
        }

        private String uniqueName(String raw) {
            String f = raw.replaceAll("[^A-Za-z0-9._ -]", "_");
            if (f.isEmpty() || f.startsWith(".") || f.startsWith(" ")) {
                f = "_" + f;
            }
            String stem = f.replaceAll("\\.[^.]*$", "");
            String ext = f.substring(stem.length());
            String candidate = f;
            for (int i = 2; !usedNames.add(candidate.toLowerCase(Locale.ROOT)); i++) {
                candidate = stem + "-" + i + ext;
            }
            return candidate;
        }

        private void write(Path to, byte[] bytes) throws LibraryException {
            try (FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                while (b.hasRemaining()) {
                    out.write(b);
                }
                out.force(true);
            } catch (IOException e) {
                throw io("cannot write " + to.getFileName() + " into kit '" + name + "'", e);
            }
        }
    }

    /** Every sample file a manifest names, pads and alternates. */
    static Set<String> referencedFiles(KitManifest m) {
        Set<String> out = new HashSet<>();
        List<KitManifest.Instrument> all = new ArrayList<>(m.alternates() == null ? List.of() : m.alternates());
        m.pads().values().forEach(all::add);
        for (KitManifest.Instrument in : all) {
            if (in == null) {
                continue;
            }
            for (KitManifest.Layer l : in.layers()) {
                for (KitManifest.Strike s : l.strikes()) {
                    for (KitManifest.Part p : s.parts()) {
                        out.add(p.file());
                    }
                }
            }
        }
        return out;
    }

    private static String stem(String fileName) {
        String f = fileName.replace('\\', '/');
        f = f.substring(f.lastIndexOf('/') + 1);
        return f.toLowerCase(Locale.ROOT).endsWith(".wav") ? f.substring(0, f.length() - 4) : f;
    }

    /** Makes a folder's entries durable (a rename in it survives a power cut). */
    static void syncFolder(Path dir) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(dir, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw e;
        } catch (IOException e) {
            // A file system that cannot open a folder cannot fsync it either; the rename is still
            // atomic, only its durability across a power cut is the file system's.
            LOG.debug("cannot open {} to fsync it: {}", dir, e.toString());
            return;
        }
        try (ch) {
            ch.force(true);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> all = new ArrayList<>();
            s.forEach(all::add);
            all.sort(Comparator.reverseOrder());
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot remove {}: {}", dir, e.toString());
        }
    }

    private static LibraryException io(String what, IOException e) {
        return new LibraryException(LibraryException.Kind.IO, what + ": " + e.getMessage(), e);
    }
}
