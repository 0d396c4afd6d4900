package io.latentkit.core.audio;


/**
 * Interleaved PCM or IEEE-float bytes to float channels, for the container readers in this
 * package. Integer samples are scaled so that full scale is 1; non-finite floats (and doubles beyond the
 * float range) become 0.
 *
 * <p>Stateless; any thread.
 */
public final class PcmCodec {
    /** Most frames one file may decode to (about 11 minutes at 48 kHz): bounds memory per sample. */
    public static final int MAX_FRAMES = 1 << 25;

    /** How the samples of a frame are stored. */
    public enum Kind {
        /** Signed two's complement integers. */
        SIGNED,
        /** Offset-binary integers (8-bit WAV). */
        UNSIGNED,
        /** IEEE 754 float, 4 or 8 bytes. */
        FLOAT
    }

    /** Rates a file may declare; beyond them the header is corrupt (matches the resampler's range). */
    public static final int MIN_RATE_HZ = 1000;
    public static final int MAX_RATE_HZ = 1_536_000;

    private PcmCodec() {
    }

    /** The declared rate as an int, or a typed failure if it is outside the supported range. */
    public static int checkRate(String file, double rateHz) throws AudioFormatException {
        if (!(rateHz >= MIN_RATE_HZ && rateHz <= MAX_RATE_HZ)) {
            throw new AudioFormatException(file + ": sample rate " + rateHz + " Hz is outside "
                    + MIN_RATE_HZ + ".." + MAX_RATE_HZ + " Hz");
        }
        return (int) Math.round(rateHz);
    }

    /**
     * Decodes {@code frames} frames of {@code channels} samples each, {@code bytesPerSample} bytes
     * per sample, frame stride {@code strideBytes}, from {@code data[offset..]}.
     */
    public static float[][] decode(String file, byte[] data, int offset, int frames, int channels,
            int bytesPerSample, int strideBytes, Kind kind, boolean bigEndian) throws AudioFormatException {
        if (channels < 1 || channels > 2) {
            throw new AudioFormatException(file + ": " + channels + " channels; only mono or stereo is supported");
        }
        if (frames < 0 || frames > MAX_FRAMES) {
            throw new AudioFormatException(file + ": " + frames + " frames is more than the "
                    + MAX_FRAMES + " one sound may hold");
        }
        if (kind == Kind.FLOAT ? bytesPerSample != 4 && bytesPerSample != 8
                : bytesPerSample < 1 || bytesPerSample > 4) {
            throw new AudioFormatException(file + ": unsupported sample size of " + bytesPerSample + " bytes");
        }
        if (strideBytes < channels * bytesPerSample) {
            throw new AudioFormatException(file + ": frame of " + strideBytes + " bytes cannot hold "
                    + channels + " samples of " + bytesPerSample + " bytes");
        }
        if (offset < 0 || (long) offset + (long) frames * strideBytes > data.length) {
            throw new AudioFormatException(file + ": audio data runs past the end of the file");
        }
        float[][] out = new float[channels][frames];
        double scale = 1.0 / (1L << (8 * bytesPerSample - 1));
        for (int c = 0; c < channels; c++) {
            float[] ch = out[c];
            int pos = offset + c * bytesPerSample;
            for (int f = 0; f < frames; f++, pos += strideBytes) {
                long raw = bigEndian ? readBe(data, pos, bytesPerSample) : readLe(data, pos, bytesPerSample);
                float v;
                switch (kind) {
                    case FLOAT:
                        double d = bytesPerSample == 4 ? Float.intBitsToFloat((int) raw) : Double.longBitsToDouble(raw);
                        // A finite double beyond the float range would become infinite: also 0.
                        v = (float) d;
                        if (!Float.isFinite(v)) {
                            v = 0f;
                        }
                        break;
                    case UNSIGNED:
                        v = (float) ((raw - (1L << (8 * bytesPerSample - 1))) * scale);
                        break;
                    default:
                        // Sign-extend from the sample's own width.
                        int shift = 64 - 8 * bytesPerSample;
                        v = (float) (((raw << shift) >> shift) * scale);
                        break;
                }
                ch[f] = v;
            }
        }
        return out;
    }

    static long readLe(byte[] b, int pos, int n) {
        long v = 0;
        for (int i = n - 1; i >= 0; i--) {
            v = (v << 8) | (b[pos + i] & 0xFF);
        }
        return v;
    }

    static long readBe(byte[] b, int pos, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (b[pos + i] & 0xFF);
        }
        return v;
    }
}
