package io.latentkit.listen;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes a 16-bit mono PCM WAV that appears whole or not at all and never replaces a file: the
 * bytes go to a hidden file beside the target, are forced to disk, and are then hard-linked under
 * the target's name (a link, unlike a rename, fails if the name is taken), after which the hidden
 * name is removed. On any failure the hidden file is removed too.
 *
 * <p>Threading: any thread; one call per target.
 */
final class WavOnce {
    static final int HEADER = 44;

    private WavOnce() {
    }

    /** A 44-byte PCM WAV header for {@code frames} 16-bit mono frames at {@code rateHz}. */
    static ByteBuffer header(long frames, int rateHz) {
        long data = frames * 2;
        ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
        h.put(new byte[] {'R', 'I', 'F', 'F'}).putInt((int) (36 + data)).put(new byte[] {'W', 'A', 'V', 'E'});
        h.put(new byte[] {'f', 'm', 't', ' '}).putInt(16).putShort((short) 1).putShort((short) 1).putInt(rateHz)
                .putInt(rateHz * 2).putShort((short) 2).putShort((short) 16);
        h.put(new byte[] {'d', 'a', 't', 'a'}).putInt((int) data);
        h.flip();
        return h;
    }

    static void write(Path target, float[] mono, int rateHz) throws IOException {
        Path part = target.resolveSibling("." + target.getFileName() + ".part");
        ByteBuffer b = ByteBuffer.allocate(HEADER + 2 * mono.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(header(mono.length, rateHz));
        for (float v : mono) {
            b.putShort((short) Math.round(Math.max(-1f, Math.min(1f, v)) * 32767f));
        }
        b.flip();
        try {
            try (FileChannel out = FileChannel.open(part, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                while (b.hasRemaining()) {
                    out.write(b);
                }
                out.force(true);
            }
            try {
                Files.createLink(target, part);
            } catch (FileAlreadyExistsException e) {
                throw new IOException(target.getFileName() + " appeared meanwhile; it is kept and nothing was written");
            }
        } finally {
            Files.deleteIfExists(part);
        }
    }
}
