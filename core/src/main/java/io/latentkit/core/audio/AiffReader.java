package io.latentkit.core.audio;


/**
 * AIFF and AIFF-C reader: integer PCM of 1..32 bits (big-endian {@code NONE}/{@code twos},
 * little-endian {@code sowt}) and IEEE float ({@code fl32}, {@code fl64}), mono or stereo.
 *
 * <p>Stateless; any thread (callers use it on a loader thread).
 */
public final class AiffReader {
    private AiffReader() {
    }

    /** True if the bytes start like an AIFF or AIFF-C file. */
    public static boolean matches(byte[] d) {
        if (d.length < 12 || !WavReader.tag(d, 0).equals("FORM")) {
            return false;
        }
        String type = WavReader.tag(d, 8);
        return type.equals("AIFF") || type.equals("AIFC");
    }

    public static DecodedAudio read(String file, byte[] d) throws AudioFormatException {
        if (!matches(d)) {
            throw new AudioFormatException(file + ": not an AIFF file");
        }
        boolean aifc = WavReader.tag(d, 8).equals("AIFC");
        int pos = 12;
        boolean haveComm = false;
        int channels = 0;
        long frames = 0;
        int bits = 0;
        double rate = 0;
        String compression = "NONE";
        int ssndData = -1;
        long ssndLen = 0;
        while (pos + 8 <= d.length) {
            String id = WavReader.tag(d, pos);
            long size = PcmCodec.readBe(d, pos + 4, 4);
            int body = pos + 8;
            long available = d.length - (long) body;
            if (id.equals("COMM")) {
                if (size < 18 || size > available || (aifc && size < 22)) {
                    throw new AudioFormatException(file + ": malformed COMM chunk");
                }
                haveComm = true;
                channels = (int) PcmCodec.readBe(d, body, 2);
                frames = PcmCodec.readBe(d, body + 2, 4);
                bits = (int) PcmCodec.readBe(d, body + 6, 2);
                rate = extended80(d, body + 8);
                if (aifc) {
                    compression = WavReader.tag(d, body + 18);
                }
            } else if (id.equals("SSND")) {
                if (size < 8 || available < 8) {
                    throw new AudioFormatException(file + ": malformed SSND chunk");
                }
                long offset = PcmCodec.readBe(d, body, 4);
                long len = Math.min(size, available) - 8 - offset;
                if (len < 0) {
                    throw new AudioFormatException(file + ": SSND offset past the chunk's end");
                }
                ssndData = (int) (body + 8 + offset);
                ssndLen = len;
            }
            long next = body + size + (size & 1);
            if (next > d.length) {
                break;
            }
            pos = (int) next;
        }
        if (!haveComm) {
            throw new AudioFormatException(file + ": no COMM chunk");
        }
        int rateHz = PcmCodec.checkRate(file, rate);
        if (channels < 1 || channels > 2) {
            throw new AudioFormatException(file + ": " + channels + " channels; only mono or stereo is supported");
        }
        PcmCodec.Kind kind;
        boolean bigEndian = true;
        int bytes;
        switch (compression) {
            case "NONE":
            case "twos":
            case "sowt":
                if (bits < 1 || bits > 32) {
                    throw new AudioFormatException(file + ": unsupported sample size " + bits + " bits");
                }
                kind = PcmCodec.Kind.SIGNED;
                bigEndian = !compression.equals("sowt");
                bytes = (bits + 7) / 8;
                break;
            case "fl32":
            case "FL32":
                kind = PcmCodec.Kind.FLOAT;
                bytes = 4;
                break;
            case "fl64":
            case "FL64":
                kind = PcmCodec.Kind.FLOAT;
                bytes = 8;
                break;
            default:
                throw new AudioFormatException(file + ": unsupported AIFF-C compression '" + printable(compression) + "'");
        }
        if (frames == 0) {
            return new DecodedAudio(new float[channels][0], rateHz);
        }
        if (ssndData < 0) {
            throw new AudioFormatException(file + ": no SSND chunk");
        }
        int stride = channels * bytes;
        long whole = Math.min(frames, ssndLen / stride);
        if (whole > PcmCodec.MAX_FRAMES) {
            throw new AudioFormatException(file + ": " + whole + " frames is more than the "
                    + PcmCodec.MAX_FRAMES + " one sound may hold");
        }
        float[][] ch = PcmCodec.decode(file, d, ssndData, (int) whole, channels, bytes, stride, kind, bigEndian);
        return new DecodedAudio(ch, rateHz);
    }

    /** IEEE 754 80-bit extended (the AIFF sample-rate field) to double. */
    static double extended80(byte[] d, int pos) {
        int se = (int) PcmCodec.readBe(d, pos, 2);
        long mantissa = PcmCodec.readBe(d, pos + 2, 8);
        int exp = se & 0x7FFF;
        if (exp == 0x7FFF) {
            return Double.NaN;
        }
        double m = (double) (mantissa >>> 1) * 2.0 + (mantissa & 1);
        double v = Math.scalb(m, exp - 16383 - 63);
        return (se & 0x8000) != 0 ? -v : v;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) {
            b.append(c >= 0x20 && c < 0x7F ? c : '?');
        }
        return b.toString();
    }
}
