package io.latentkit.core.audio;


/**
 * RIFF WAVE reader: PCM 8/16/24/32-bit, IEEE float 32/64-bit, plain or WAVE_FORMAT_EXTENSIBLE,
 * mono or stereo. Tolerates what real files contain: unknown chunks, odd chunk padding, and a
 * data chunk whose declared size overruns the file (streamed writers leave those); such a chunk
 * is read up to the last whole frame.
 *
 * <p>Stateless; any thread (callers use it on a loader thread).
 */
public final class WavReader {
    private static final int FORMAT_PCM = 1;
    private static final int FORMAT_FLOAT = 3;
    private static final int FORMAT_EXTENSIBLE = 0xFFFE;

    private WavReader() {
    }

    /** True if the bytes start like a RIFF WAVE file. */
    public static boolean matches(byte[] d) {
        return d.length >= 12 && tag(d, 0).equals("RIFF") && tag(d, 8).equals("WAVE");
    }

    public static DecodedAudio read(String file, byte[] d) throws AudioFormatException {
        if (!matches(d)) {
            throw new AudioFormatException(file + ": not a RIFF WAVE file");
        }
        int pos = 12;
        int format = -1;
        int channels = 0;
        long rate = 0;
        int blockAlign = 0;
        int bits = 0;
        while (pos + 8 <= d.length) {
            String id = tag(d, pos);
            long size = PcmCodec.readLe(d, pos + 4, 4);
            int body = pos + 8;
            long available = d.length - (long) body;
            if (id.equals("fmt ")) {
                if (size < 16 || size > available) {
                    throw new AudioFormatException(file + ": malformed fmt chunk");
                }
                format = (int) PcmCodec.readLe(d, body, 2);
                channels = (int) PcmCodec.readLe(d, body + 2, 2);
                rate = PcmCodec.readLe(d, body + 4, 4);
                blockAlign = (int) PcmCodec.readLe(d, body + 12, 2);
                bits = (int) PcmCodec.readLe(d, body + 14, 2);
                if (format == FORMAT_EXTENSIBLE) {
                    if (size < 40) {
                        throw new AudioFormatException(file + ": WAVE_FORMAT_EXTENSIBLE fmt chunk too short");
                    }
                    // The sub-format GUID starts with the format code.
                    format = (int) PcmCodec.readLe(d, body + 24, 2);
                }
            } else if (id.equals("data")) {
                if (format < 0) {
                    throw new AudioFormatException(file + ": data chunk before fmt chunk");
                }
                long len = Math.min(size, available);
                return decode(file, d, body, len, format, channels, rate, blockAlign, bits);
            }
            long next = body + size + (size & 1);
            if (next > d.length) {
                break;
            }
            pos = (int) next;
        }
        throw new AudioFormatException(file + (format < 0 ? ": no fmt chunk" : ": no data chunk"));
    }

    private static DecodedAudio decode(String file, byte[] d, int body, long len, int format, int channels,
            long rate, int blockAlign, int bits) throws AudioFormatException {
        int rateHz = PcmCodec.checkRate(file, rate);
        if (channels < 1 || channels > 2) {
            throw new AudioFormatException(file + ": " + channels + " channels; only mono or stereo is supported");
        }
        PcmCodec.Kind kind;
        int bytes = (bits + 7) / 8;
        if (format == FORMAT_PCM) {
            if (bits < 1 || bits > 32) {
                throw new AudioFormatException(file + ": unsupported PCM sample size " + bits + " bits");
            }
            kind = bytes == 1 ? PcmCodec.Kind.UNSIGNED : PcmCodec.Kind.SIGNED;
        } else if (format == FORMAT_FLOAT) {
            if (bits != 32 && bits != 64) {
                throw new AudioFormatException(file + ": unsupported float sample size " + bits + " bits");
            }
            kind = PcmCodec.Kind.FLOAT;
        } else {
            throw new AudioFormatException(file + ": unsupported WAV format code 0x" + Integer.toHexString(format)
                    + " (PCM and IEEE float only)");
        }
        int stride = Math.max(blockAlign, channels * bytes);
        long frames = len / stride;
        if (frames > PcmCodec.MAX_FRAMES) {
            throw new AudioFormatException(file + ": " + frames + " frames is more than the "
                    + PcmCodec.MAX_FRAMES + " one sound may hold");
        }
        float[][] ch = PcmCodec.decode(file, d, body, (int) frames, channels, bytes, stride, kind, false);
        return new DecodedAudio(ch, rateHz);
    }

    static String tag(byte[] d, int pos) {
        char[] c = new char[4];
        for (int i = 0; i < 4; i++) {
            c[i] = (char) (d[pos + i] & 0xFF);
        }
        return new String(c);
    }
}
