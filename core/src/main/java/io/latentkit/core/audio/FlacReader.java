package io.latentkit.core.audio;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.jflac.FLACDecoder;
import org.jflac.frame.Frame;
import org.jflac.frame.Header;
import org.jflac.metadata.StreamInfo;
import org.jflac.util.ByteData;

/**
 * FLAC reader on jflac's decoder (the code behind jflac's Java Sound provider), driven frame by
 * frame: the provider's own {@code AudioInputStream} loops forever on some corrupt files (found by
 * the fuzz test), so this reader keeps the loop and its bounds to itself. Mono or stereo, 4 to 24
 * bits, any rate.
 *
 * <p>jflac is not hardened against hostile input: anything it throws (runtime exceptions
 * included) is reported as {@link AudioFormatException}, and decoded output is bounded by
 * {@link PcmCodec#MAX_FRAMES} so a tiny corrupt file cannot expand without limit.
 *
 * <p>Stateless; any thread (callers use it on a loader thread).
 */
public final class FlacReader {
    private FlacReader() {
    }

    /** True if the bytes start like a FLAC stream (optionally behind an ID3v2 tag). */
    public static boolean matches(byte[] d) {
        int start = id3Length(d);
        return d.length >= start + 4 && d[start] == 'f' && d[start + 1] == 'L' && d[start + 2] == 'a'
                && d[start + 3] == 'C';
    }

    public static DecodedAudio read(String file, byte[] d) throws AudioFormatException {
        if (!matches(d)) {
            throw new AudioFormatException(file + ": not a FLAC file");
        }
        try {
            return decode(file, d);
        } catch (AudioFormatException e) {
            throw e;
        } catch (IOException | RuntimeException | StackOverflowError e) {
            throw new AudioFormatException(file + ": corrupt FLAC (" + oneLine(e) + ")", e);
        }
    }

    private static DecodedAudio decode(String file, byte[] d) throws IOException {
        int start = id3Length(d);
        byte[] clean = onlyStreamInfo(file, d, start);
        long declaredFrames = totalSamples(d, start + 8);
        FLACDecoder decoder = new FLACDecoder(new EndGuard(new ByteArrayInputStream(clean)));
        decoder.readMetadata();
        StreamInfo info = decoder.getStreamInfo();
        if (info == null) {
            throw new AudioFormatException(file + ": FLAC without stream info");
        }
        int channels = info.getChannels();
        int bits = info.getBitsPerSample();
        if (channels < 1 || channels > 2) {
            throw new AudioFormatException(file + ": " + channels + " channels; only mono or stereo is supported");
        }
        if (bits < 4 || bits > 24) {
            throw new AudioFormatException(file + ": unsupported FLAC sample size " + bits + " bits");
        }
        int rateHz = PcmCodec.checkRate(file, info.getSampleRate());
        int bytes = (bits + 7) / 8;
        int stride = channels * bytes;
        long limit = (long) PcmCodec.MAX_FRAMES * stride;
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(1024, d.length * 2));
        ByteData pcm = null;
        // Every frame consumes input, so there can be no more frames than input bytes; the bound
        // and the progress check stop a corrupt stream from looping (jflac's own Java Sound stream
        // loops forever on some corrupt files, which is why this reads frame by frame).
        long lastPosition = -1;
        for (int frames = 0; frames <= d.length; frames++) {
            Frame f = decoder.readNextFrame();
            if (f == null) {
                break;
            }
            long position = decoder.getTotalBytesRead();
            if (position <= lastPosition) {
                throw new AudioFormatException(file + ": corrupt FLAC (decoder made no progress)");
            }
            lastPosition = position;
            Header h = f.header;
            if (h == null || h.channels != channels || h.bitsPerSample != bits) {
                throw new AudioFormatException(file + ": corrupt FLAC (a frame's format differs from the stream's)");
            }
            pcm = decoder.decodeFrame(f, pcm);
            out.write(pcm.getData(), 0, pcm.getLen());
            if (out.size() > limit) {
                throw new AudioFormatException(file + ": decodes to more than the " + PcmCodec.MAX_FRAMES
                        + " frames one sound may hold");
            }
        }
        byte[] raw = out.toByteArray();
        int frames = raw.length / stride;
        if (declaredFrames > 0 && declaredFrames < frames) {
            frames = (int) declaredFrames;
        }
        // jflac emits 8-bit audio as unsigned bytes, wider samples as signed little-endian.
        PcmCodec.Kind kind = bytes == 1 ? PcmCodec.Kind.UNSIGNED : PcmCodec.Kind.SIGNED;
        return new DecodedAudio(PcmCodec.decode(file, raw, 0, frames, channels, bytes, stride, kind, false), rateHz);
    }

    /**
     * The stream rebuilt with STREAMINFO as its only metadata block. jflac trusts the lengths inside
     * other blocks (a Vorbis comment can make it allocate gigabytes from a 100-byte file), so every
     * block's length is checked against the file here and only STREAMINFO reaches the decoder.
     */
    static byte[] onlyStreamInfo(String file, byte[] d, int start) throws AudioFormatException {
        int pos = start + 4;
        int info = -1;
        boolean last = false;
        for (int block = 0; !last; block++) {
            if (pos + 4 > d.length) {
                throw new AudioFormatException(file + ": corrupt FLAC (metadata truncated)");
            }
            int header = d[pos] & 0xFF;
            last = (header & 0x80) != 0;
            int type = header & 0x7F;
            int len = (d[pos + 1] & 0xFF) << 16 | (d[pos + 2] & 0xFF) << 8 | (d[pos + 3] & 0xFF);
            if ((long) pos + 4 + len > d.length) {
                throw new AudioFormatException(file + ": corrupt FLAC (metadata block runs past the end)");
            }
            if (block == 0) {
                if (type != 0 || len != 34) {
                    throw new AudioFormatException(file + ": corrupt FLAC (no STREAMINFO block first)");
                }
                info = pos + 4;
            } else if (type == 0 || type == 127) {
                throw new AudioFormatException(file + ": corrupt FLAC (invalid metadata block type " + type + ")");
            }
            pos += 4 + len;
        }
        byte[] clean = new byte[4 + 4 + 34 + (d.length - pos)];
        System.arraycopy(d, start, clean, 0, 4);
        clean[4] = (byte) 0x80; // STREAMINFO, last metadata block
        clean[7] = 34;
        System.arraycopy(d, info, clean, 8, 34);
        // Total samples (36 bits at byte 13, low nibble, to byte 17) set to "unknown": with a total
        // known, jflac stops looking for frame syncs once it has decoded that many samples and then
        // retries the same bad header forever on a corrupt tail. The caller trims to the total.
        clean[8 + 13] &= (byte) 0xF0;
        clean[8 + 14] = 0;
        clean[8 + 15] = 0;
        clean[8 + 16] = 0;
        clean[8 + 17] = 0;
        System.arraycopy(d, pos, clean, 42, d.length - pos);
        return clean;
    }

    /** The 36-bit total-samples field of the STREAMINFO block whose body starts at {@code info}. */
    private static long totalSamples(byte[] d, int info) {
        return (long) (d[info + 13] & 0x0F) << 32 | (d[info + 14] & 0xFFL) << 24 | (d[info + 15] & 0xFF) << 16
                | (d[info + 16] & 0xFF) << 8 | (d[info + 17] & 0xFF);
    }

    /**
     * Ends a decode that keeps reading past the end of the stream. jflac swallows end-of-stream
     * while looking for a frame sync, so on some corrupt tails it retries a stale bad header
     * forever, reading the exhausted stream once per retry; a normal decode reads past the end a
     * few times at most.
     */
    private static final class EndGuard extends FilterInputStream {
        private static final int MAX_READS_PAST_END = 1000;
        private int pastEnd;

        EndGuard(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            return count(super.read());
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return count(super.read(b, off, len));
        }

        private int count(int n) {
            if (n < 0 && ++pastEnd > MAX_READS_PAST_END) {
                throw new IllegalStateException("decoder stuck at the end of the stream");
            }
            return n;
        }
    }

    private static int id3Length(byte[] d) {
        if (d.length >= 10 && d[0] == 'I' && d[1] == 'D' && d[2] == '3') {
            // Synchsafe size: 4 x 7 bits, after the 10-byte header.
            int size = (d[6] & 0x7F) << 21 | (d[7] & 0x7F) << 14 | (d[8] & 0x7F) << 7 | (d[9] & 0x7F);
            long end = 10L + size;
            return end <= d.length ? (int) end : d.length;
        }
        return 0;
    }

    private static String oneLine(Throwable e) {
        String m = e.getMessage();
        String s = e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
        s = s.replaceAll("\\s+", " ");
        return s.length() > 160 ? s.substring(0, 160) : s;
    }
}
