package io.latentkit.presets.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.latentkit.core.DrumClass;
import io.latentkit.core.audio.AudioDecoder;
import io.latentkit.core.audio.AudioFormatException;
import io.latentkit.core.audio.DecodedAudio;
import io.latentkit.presets.LibraryException;
import io.latentkit.presets.kit.source.HydrogenKitParser;
import io.latentkit.presets.kit.source.KitFormatException;
import io.latentkit.presets.kit.source.ParsedKit;
import io.latentkit.presets.kit.source.sfz.SfzParser;
import io.latentkit.presets.preset.Preset;
import io.latentkit.presets.preset.PresetCodec;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Fuzz tests of every reader that takes bytes from outside: the WAV, AIFF and FLAC readers, the
 * Hydrogen and SFZ parsers and the preset reader. Each must either return a sane value or throw
 * the project's own typed exception; anything else (a runtime exception, an error, a hang) is a
 * finding.
 *
 * <p>In a plain {@code mvn test} these run as ordinary regression tests over the saved inputs in
 * {@code src/test/resources/io/latentkit/presets/fuzz/ParserFuzzTestInputs/<method>/} (seed files
 * and every finding so far). Fuzzing is on only with {@code JAZZER_FUZZ=1}, one method at a time:
 * {@code JAZZER_FUZZ=1 mvn -pl presets -am test -Dtest=ParserFuzzTest#wavReader
 * -Djazzer.max_duration=60s -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class ParserFuzzTest {
    /** Inputs never touch the disk: includes and samples resolve against this (absent) folder. */
    private static final Path NOWHERE = Path.of("/nonexistent/latentkit-fuzz");

    @FuzzTest(maxDuration = "60s")
    void wavReader(byte[] data) {
        decodeOnlyTyped(withMagic(data, "RIFF\0\0\0\0WAVE"));
    }

    @FuzzTest(maxDuration = "60s")
    void aiffReader(byte[] data) {
        decodeOnlyTyped(withMagic(data, data.length > 0 && (data[0] & 1) == 1 ? "FORM\0\0\0\0AIFC" : "FORM\0\0\0\0AIFF"));
    }

    @FuzzTest(maxDuration = "60s")
    void flacReader(byte[] data) {
        decodeOnlyTyped(withMagic(data, "fLaC"));
    }

    @FuzzTest(maxDuration = "60s")
    void hydrogenParser(byte[] data) {
        try {
            ParsedKit k = HydrogenKitParser.parse(data, NOWHERE);
            assertTrue(!k.instruments().isEmpty());
            for (ParsedKit.Instrument i : k.instruments()) {
                assertTrue(i.gain() >= 0 && i.gain() <= 4 && i.pan() >= -1 && i.pan() <= 1, i.toString());
                for (ParsedKit.Layer l : i.layers()) {
                    assertTrue(l.min() >= 0 && l.min() <= l.max() && l.max() <= 1, l.toString());
                    l.samples().forEach(p -> assertTrue(p.startsWith(NOWHERE), p.toString()));
                }
            }
        } catch (KitFormatException e) {
            assertOneLine(e.getMessage());
        }
    }

    @FuzzTest(maxDuration = "60s")
    void sfzParser(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        try {
            ParsedKit k = SfzParser.parse(text, "fuzz", NOWHERE, NOWHERE, p -> {
                if (p.getFileName().toString().startsWith("a")) {
                    return "<region> key=36 sample=x.wav";
                }
                throw new IOException("no such file");
            });
            for (ParsedKit.Instrument i : k.instruments()) {
                assertTrue(i.choke() >= 0 && i.choke() <= 16 && i.offBy() >= -1 && i.offBy() <= 16);
                for (ParsedKit.Layer l : i.layers()) {
                    assertTrue(l.min() >= 0 && l.min() <= l.max() && l.max() <= 1, l.toString());
                    assertTrue(!l.strikes().isEmpty(), l.toString());
                    for (ParsedKit.Strike s : l.strikes()) {
                        assertTrue(!s.parts().isEmpty() && (!l.random() || s.chance() > 0f), s.toString());
                        for (ParsedKit.Part p : s.parts()) {
                            assertTrue(p.gain() >= 0f && p.gain() <= 16f && Math.abs(p.pitch()) <= 24f
                                    && Math.abs(p.pan()) <= 1f, p.toString());
                            assertTrue(p.sample().startsWith(NOWHERE), p.toString());
                        }
                    }
                }
            }
        } catch (KitFormatException e) {
            assertOneLine(e.getMessage());
        }
    }

    @FuzzTest(maxDuration = "60s")
    void presetReader(byte[] data) {
        try {
            Preset p = PresetCodec.read(data, "preset");
            assertEquals(DrumClass.COUNT, p.pads().size());
            // What was read writes back and reads again to the same preset.
            assertEquals(p, PresetCodec.read(PresetCodec.write(p), "again"));
        } catch (LibraryException e) {
            assertTrue(e.kind() == LibraryException.Kind.BAD_INPUT || e.kind() == LibraryException.Kind.NEWER_VERSION,
                    e.kind().toString());
            assertOneLine(e.getMessage());
        }
    }

    private static void decodeOnlyTyped(byte[] bytes) {
        try {
            DecodedAudio a = AudioDecoder.decode("fuzz", bytes);
            assertTrue(a.channelCount() == 1 || a.channelCount() == 2);
            assertTrue(a.sampleRateHz() >= 1000 && a.sampleRateHz() <= 1_536_000);
            for (int c = 0; c < a.channelCount(); c++) {
                for (float v : a.channel(c)) {
                    assertTrue(Float.isFinite(v));
                }
            }
        } catch (AudioFormatException e) {
            assertOneLine(e.getMessage());
        }
    }

    private static byte[] withMagic(byte[] data, String magic) {
        byte[] m = magic.getBytes(StandardCharsets.ISO_8859_1);
        if (data.length >= m.length && new String(data, 0, 4, StandardCharsets.ISO_8859_1).equals(magic.substring(0, 4))) {
            return data;
        }
        byte[] out = new byte[m.length + data.length];
        System.arraycopy(m, 0, out, 0, m.length);
        System.arraycopy(data, 0, out, m.length, data.length);
        return out;
    }

    private static void assertOneLine(String message) {
        assertTrue(message != null && !message.isEmpty() && message.indexOf('\n') < 0, String.valueOf(message));
    }
}
