package io.latentkit.models.latent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class LatentPresetCodecTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Floats whose decimal forms are easy to get wrong: subnormals, extremes, negative zero, 0.1. */
    private static final float[] AWKWARD = {Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE,
        -Float.MAX_VALUE, -0.0f, 0.1f, 1f / 3, (float) Math.PI, 16_777_217f, 1e-38f, Math.nextUp(1f), Math.nextDown(1f)};

    private static float[] vector(Random rng, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            // Random bit patterns cover every exponent and mantissa; non-finite ones are skipped.
            float f;
            do {
                f = Float.intBitsToFloat(rng.nextInt());
            } while (!Float.isFinite(f));
            v[i] = f;
        }
        System.arraycopy(AWKWARD, 0, v, 0, Math.min(n, AWKWARD.length));
        return v;
    }

    private static LatentPadState pad(Random rng, int pad, String mode, long digest) {
        List<LatentPadState.Anchor> anchors = new ArrayList<>();
        String[] sounds = {"pad:" + pad, "random", "kick-808", "pad:1"};
        for (String s : sounds) {
            anchors.add(new LatentPadState.Anchor(s, vector(rng, 64)));
        }
        return new LatentPadState(pad, anchors, 0.1f, Math.nextDown(1f), mode, vector(rng, 64), digest);
    }

    private static void assertSameBits(float[] want, float[] got, String what) {
        assertEquals(want.length, got.length, what + " length");
        for (int i = 0; i < want.length; i++) {
            assertEquals(Float.floatToRawIntBits(want[i]), Float.floatToRawIntBits(got[i]),
                    what + "[" + i + "]: wrote " + want[i] + ", read " + got[i]);
        }
    }

    /** Through text, as a preset file goes. */
    private static List<LatentPadState> throughText(List<LatentPadState> pads, String model) throws Exception {
        String text = JSON.writerWithDefaultPrettyPrinter().writeValueAsString(LatentPresetCodec.encode(pads, model));
        JsonNode read = JSON.readTree(text);
        assertEquals(model, LatentPresetCodec.model(read));
        return LatentPresetCodec.decode(read);
    }

    @Test
    void everyFloatOfEveryPadReadsBackBitForBit() throws Exception {
        Random rng = new Random(14);
        List<LatentPadState> pads = List.of(pad(rng, 3, LatentPadState.XY, 0xCAFEBABEL),
                pad(rng, 0, LatentPadState.MORPH, -1), pad(rng, 8, LatentPadState.Z, 0L));
        List<LatentPadState> back = throughText(pads, "2.0.0/abc123");
        assertEquals(pads.size(), back.size());
        for (int p = 0; p < pads.size(); p++) {
            LatentPadState w = pads.get(p);
            LatentPadState g = back.get(p);
            assertEquals(w.pad(), g.pad());
            assertEquals(w.mode(), g.mode());
            assertEquals(w.digest(), g.digest(), "digest of pad " + w.pad());
            assertEquals(Float.floatToRawIntBits(w.x()), Float.floatToRawIntBits(g.x()));
            assertEquals(Float.floatToRawIntBits(w.y()), Float.floatToRawIntBits(g.y()));
            assertSameBits(w.z(), g.z(), "pad " + w.pad() + " z");
            for (int c = 0; c < 4; c++) {
                assertEquals(w.anchors().get(c).sound(), g.anchors().get(c).sound());
                assertSameBits(w.anchors().get(c).z(), g.anchors().get(c).z(), "pad " + w.pad() + " corner " + c);
            }
        }
    }

    @Test
    void anUnknownDigestIsLeftOutAndReadsBackUnknown() throws Exception {
        LatentPadState p = pad(new Random(1), 2, LatentPadState.XY, -1);
        ObjectNode section = LatentPresetCodec.encode(List.of(p), "m");
        assertFalse(section.get("pads").get(0).has("digest"));
        assertEquals(-1, throughText(List.of(p), "m").get(0).digest());
    }

    @Test
    void noLatentPadsIsAnEmptySection() throws Exception {
        assertTrue(throughText(List.of(), "m").isEmpty());
    }

    /** A good section with one pad, changed by {@code edit}, must be refused with {@code message}. */
    private static void refused(String message, Consumer<ObjectNode> edit) {
        ObjectNode section = LatentPresetCodec.encode(List.of(pad(new Random(7), 5, LatentPadState.XY, 17)), "m");
        edit.accept(section);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LatentPresetCodec.decode(section));
        assertTrue(e.getMessage().contains(message), "expected '" + message + "' in: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
    }

    private static ObjectNode firstPad(ObjectNode section) {
        return (ObjectNode) section.get("pads").get(0);
    }

    @Test
    void badSectionsAreRefusedWithAOneLineReason() {
        assertThrows(IllegalArgumentException.class, () -> LatentPresetCodec.decode(null));
        IllegalArgumentException notObject = assertThrows(IllegalArgumentException.class,
                () -> LatentPresetCodec.decode(JSON.createArrayNode()));
        assertEquals("latent section must be an object", notObject.getMessage());
        refused("version 2 is not 1", s -> s.put("version", 2));
        refused("version -1 is not 1", s -> s.remove("version"));
        refused("has no pads list", s -> s.put("pads", "none"));
        refused("pad number must be 0..", s -> firstPad(s).put("pad", 99));
        refused("pad number must be 0..", s -> firstPad(s).put("pad", "3"));
        refused("latent pad 5 is listed twice", s -> ((ArrayNode) s.get("pads")).add(firstPad(s).deepCopy()));
        refused("x must be a number 0..1", s -> firstPad(s).put("x", 1.5));
        refused("y must be a number 0..1", s -> firstPad(s).put("y", "half"));
        refused("x must be a number 0..1", s -> firstPad(s).put("x", -0.01));
        refused("unknown mode 'spin'", s -> firstPad(s).put("mode", "spin"));
        refused("a latent vector holds a non-number", s -> ((ArrayNode) firstPad(s).get("z")).set(3, "NaN"));
        refused("a latent vector holds a non-number", s -> ((ArrayNode) firstPad(s).get("z")).set(0, 1e300));
        refused("a latent vector must be a list of numbers", s -> firstPad(s).putArray("z"));
        refused("a latent vector must be a list of numbers", s -> firstPad(s).put("z", 1.0));
        refused("must have 4 anchors", s -> ((ArrayNode) firstPad(s).get("anchors")).remove(3));
        refused("vectors of different sizes", s -> ((ArrayNode) firstPad(s).get("anchors").get(2).get("z")).add(0.5));
        refused("digest is not hexadecimal", s -> firstPad(s).put("digest", "xyz"));
    }
}
