package io.latentkit.listen;

import io.latentkit.listen.input.SampleRing;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

/**
 * Records listen mode's input into a WAV file ({@code /listen/capture}, for kit extraction): from
 * {@link #start} on, a thread of its own copies what the input agent writes to the ring into a
 * 16-bit mono WAV at {@link ListenConfig#INPUT_RATE_HZ} beside the target, as {@code .<name>.part};
 * {@link #stop} writes the rest, fills in the header, forces it to disk and renames it onto the
 * target in one atomic move (onto {@code <name>-2.wav} if a file of that name appeared meanwhile). A recording that cannot go on (the disk is full, the recorder fell
 * behind) stops there and keeps what it had written whole: the file is finished at that frame and
 * moved into place, and {@link #stop}'s summary says where and why it stopped, so a take is never
 * lost to a full disk. One whose file cannot be finished (the folder went away) removes its partial
 * file, and the reason is what {@link #stop} fails with. A target is never half-written and an
 * existing file is never replaced.
 *
 * <p>The recording reads the ring ({@value #POLL_MS} ms at a time), not the input line, so it costs
 * the input and listen threads nothing; it falls behind only if its thread is starved for longer
 * than the ring holds ({@link ListenConfig#ringSeconds()}), which fails the recording with that
 * reason.
 *
 * <p>Threading: {@link #start}, {@link #stop} and {@link #recording} from any thread (one recording
 * at a time; the methods are synchronized and return at once); the writing on the recorder's
 * thread.
 */
final class InputRecorder {
    static final int POLL_MS = 50;
    /** Longest recording: three hours (a 16-bit mono WAV of about 1 GB). */
    static final long MAX_SECONDS = 3 * 3600;

    private final SampleRing ring;
    private final int rateHz;
    private Session session;

    /** One recording in progress. */
    private final class Session implements Runnable {
        final Path target;
        final Path part;
        final FileChannel out;
        final long firstFrame;
        final float[] block = new float[rateHz / 10];
        final ByteBuffer bytes = ByteBuffer.allocate(2 * (rateHz / 10)).order(ByteOrder.LITTLE_ENDIAN);
        final CompletableFuture<String> done = new CompletableFuture<>();
        volatile boolean stopping;
        long frame;

        Session(Path target, Path part, FileChannel out, long firstFrame) {
            this.target = target;
            this.part = part;
            this.out = out;
            this.firstFrame = firstFrame;
            this.frame = firstFrame;
        }

        @Override
        public void run() {
            String cut = null;
            try {
                out.write(WavOnce.header(0, rateHz));
                boolean last = false;
                while (!last) {
                    last = stopping;
                    drain(ring.written());
                    if (frame - firstFrame >= MAX_SECONDS * rateHz) {
                        last = true;
                    }
                    if (!last) {
                        Thread.sleep(POLL_MS);
                    }
                }
            } catch (IOException | RuntimeException e) {
                // The disk filled up or the recorder fell behind: what was written whole is kept.
                cut = e.getMessage() == null ? e.toString() : e.getMessage();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cut = "the recording was interrupted";
            }
            long frames = frame - firstFrame;
            if (cut != null && frames == 0) {
                fail("cannot write " + target + ": " + cut);
                return;
            }
            try {
                // Cutting away a block written in part and rewriting the header in place need no
                // new space, so a full disk still gets a whole, playable file.
                out.truncate(WavOnce.HEADER + frames * 2);
                out.write(WavOnce.header(frames, rateHz), 0);
                out.force(true);
                out.close();
                Path placed = place();
                String summary = String.format(Locale.ROOT, "%s: %.1f s", placed.getFileName(),
                        frames / (double) rateHz);
                done.complete(cut == null ? summary : summary + " (stopped early: " + cut + ")");
            } catch (IOException | RuntimeException e) {
                fail("cannot write " + target + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            }
        }

        /**
         * Moves the finished file onto the target in one rename; if a file of that name appeared
         * while recording, onto {@code <name>-2.wav} and so on (the summary names it), never over it.
         */
        private Path place() throws IOException {
            String name = target.getFileName().toString();
            String stem = name.endsWith(".wav") ? name.substring(0, name.length() - 4) : name;
            for (int n = 1; n < 100; n++) {
                Path t = n == 1 ? target : target.resolveSibling(stem + "-" + n + ".wav");
                if (!Files.exists(t)) {
                    Files.move(part, t, StandardCopyOption.ATOMIC_MOVE);
                    return t;
                }
            }
            throw new IOException(name + " and 98 other names beside it are taken");
        }

        private void drain(long end) throws IOException {
            while (frame < end) {
                int n = (int) Math.min(block.length, end - frame);
                if (!ring.copy(frame, block, 0, n)) {
                    throw new IOException("the recording fell more than " + ring.capacity() / rateHz
                            + " s behind the input (the machine is overloaded)");
                }
                bytes.clear();
                for (int i = 0; i < n; i++) {
                    float v = Math.max(-1f, Math.min(1f, block[i]));
                    bytes.putShort((short) Math.round(v * 32767f));
                }
                bytes.flip();
                while (bytes.hasRemaining()) {
                    out.write(bytes);
                }
                frame += n;
            }
        }

        private void fail(String reason) {
            try {
                out.close();
            } catch (IOException ignored) {
                // the reason below is the first failure
            }
            try {
                Files.deleteIfExists(part);
            } catch (IOException ignored) {
                // nothing more can be done about a partial file we cannot remove
            }
            done.completeExceptionally(new IllegalStateException(reason));
        }
    }

    InputRecorder(SampleRing ring, int rateHz) {
        this.ring = ring;
        this.rateHz = rateHz;
    }

    /**
     * Starts recording the input from now into {@code target}, a {@code .wav} file that must not
     * exist yet, in a folder that does. Returns a one-line summary.
     *
     * @throws IllegalArgumentException for a bad target (the reason in one line)
     * @throws IllegalStateException while a recording runs
     */
    synchronized String start(Path target) {
        if (session != null && !session.done.isDone()) {
            throw new IllegalStateException("already recording " + session.target.getFileName()
                    + " (send /listen/capture/stop first)");
        }
        Path dir = target.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalArgumentException("no folder " + dir + " to record into");
        }
        if (Files.exists(target)) {
            throw new IllegalArgumentException(target.getFileName() + " exists already; choose another name");
        }
        Path part = dir.resolve("." + target.getFileName() + ".part");
        FileChannel out;
        try {
            out = FileChannel.open(part, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot write in " + dir + ": " + e.getMessage());
        }
        Session s = new Session(target, part, out, ring.written());
        session = s;
        Thread t = new Thread(s, "latentkit-listen-capture");
        t.setDaemon(true);
        t.start();
        return "recording " + target.getFileName();
    }

    /**
     * Stops the recording; completes with a one-line summary once the file is in place, or fails
     * with the reason it could not be written.
     */
    synchronized CompletableFuture<String> stop() {
        Session s = session;
        if (s == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("not recording"));
        }
        session = null;
        s.stopping = true;
        return s.done;
    }

    /** Whether a recording runs now. */
    synchronized boolean recording() {
        return session != null && !session.done.isDone();
    }
}
