package io.latentkit.presets.preset;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.PadParam;
import io.latentkit.presets.LibraryException;
import io.latentkit.presets.LibraryFolder;
import io.latentkit.presets.store.JsonCodec;
import io.latentkit.presets.store.VersionedJson;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The preset file format ({@code "format": "latentkit-preset"}).
 *
 * <p>Version 2 (current): {@code kit} (library name or null), {@code tempoBpm}, {@code swing},
 * {@code pads} (an array of {@code {"class": "kick", "gain": 1, "pitch": 0, ...}} with every
 * {@link PadParam} by its OSC name), {@code midiNotes} (note number as a string to class name),
 * {@code extensions} (named sections other features own, carried through unchanged).
 *
 * <p>Version 1 (the first layout, still read): {@code kit}, {@code bpm}, and {@code pads} as an
 * object keyed by class name; no swing, MIDI map or extensions. Migration fills those with their
 * defaults.
 *
 * <p>Reading is strict about structure (unknown classes, wrong types and bad names are
 * {@link LibraryException.Kind#BAD_INPUT}) and lenient about ranges (values are clamped, as the
 * pad parameters are when set live). Stateless; any thread.
 */
public final class PresetCodec implements JsonCodec<Preset> {
    public static final PresetCodec INSTANCE = new PresetCodec();
    public static final int CURRENT_VERSION = 2;

    private PresetCodec() {
    }

    @Override
    public String format() {
        return "latentkit-preset";
    }

    @Override
    public int currentVersion() {
        return CURRENT_VERSION;
    }

    /** Reads a whole preset file's bytes; only {@link LibraryException} escapes, for any input. */
    public static Preset read(byte[] bytes, String what) throws LibraryException {
        return VersionedJson.decode(INSTANCE, bytes, what);
    }

    public static byte[] write(Preset p) {
        return VersionedJson.encode(INSTANCE, p);
    }

    @Override
    public Preset fromJson(JsonNode root, int version) throws LibraryException {
        if (version == 1) {
            root = migrateV1(root);
        }
        String kit = null;
        JsonNode k = root.get("kit");
        if (k != null && !k.isNull()) {
            if (!k.isTextual()) {
                throw bad("kit must be a name");
            }
            try {
                kit = LibraryFolder.checkName(k.asText());
            } catch (LibraryException e) {
                throw bad("kit " + e.getMessage());
            }
        }
        double tempo = clampNumber(root, "tempoBpm", 120, Preset.MIN_TEMPO_BPM, Preset.MAX_TEMPO_BPM);
        double swing = clampNumber(root, "swing", 0, 0, 1);
        PadState[] pads = new PadState[DrumClass.COUNT];
        JsonNode padsNode = root.get("pads");
        if (padsNode != null && !padsNode.isNull()) {
            if (!padsNode.isArray()) {
                throw bad("pads must be an array");
            }
            for (JsonNode p : padsNode) {
                PadState s = padState(p);
                if (pads[s.drumClass().ordinal()] != null) {
                    throw bad("pad " + s.drumClass().oscName() + " appears twice");
                }
                pads[s.drumClass().ordinal()] = s;
            }
        }
        for (DrumClass c : DrumClass.values()) {
            if (pads[c.ordinal()] == null) {
                pads[c.ordinal()] = PadState.defaults(c);
            }
        }
        Map<Integer, DrumClass> midi = new TreeMap<>();
        JsonNode m = root.get("midiNotes");
        if (m != null && !m.isNull()) {
            if (!m.isObject()) {
                throw bad("midiNotes must be an object");
            }
            for (Map.Entry<String, JsonNode> e : m.properties()) {
                int note;
                try {
                    note = Integer.parseInt(e.getKey());
                } catch (NumberFormatException ex) {
                    throw bad("midiNotes key '" + LibraryFolder.printable(e.getKey()) + "' is not a note number");
                }
                if (note < 0 || note > 127) {
                    throw bad("MIDI note " + note + " out of range 0..127");
                }
                midi.put(note, drumClass(e.getValue()));
            }
        }
        Map<String, JsonNode> ext = new HashMap<>();
        JsonNode x = root.get("extensions");
        if (x != null && !x.isNull()) {
            if (!x.isObject()) {
                throw bad("extensions must be an object");
            }
            for (Map.Entry<String, JsonNode> e : x.properties()) {
                ext.put(e.getKey(), e.getValue().deepCopy());
            }
        }
        return new Preset(kit, List.of(pads), midi, tempo, swing, ext);
    }

    /** Version 1 to version 2: {@code bpm} becomes {@code tempoBpm}, the pads object an array. */
    static JsonNode migrateV1(JsonNode v1) throws LibraryException {
        ObjectNode v2 = VersionedJson.mapper().createObjectNode();
        if (v1.has("kit")) {
            v2.set("kit", v1.get("kit"));
        }
        if (v1.has("bpm")) {
            v2.set("tempoBpm", v1.get("bpm"));
        }
        JsonNode pads = v1.get("pads");
        if (pads != null && !pads.isNull()) {
            if (!pads.isObject()) {
                throw bad("version 1 pads must be an object");
            }
            ArrayNode arr = v2.putArray("pads");
            for (Map.Entry<String, JsonNode> e : pads.properties()) {
                if (!e.getValue().isObject()) {
                    throw bad("version 1 pad " + LibraryFolder.printable(e.getKey()) + " must be an object");
                }
                ObjectNode p = e.getValue().deepCopy();
                p.put("class", e.getKey());
                arr.add(p);
            }
        }
        return v2;
    }

    private static PadState padState(JsonNode p) throws LibraryException {
        if (!p.isObject()) {
            throw bad("each pad must be an object");
        }
        DrumClass c = drumClass(p.get("class"));
        Map<PadParam, Float> values = new EnumMap<>(PadParam.class);
        for (PadParam param : PadParam.values()) {
            JsonNode v = p.get(param.oscName());
            if (v == null || v.isNull()) {
                continue;
            }
            if (v.isBoolean()) {
                values.put(param, v.booleanValue() ? 1f : 0f);
            } else if (v.isNumber()) {
                values.put(param, (float) v.doubleValue());
            } else {
                throw bad("pad " + c.oscName() + " " + param.oscName() + " must be a number");
            }
        }
        return PadState.of(c, values);
    }

    private static DrumClass drumClass(JsonNode n) throws LibraryException {
        if (n == null || !n.isTextual()) {
            throw bad("a pad class must be one of the class names");
        }
        DrumClass c = DrumClass.fromName(n.asText());
        if (c == null) {
            throw bad("unknown pad class '" + LibraryFolder.printable(n.asText()) + "'");
        }
        return c;
    }

    private static double clampNumber(JsonNode root, String field, double dflt, double min, double max)
            throws LibraryException {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        if (!n.isNumber()) {
            throw bad(field + " must be a number");
        }
        double v = n.doubleValue();
        if (!Double.isFinite(v)) {
            throw bad(field + " must be finite");
        }
        return Math.max(min, Math.min(max, v));
    }

    @Override
    public ObjectNode toJson(Preset p) {
        ObjectNode o = VersionedJson.mapper().createObjectNode();
        if (p.kit() == null) {
            o.putNull("kit");
        } else {
            o.put("kit", p.kit());
        }
        o.put("tempoBpm", p.tempoBpm());
        o.put("swing", p.swing());
        ArrayNode pads = o.putArray("pads");
        for (PadState s : p.pads()) {
            ObjectNode n = pads.addObject();
            n.put("class", s.drumClass().oscName());
            for (PadParam param : PadParam.values()) {
                n.put(param.oscName(), s.get(param));
            }
        }
        ObjectNode midi = o.putObject("midiNotes");
        for (Map.Entry<Integer, DrumClass> e : p.midiNotes().entrySet()) {
            midi.put(Integer.toString(e.getKey()), e.getValue().oscName());
        }
        ObjectNode ext = o.putObject("extensions");
        for (Map.Entry<String, JsonNode> e : p.extensions().entrySet()) {
            ext.set(e.getKey(), e.getValue());
        }
        return o;
    }

    private static LibraryException bad(String reason) {
        return new LibraryException(LibraryException.Kind.BAD_INPUT, "preset: " + reason);
    }
}
