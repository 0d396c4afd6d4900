package io.latentkit.presets.kit;

import java.io.IOException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latentkit.core.DrumClass;
import io.latentkit.presets.LibraryException;
import io.latentkit.presets.store.JsonCodec;
import io.latentkit.presets.store.VersionedJson;
import java.util.Map;

/**
 * The kit manifest file format ({@code "format": "latentkit-kit"}, version 1): the fields of
 * {@link KitManifest}. Stateless; any thread.
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
        return 1;
    }

    @Override
    public KitManifest fromJson(JsonNode root, int version) throws LibraryException {
        ObjectNode copy = root.deepCopy();
        copy.remove("format");
        copy.remove("version");
        KitManifest m;
        try {
            m = VersionedJson.mapper().treeToValue(copy, KitManifest.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new LibraryException(LibraryException.Kind.BAD_INPUT, "kit manifest is invalid: "
                    + e.getMessage().split("\n")[0]);
        }
        if (m.name() == null || m.pads() == null) {
            throw new LibraryException(LibraryException.Kind.BAD_INPUT, "kit manifest lacks name or pads");
        }
        for (Map.Entry<String, KitManifest.Instrument> e : m.pads().entrySet()) {
            if (DrumClass.fromName(e.getKey()) == null) {
                throw new LibraryException(LibraryException.Kind.BAD_INPUT, "kit manifest has unknown pad '" + e.getKey() + "'");
            }
        }
        return m;
    }

    @Override
    public ObjectNode toJson(KitManifest value) {
        return VersionedJson.mapper().valueToTree(value);
    }
}
