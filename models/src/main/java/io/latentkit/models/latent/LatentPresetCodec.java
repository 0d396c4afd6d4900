package io.latentkit.models.latent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latentkit.core.DrumClass;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code latent} section of a preset: every latent pad's corners, position, mode and point.
 * Points are written as the exact decimal value of each float (widened to a double), so that they
 * read back to the same bits whatever parser reads them: a reloaded pad decodes to the same bytes.
 *
 * <pre>{"version": 1, "model": "1.2.0/...", "pads": [{"pad": 3, "x": 0.5, "y": 0.25, "mode": "xy",
 *   "z": [...], "digest": "1a2b3c4d", "anchors": [{"sound": "pad:3", "z": [...]}, ... 4]}]}</pre>
 *
 * <p>Stateless; any thread.
 */
public final class LatentPresetCodec {
    /** The extension's name in a preset. */
    public static final String SECTION = "latent";
    static final int VERSION = 1;

    private LatentPresetCodec() {
    }

    /** A preset's section for these pads. */
    public static ObjectNode encode(List<LatentPadState> pads, String modelId) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        root.put("version", VERSION);
        root.put("model", modelId);
        ArrayNode list = root.putArray("pads");
        for (LatentPadState s : pads) {
            ObjectNode o = list.addObject();
            o.put("pad", s.pad());
            o.put("x", (double) s.x());
            o.put("y", (double) s.y());
            o.put("mode", s.mode());
            vector(o.putArray("z"), s.z());
            if (s.digest() >= 0) {
                o.put("digest", Long.toHexString(s.digest()));
            }
            ArrayNode anchors = o.putArray("anchors");
            for (LatentPadState.Anchor a : s.anchors()) {
                ObjectNode ao = anchors.addObject();
                ao.put("sound", a.sound());
                vector(ao.putArray("z"), a.z());
            }
        }
        return root;
    }

    private static void vector(ArrayNode a, float[] z) {
        for (float v : z) {
            // A float widened to a double is exact; Jackson writes the double's shortest decimal, which
            // parses back to the same double, hence the same float.
            a.add((double) v);
        }
    }

    /**
     * The pads of a preset's section.
     *
     * @throws IllegalArgumentException with a one-line reason if it is malformed
     */
    public static List<LatentPadState> decode(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("latent section must be an object");
        }
        int version = root.path("version").asInt(-1);
        if (version != VERSION) {
            throw new IllegalArgumentException("latent section version " + version + " is not " + VERSION);
        }
        JsonNode pads = root.path("pads");
        if (!pads.isArray()) {
            throw new IllegalArgumentException("latent section has no pads list");
        }
        List<LatentPadState> out = new ArrayList<>();
        boolean[] seen = new boolean[DrumClass.COUNT];
        int size = -1;
        for (JsonNode o : pads) {
            int pad = o.path("pad").asInt(-1);
            if (pad < 0 || pad >= DrumClass.COUNT || !o.path("pad").isInt()) {
                throw new IllegalArgumentException("latent pad number must be 0.." + (DrumClass.COUNT - 1));
            }
            if (seen[pad]) {
                throw new IllegalArgumentException("latent pad " + pad + " is listed twice");
            }
            seen[pad] = true;
            float x = unit(o, "x", pad);
            float y = unit(o, "y", pad);
            String mode = o.path("mode").asText("");
            if (!mode.equals(LatentPadState.XY) && !mode.equals(LatentPadState.MORPH) && !mode.equals(LatentPadState.Z)) {
                throw new IllegalArgumentException("latent pad " + pad + ": unknown mode '" + mode + "'");
            }
            float[] z = vector(o.path("z"), pad);
            size = checkSize(size, z, pad);
            JsonNode anchors = o.path("anchors");
            if (!anchors.isArray() || anchors.size() != 4) {
                throw new IllegalArgumentException("latent pad " + pad + " must have 4 anchors");
            }
            List<LatentPadState.Anchor> as = new ArrayList<>();
            for (JsonNode a : anchors) {
                float[] az = vector(a.path("z"), pad);
                checkSize(size, az, pad);
                as.add(new LatentPadState.Anchor(a.path("sound").asText("?"), az));
            }
            long digest = -1;
            if (o.has("digest")) {
                try {
                    digest = Long.parseLong(o.get("digest").asText(), 16);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("latent pad " + pad + ": digest is not hexadecimal");
                }
            }
            out.add(new LatentPadState(pad, as, x, y, mode, z, digest));
        }
        return out;
    }

    /** The model the section's points belong to, or "". */
    public static String model(JsonNode root) {
        return root == null ? "" : root.path("model").asText("");
    }

    private static int checkSize(int size, float[] z, int pad) {
        if (size >= 0 && z.length != size) {
            throw new IllegalArgumentException("latent pad " + pad + ": vectors of different sizes");
        }
        return z.length;
    }

    private static float unit(JsonNode o, String field, int pad) {
        JsonNode v = o.path(field);
        float f = (float) v.asDouble(Double.NaN);
        if (!v.isNumber() || !(f >= 0f && f <= 1f)) {
            throw new IllegalArgumentException("latent pad " + pad + ": " + field + " must be a number 0..1");
        }
        return f;
    }

    private static float[] vector(JsonNode a, int pad) {
        if (!a.isArray() || a.isEmpty() || a.size() > 4096) {
            throw new IllegalArgumentException("latent pad " + pad + ": a latent vector must be a list of numbers");
        }
        float[] z = new float[a.size()];
        for (int i = 0; i < z.length; i++) {
            JsonNode v = a.get(i);
            z[i] = (float) v.asDouble(Double.NaN);
            if (!v.isNumber() || !Float.isFinite(z[i])) {
                throw new IllegalArgumentException("latent pad " + pad + ": a latent vector holds a non-number");
            }
        }
        return z;
    }
}
