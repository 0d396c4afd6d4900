package io.latentkit.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real, small tmpfs mounted over a folder, for tests of what happens when a disk fills up or
 * turns read-only (a storage card the kernel remounted after an error). Root ignores file modes,
 * so {@code chmod} would prove nothing; a real filesystem that says "No space left on device" or
 * "Read-only file system" does. The machine and CI run as root; elsewhere {@link #mount} skips the
 * test with the reason.
 *
 * <p>Threading: one test thread.
 */
public final class SmallDisk implements AutoCloseable {
    private final Path dir;

    private SmallDisk(Path dir) {
        this.dir = dir;
    }

    /**
     * Mounts a tmpfs of {@code size} (as {@code mount} reads it: {@code 512k}, {@code 2m}) over
     * {@code dir}, an existing folder whose contents it hides until {@link #close}.
     */
    public static SmallDisk mount(Path dir, String size) throws IOException, InterruptedException {
        String out = run("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", dir.toString());
        Assumptions.assumeTrue(out == null, () -> "cannot mount a small tmpfs here (needs root): " + out);
        return new SmallDisk(dir);
    }

    /** The folder the disk is mounted on. */
    public Path dir() {
        return dir;
    }

    /** Remounts the disk read-only ({@code false}) or writable again ({@code true}). */
    public void writable(boolean yes) throws IOException, InterruptedException {
        String out = run("mount", "-o", "remount," + (yes ? "rw" : "ro"), dir.toString());
        if (out != null) {
            throw new IOException("remount " + (yes ? "rw" : "ro") + " " + dir + ": " + out);
        }
    }

    /**
     * Writes {@code filler} until the disk refuses, leaving {@code spareBytes} free again by
     * shortening it afterwards; returns the filler's length.
     */
    public long fill(Path filler, long spareBytes) throws IOException {
        byte[] chunk = new byte[4096];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(chunk);
                out.flush();
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left on device")) {
                throw full;
            }
        }
        long size = Files.size(filler);
        if (spareBytes > 0) {
            size = Math.max(0, size - spareBytes);
            try (FileChannel ch = FileChannel.open(filler, StandardOpenOption.WRITE)) {
                ch.truncate(size);
            }
        }
        return size;
    }

    /** The names in the disk's top folder that look like temporary files ({@code .tmp-}, {@code .part}). */
    public List<String> temporaries() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.contains(".tmp-") || n.endsWith(".part"))
                    .toList();
        }
    }

    /** Unmounts the disk; what it held is gone and the folder's own contents show again. */
    @Override
    public void close() throws IOException {
        try {
            run("umount", dir.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while unmounting " + dir, e);
        }
    }

    /** Runs a command; {@code null} when it succeeded, else its output. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        boolean ok = p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        return ok ? null : out.isEmpty() ? String.join(" ", command) + " failed" : out;
    }
}
