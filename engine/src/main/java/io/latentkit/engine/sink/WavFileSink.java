package io.latentkit.engine.sink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes the render to a 32-bit float stereo WAV file as fast as the CPU allows (offline), with
 * no pacing and no dither, so that two renders of the same session are bit-identical. The RIFF
 * sizes are patched in when the sink closes.
 *
 * <p>Threading: see {@link AudioSink}. Writing does file I/O, so this sink is for offline renders
 * on the caller's thread; the real-time server records through {@code RecordingSink}.
 */
public final class WavFileSink implements AudioSink {
    private static final int HEADER_BYTES = 44;

    private final Path path;
    private FileChannel channel;
    private ByteBuffer buffer;
    private long dataBytes;
    private int sampleRate;

    public WavFileSink(Path path) {
        this.path = path;
    }

    /** The file this sink writes. */
    public Path path() {
        return path;
    }

    @Override
    public void open(int sampleRateHz, int blockFrames) throws AudioSinkException {
        try {
            Path parent = path.toAbsolutePath().getParent();
            if (parent != null && !Files.isDirectory(parent)) {
                throw new AudioSinkException("cannot write " + path + ": folder " + parent + " does not exist");
            }
            channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            channel.write(header(sampleRateHz, 0));
        } catch (IOException e) {
            throw new AudioSinkException("cannot write " + path + ": " + e.getMessage(), e);
        }
        buffer = ByteBuffer.allocateDirect(blockFrames * 2 * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        this.sampleRate = sampleRateHz;
    }

    @Override
    public void write(float[] interleaved, int frames) {
        ByteBuffer b = buffer;
        b.clear();
        int n = 2 * frames;
        for (int i = 0; i < n; i++) {
            b.putFloat(interleaved[i]);
        }
        b.flip();
        try {
            while (b.hasRemaining()) {
                channel.write(b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("writing " + path + " failed", e);
        }
        dataBytes += (long) n * Float.BYTES;
    }

    @Override
    public long deadlineMisses() {
        return 0;
    }

    @Override
    public String describe() {
        return "wav:" + path + " (offline, 32-bit float)";
    }

    @Override
    public void close() {
        if (channel == null) {
            return;
        }
        try {
            channel.position(0);
            channel.write(header(sampleRate, dataBytes));
            channel.force(true);
            channel.close();
        } catch (IOException e) {
            throw new UncheckedIOException("finishing " + path + " failed", e);
        } finally {
            channel = null;
        }
    }

    /** A 44-byte RIFF/WAVE header for IEEE float stereo (format tag 3). */
    static ByteBuffer header(int sampleRateHz, long dataBytes) {
        ByteBuffer h = ByteBuffer.allocate(HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        int channels = 2;
        int bytesPerFrame = channels * Float.BYTES;
        long riff = Math.min(0xFFFF_FFFFL, 36 + dataBytes);
        h.put(new byte[] {'R', 'I', 'F', 'F'}).putInt((int) riff).put(new byte[] {'W', 'A', 'V', 'E'});
        h.put(new byte[] {'f', 'm', 't', ' '}).putInt(16).putShort((short) 3).putShort((short) channels)
                .putInt(sampleRateHz).putInt(sampleRateHz * bytesPerFrame).putShort((short) bytesPerFrame)
                .putShort((short) 32);
        h.put(new byte[] {'d', 'a', 't', 'a'}).putInt((int) Math.min(0xFFFF_FFFFL, dataBytes));
        h.flip();
        return h;
    }
}
