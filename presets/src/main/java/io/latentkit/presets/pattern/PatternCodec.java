package io.latentkit.presets.pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latentkit.core.DrumClass;
import io.latentkit.engine.sequence.Pattern;
import io.latentkit.presets.LibraryException;
import io.latentkit.presets.LibraryFolder;
import io.latentkit.presets.store.JsonCodec;
import io.latentkit.presets.store.VersionedJson;

/**
 * The pattern file format ({@code "format": "latentkit-pattern"}, version 1): {@code bars} (1..16),
 * {@code ticksPerBeat} (32 when written; another resolution is rescaled to 32 on reading, to the
 * nearest tick), and {@code rows}: {@code {"class": "kick", "muted": false, "hits": [[tick,
 * velocity], ...]}} with ticks counted from the chain's start. Rows without hits or mute may be
 * left out. The same object is a preset's {@code pattern} extension.
 *
 * <p>Strict about structure (a bad class, a tick outside 16 bars, a non-number is
 * {@link LibraryException.Kind#BAD_INPUT}), lenient about velocities (clamped into 0..1). Stateless;
 * any thread.
 */
public final class PatternCodec implements JsonCodec<Pattern> {
    public static final PatternCodec INSTANCE = new PatternCodec();
    public static final int CURRENT_VERSION = 1;

    private PatternCodec() {
    }

    @Override
    public String format() {
        return "latentkit-pattern";
    }

    @Override
    public int currentVersion() {
        return CURRENT_VERSION;
    }

    public static Pattern read(byte[] bytes, String what) throws LibraryException {
        return VersionedJson.decode(INSTANCE, bytes, what);
    }

    public static byte[] write(Pattern p) {
        return VersionedJson.encode(INSTANCE, p);
    }

    @Override
    public Pattern fromJson(JsonNode root, int version) throws LibraryException {
        return fromObject(root);
    }

    /** Reads the body (without envelope): also a preset's {@code pattern} extension. */
    public static Pattern fromObject(JsonNode root) throws LibraryException {
        if (root == null || !root.isObject()) {
            throw bad("must be an object");
        }
        Pattern p = new Pattern();
        JsonNode bars = root.get("bars");
        if (bars != null && !bars.isNull()) {
            if (!bars.isIntegralNumber() || bars.intValue() < 1 || bars.intValue() > Pattern.MAX_BARS) {
                throw bad("bars must be 1.." + Pattern.MAX_BARS);
            }
            p.bars(bars.intValue());
        }
        int resolution = Pattern.TICKS_PER_BEAT;
        JsonNode tpb = root.get("ticksPerBeat");
        if (tpb != null && !tpb.isNull()) {
            if (!tpb.isIntegralNumber() || tpb.intValue() < 1 || tpb.intValue() > 960) {
                throw bad("ticksPerBeat must be 1..960");
            }
            resolution = tpb.intValue();
        }
        JsonNode rows = root.get("rows");
        if (rows != null && !rows.isNull()) {
            if (!rows.isArray()) {
                throw bad("rows must be an array");
            }
            boolean[] seen = new boolean[Pattern.ROWS];
            for (JsonNode r : rows) {
                if (!r.isObject()) {
                    throw bad("each row must be an object");
                }
                JsonNode cls = r.get("class");
                DrumClass c = cls != null && cls.isTextual() ? DrumClass.fromName(cls.asText()) : null;
                if (c == null) {
                    throw bad("a row's class must be one of the class names, got "
                            + (cls == null ? "none" : LibraryFolder.printable(cls.asText())));
                }
                if (seen[c.pad()]) {
                    throw bad("row " + c.oscName() + " appears twice");
                }
                seen[c.pad()] = true;
                JsonNode muted = r.get("muted");
                if (muted != null && !muted.isNull()) {
                    if (!muted.isBoolean()) {
                        throw bad("muted must be true or false");
                    }
                    p.mute(c.pad(), muted.booleanValue());
                }
                readHits(p, c, r.get("hits"), resolution);
            }
        }
        return p;
    }

    private static void readHits(Pattern p, DrumClass c, JsonNode hits, int resolution) throws LibraryException {
        if (hits == null || hits.isNull()) {
            return;
        }
        if (!hits.isArray()) {
            throw bad("hits of " + c.oscName() + " must be an array");
        }
        for (JsonNode h : hits) {
            if (!h.isArray() || h.size() != 2 || !h.get(0).isNumber() || !h.get(1).isNumber()) {
                throw bad("each hit of " + c.oscName() + " must be [tick, velocity]");
            }
            double tickIn = h.get(0).doubleValue();
            double v = h.get(1).doubleValue();
            if (!Double.isFinite(tickIn) || !Double.isFinite(v)) {
                throw bad("hits of " + c.oscName() + " must be finite");
            }
            long tick = Math.round(tickIn * Pattern.TICKS_PER_BEAT / resolution);
            if (tick < 0 || tick >= Pattern.MAX_TICKS) {
                throw bad("hit of " + c.oscName() + " at tick " + tickIn + " is outside 16 bars");
            }
            p.set(c.pad(), (int) tick, (float) v);
        }
    }

    @Override
    public ObjectNode toJson(Pattern p) {
        return toObject(p);
    }

    /** The body (without envelope): also a preset's {@code pattern} extension. */
    public static ObjectNode toObject(Pattern p) {
        ObjectNode o = VersionedJson.mapper().createObjectNode();
        o.put("bars", p.bars());
        o.put("ticksPerBeat", Pattern.TICKS_PER_BEAT);
        ArrayNode rows = o.putArray("rows");
        for (DrumClass c : DrumClass.values()) {
            ArrayNode hits = VersionedJson.mapper().createArrayNode();
            for (int t = 0; t < p.lengthTicks(); t++) {
                float v = p.velocity(c.pad(), t);
                if (v > 0f) {
                    hits.addArray().add(t).add(v);
                }
            }
            if (hits.size() > 0 || p.muted(c.pad())) {
                ObjectNode r = rows.addObject();
                r.put("class", c.oscName());
                r.put("muted", p.muted(c.pad()));
                r.set("hits", hits);
            }
        }
        return o;
    }

    private static LibraryException bad(String reason) {
        return new LibraryException(LibraryException.Kind.BAD_INPUT, "pattern: " + reason);
    }
}
