package io.latentkit.core.audio;

import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.DoubleBuffer;
import java.nio.charset.StandardCharsets;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import javax.sound.sampled.AudioFormat;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Real files written by SoX ({@code sox -D -n -r RATE -c CH -b BITS ... synth 0.02 sine 440 vol 0.5},
 * no dither) in every supported container and encoding. SoX's float64 raw rendering of the same
 * sine at each rate ({@code ref_RATE.f64}) is the reference: every file must decode to it within
 * its own quantisation step, at its own rate, with the right channel count.
 */
class AudioDecoderTest {
    private static final String DIR = "/io/latentkit/core/audio/";

    @ParameterizedTest(name = "{0}")
    @CsvSource({
        "pcm16_mono_44100.wav,        1, 44100, 16",
        "pcm24_stereo_48000.wav,      2, 48000, 24",
        "ext24_stereo_48000.wav,      2, 48000, 24",
        "pcm32_mono_22050.wav,        1, 22050, 32",
        "pcm8_mono_22050.wav,         1, 22050, 8",
        "float32_stereo_96000.wav,    2, 96000, 24",
        "float64_mono_44100.wav,      1, 44100, 52",
        "aiff16_stereo_44100.aiff,    2, 44100, 16",
        "aiff24_mono_48000.aiff,      1, 48000, 24",
        "aifc_float32_mono_44100.aifc, 1, 44100, 24",
        "flac16_stereo_44100.flac,    2, 44100, 16",
        "flac24_mono_48000.flac,      1, 48000, 24",
        "flac8_mono_22050.flac,       1, 22050, 8",
    })
    void everySupportedFormatDecodesToTheReferenceSineWithinItsQuantisation(String file, int channels, int rateHz,
            int bits) throws IOException {
        DecodedAudio a = AudioDecoder.decode(resource(file));
        assertEquals(channels, a.channelCount());
        assertEquals(rateHz, a.sampleRateHz());
        assertEquals(Math.round(0.02 * rateHz), a.frames(), 1);
        double step = Math.pow(2, -(bits - 1));
        double[] ref = reference(rateHz);
        assertEquals(ref.length, a.frames());
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < ref.length; i++) {
                // Rounding to the format's step; 8-bit WAV and FLAC are offset binary / signed
                // 8-bit, both within one step.
                assertEquals(ref[i], a.channel(c)[i], step + 1e-7, file + " channel " + c + " frame " + i);
            }
            // And the level is about the one asked for (SoX's synth overshoots 0.5 slightly).
            assertEquals(0.5, peak(a.channel(c)), 0.06, file);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"pcm16_mono_44100.wav", "pcm24_stereo_48000.wav", "pcm8_mono_22050.wav", "aiff16_stereo_44100.aiff",
        "aiff24_mono_48000.aiff"})
    void integerPcmMatchesTheJdkOwnReaderSampleForSample(String file) throws Exception {
        Path p = resource(file);
        DecodedAudio ours = AudioDecoder.decode(p);
        try (AudioInputStream jdk = AudioSystem.getAudioInputStream(p.toFile())) {
            AudioFormat f = jdk.getFormat();
            byte[] raw = jdk.readAllBytes();
            int bytes = f.getSampleSizeInBits() / 8;
            int ch = f.getChannels();
            int frames = raw.length / (bytes * ch);
            assertEquals(frames, ours.frames());
            for (int i = 0; i < frames; i++) {
                for (int c = 0; c < ch; c++) {
                    int off = (i * ch + c) * bytes;
                    long v = 0;
                    for (int b = 0; b < bytes; b++) {
                        int idx = f.isBigEndian() ? off + b : off + bytes - 1 - b;
                        v = (v << 8) | (raw[idx] & 0xFF);
                    }
                    double x;
                    if (f.getEncoding() == AudioFormat.Encoding.PCM_UNSIGNED) {
                        x = (v - (1L << (8 * bytes - 1))) / (double) (1L << (8 * bytes - 1));
                    } else {
                        int shift = 64 - 8 * bytes;
                        x = ((v << shift) >> shift) / (double) (1L << (8 * bytes - 1));
                    }
                    assertEquals((float) x, ours.channel(c)[i], 0f, file + " frame " + i + " channel " + c);
                }
            }
        }
    }

    @Test
    void flacDecodesExactlyLikeTheSameAudioStoredAsWav() throws IOException {
        DecodedAudio wav = AudioDecoder.decode(resource("aiff16_stereo_44100.aiff"));
        DecodedAudio flac = AudioDecoder.decode(resource("flac16_stereo_44100.flac"));
        assertEquals(wav.frames(), flac.frames());
        for (int c = 0; c < 2; c++) {
            assertTrue(Arrays.equals(wav.channel(c), flac.channel(c)), "channel " + c);
        }
    }

    @Test
    void aWavWhoseDataChunkOverrunsTheFileIsReadToTheLastWholeFrame() throws IOException {
        byte[] d = Files.readAllBytes(resource("pcm16_mono_44100.wav"));
        int data = indexOf(d, "data");
        // Declared length 0xFFFFFFFF, as streaming writers leave it; and one stray byte cut off.
        d[data + 4] = d[data + 5] = d[data + 6] = d[data + 7] = (byte) 0xFF;
        byte[] cut = Arrays.copyOf(d, d.length - 1);
        DecodedAudio a = AudioDecoder.decode("cut.wav", cut);
        assertEquals((cut.length - data - 8) / 2, a.frames());
    }

    @Test
    void decodedAudioResamplesToTheEngineRateAsASample() throws IOException {
        DecodedAudio a = AudioDecoder.decode(resource("flac24_mono_48000.flac"));
        var s = AudioDecoder.decode(resource("aiff16_stereo_44100.aiff")).toSample("x", 48_000);
        assertEquals(48_000, s.sampleRateHz());
        assertTrue(s.isStereo());
        assertEquals(a.frames(), a.toSample("y", 48_000).frames());
        assertEquals(Math.round(0.02 * 48_000), s.frames(), 1);
    }

    @Test
    void badInputIsRefusedWithTheTypedExceptionAndAOneLineReason() throws IOException {
        byte[] wav = Files.readAllBytes(resource("pcm16_mono_44100.wav"));
        byte[] aiff = Files.readAllBytes(resource("aiff16_stereo_44100.aiff"));
        byte[] flac = Files.readAllBytes(resource("flac16_stereo_44100.flac"));
        byte[] random = new byte[4096];
        new Random(7).nextBytes(random);
        byte[][] bad = {
            new byte[0],
            random,
            "RIFF\0\0\0\0WAVE".getBytes(StandardCharsets.ISO_8859_1),
            Arrays.copyOf(wav, 30),
            patch(wav, indexOf(wav, "fmt ") + 8, 0x55, 0), // MPEG in a WAV
            patch(wav, indexOf(wav, "fmt ") + 10, 6, 0), // six channels
            patch(wav, indexOf(wav, "fmt ") + 12, 0, 0, 0, 0), // 0 Hz
            patch(wav, indexOf(wav, "fmt ") + 22, 13, 0), // 13-bit float
            Arrays.copyOf(aiff, 40),
            patch(aiff, indexOf(aiff, "COMM") + 16, 0, 0), // sample rate exponent 0
            Arrays.copyOf(flac, 20),
            Arrays.copyOf(flac, 60),
            patch(flac, 8, 0, 0, 0, 0), // stream info block sizes zeroed
            new byte[] {'f', 'L', 'a', 'C'},
        };
        for (int i = 0; i < bad.length; i++) {
            byte[] b = bad[i];
            try {
                DecodedAudio a = AudioDecoder.decode("bad" + i, b);
                // A damaged file may still hold decodable audio; then it must be sane.
                assertTrue(a.frames() >= 0 && a.sampleRateHz() > 0, "case " + i);
            } catch (AudioFormatException e) {
                assertTrue(e.getMessage().startsWith("bad" + i + ": "), e.getMessage());
                assertTrue(!e.getMessage().contains("\n"), e.getMessage());
            }
        }
        assertThrows(AudioFormatException.class, () -> AudioDecoder.decode("empty", new byte[0]));
        assertThrows(AudioFormatException.class, () -> AudioDecoder.decode("rnd", random));
        assertThrows(AudioFormatException.class, () -> AudioDecoder.decode("six", bad[5]));
        assertThrows(AudioFormatException.class, () -> AudioDecoder.decode("mp3", bad[4]));
        assertThrows(AudioFormatException.class, () -> AudioDecoder.decode("flac", bad[10]));
    }

    @Test
    void aMissingFileIsAnIoErrorNotAFormatError(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> AudioDecoder.decode(dir.resolve("nope.wav")));
        assertTrue(!(e instanceof AudioFormatException));
    }

    /** SoX's float64 rendering of the same sine at this rate, as raw little-endian doubles. */
    private static double[] reference(int rateHz) throws IOException {
        byte[] b = Files.readAllBytes(resource("ref_" + rateHz + ".f64"));
        DoubleBuffer db = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).asDoubleBuffer();
        double[] d = new double[db.remaining()];
        db.get(d);
        return d;
    }

    private static double peak(float[] x) {
        double max = 0;
        for (float v : x) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    private static byte[] patch(byte[] src, int at, int... bytes) {
        byte[] d = src.clone();
        for (int i = 0; i < bytes.length; i++) {
            d[at + i] = (byte) bytes[i];
        }
        return d;
    }

    private static int indexOf(byte[] d, String tag) {
        byte[] t = tag.getBytes(StandardCharsets.ISO_8859_1);
        outer:
        for (int i = 0; i + t.length <= d.length; i++) {
            for (int j = 0; j < t.length; j++) {
                if (d[i + j] != t[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalArgumentException(tag);
    }

    static Path resource(String name) {
        try {
            return Path.of(AudioDecoderTest.class.getResource(DIR + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
