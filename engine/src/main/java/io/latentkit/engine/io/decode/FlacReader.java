package io.latentkit.engine.io.decode;

import io.latentkit.engine.io.AudioFormatException;
import io.latentkit.engine.io.DecodedAudio;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.UnsupportedAudioFileException;
import org.jflac.sound.spi.FlacAudioFileReader;
import org.jflac.sound.spi.FlacFormatConversionProvider;

/**
 * FLAC reader through jflac's Java Sound service provider (its file reader and its FLAC-to-PCM
 * converter, called directly rather than through {@code AudioSystem}'s provider scan, so that a
 * bad file is judged by the FLAC decoder alone). Mono or stereo, 8 to 24 bits, any rate.
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
        } catch (IOException | UnsupportedAudioFileException | RuntimeException | StackOverflowError e) {
            throw new AudioFormatException(file + ": corrupt FLAC (" + oneLine(e) + ")", e);
        }
    }

    private static DecodedAudio decode(String file, byte[] d)
            throws IOException, UnsupportedAudioFileException {
        int start = id3Length(d);
        InputStream in = new ByteArrayInputStream(d, start, d.length - start);
        AudioInputStream flac = new FlacAudioFileReader().getAudioInputStream(in);
        AudioFormat src = flac.getFormat();
        int channels = src.getChannels();
        int bits = src.getSampleSizeInBits();
        if (channels < 1 || channels > 2) {
            throw new AudioFormatException(file + ": " + channels + " channels; only mono or stereo is supported");
        }
        if (bits < 4 || bits > 24) {
            throw new AudioFormatException(file + ": unsupported FLAC sample size " + bits + " bits");
        }
        int rateHz = PcmCodec.checkRate(file, src.getSampleRate());
        int bytes = (bits + 7) / 8;
        AudioFormat pcm = new AudioFormat(AudioFormat.Encoding.PCM_SIGNED, src.getSampleRate(), bits, channels,
                channels * bytes, src.getSampleRate(), false);
        AudioInputStream decoded = new FlacFormatConversionProvider().getAudioInputStream(pcm, flac);
        int stride = channels * bytes;
        long limit = (long) PcmCodec.MAX_FRAMES * stride;
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(1024, d.length * 2));
        byte[] buf = new byte[64 * 1024];
        int n;
        while ((n = decoded.read(buf)) > 0) {
            out.write(buf, 0, n);
            if (out.size() > limit) {
                throw new AudioFormatException(file + ": decodes to more than the " + PcmCodec.MAX_FRAMES
                        + " frames one sound may hold");
            }
        }
        byte[] raw = out.toByteArray();
        int frames = raw.length / stride;
        // jflac emits 8-bit audio as unsigned bytes, wider samples as signed little-endian.
        PcmCodec.Kind kind = bytes == 1 ? PcmCodec.Kind.UNSIGNED : PcmCodec.Kind.SIGNED;
        return new DecodedAudio(PcmCodec.decode(file, raw, 0, frames, channels, bytes, stride, kind, false), rateHz);
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
