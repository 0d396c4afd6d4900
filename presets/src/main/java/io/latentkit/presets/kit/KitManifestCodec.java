package io.latentkit.presets.kit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latentkit.core.DrumClass;
import io.latentkit.presets.LibraryException;
import io.latentkit.presets.store.JsonCodec;
import io.latentkit.presets.store.VersionedJson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The kit manifest file format ({@code "format": "latentkit-kit"}): the fields of
 * {@link KitManifest}. Version 2 gives each layer strikes of parts (layered samples with their
 * own gain, pitch and pan, random or cycled) and instruments an optional {@code offBy}; version 1
 * layers ({@code gain}, {@code pitch}, {@code samples} as round robin) are migrated when read.
 * Stateless; any thread.
 */
public final class KitManifestCodec implements JsonCodec<KitManifest> {
    public static final KitManifestCodec INSTANCE = new KitManifestCodec();

    private KitManifestCodec() {
    }

    @Override
    public String format() {
        return "latentkit-kit";
    }

    @Override
    public int currentVersion() {
        return 2;
    }

    @Override
    public KitManifest fromJson(JsonNode root, int version) throws LibraryException {
        ObjectNode copy = root.deepCopy();
        copy.remove("format");
        copy.remove("version");
        if (version < 2) {
            migrateLayers(copy.get("pads"));
            migrateLayers(copy.get("alternates"));
        }
        KitManifest m;
        try {
            m = VersionedJson.mapper().treeToValue(copy, KitManifest.class);
        } catch (IOException | IllegalArgumentException e) {
            throw bad("kit manifest is invalid: " + String.valueOf(e.getMessage()).split("\n")[0]);
        }
        if (m.name() == null || m.pads() == null) {
            throw bad("kit manifest lacks name or pads");
        }
        for (Map.Entry<String, KitManifest.Instrument> e : m.pads().entrySet()) {
            if (DrumClass.fromName(e.getKey()) == null) {
                throw bad("kit manifest has unknown pad '" + e.getKey() + "'");
            }
            check(e.getValue());
        }
        List<KitManifest.Instrument> alternates = m.alternates() == null ? List.of() : m.alternates();
        for (KitManifest.Instrument i : alternates) {
            check(i);
        }
        return new KitManifest(m.name(), m.source(), m.pads(), alternates, m.warnings() == null ? List.of() : m.warnings());
    }

    /** Every layer has strikes, every strike parts, every part a file: what loading relies on. */
    private static void check(KitManifest.Instrument in) throws LibraryException {
        if (in == null) {
            return;
        }
        if (in.layers() == null || in.layers().isEmpty()) {
            throw bad("kit manifest instrument '" + in.name() + "' has no layers");
        }
        for (KitManifest.Layer l : in.layers()) {
            if (l == null || l.strikes() == null || l.strikes().isEmpty()) {
                throw bad("kit manifest instrument '" + in.name() + "' has a layer without strikes");
            }
            for (KitManifest.Strike s : l.strikes()) {
                if (s == null || s.parts() == null || s.parts().isEmpty()) {
                    throw bad("kit manifest instrument '" + in.name() + "' has a strike without parts");
                }
                if (l.random() && (s.chance() == null || !(s.chance() > 0f) || s.chance().isInfinite())) {
                    throw bad("kit manifest instrument '" + in.name() + "' has a random strike without a positive chance");
                }
                for (KitManifest.Part p : s.parts()) {
                    if (p == null || p.file() == null) {
                        throw bad("kit manifest instrument '" + in.name() + "' has a part without a file");
                    }
                }
            }
        }
    }

    /** Version 1: {@code {min, max, gain, pitch, samples}} with the samples as round robin. */
    private static void migrateLayers(JsonNode instruments) {
        List<JsonNode> list = new ArrayList<>();
        if (instruments instanceof ObjectNode o) {
            o.elements().forEachRemaining(list::add);
        } else if (instruments instanceof ArrayNode a) {
            a.elements().forEachRemaining(list::add);
        }
        for (JsonNode in : list) {
            if (!(in instanceof ObjectNode) || !(in.get("layers") instanceof ArrayNode layers)) {
                continue;
            }
            for (JsonNode l : layers) {
                if (!(l instanceof ObjectNode layer) || !(layer.get("samples") instanceof ArrayNode samples)) {
                    continue;
                }
                JsonNode gain = layer.remove("gain");
                JsonNode pitch = layer.remove("pitch");
                layer.remove("samples");
                ArrayNode strikes = layer.putArray("strikes");
                for (JsonNode file : samples) {
                    ObjectNode part = strikes.addObject().putArray("parts").addObject();
                    part.set("file", file);
                    part.put("gain", gain == null ? 1.0 : gain.asDouble(1.0));
                    part.put("pitch", pitch == null ? 0.0 : pitch.asDouble(0.0));
                    part.put("pan", 0.0);
                }
                layer.put("random", false);
            }
        }
    }

    private static LibraryException bad(String message) {
        return new LibraryException(LibraryException.Kind.BAD_INPUT, message);
    }

    @Override
    public ObjectNode toJson(KitManifest value) {
        return VersionedJson.mapper().valueToTree(value);
    }
}
