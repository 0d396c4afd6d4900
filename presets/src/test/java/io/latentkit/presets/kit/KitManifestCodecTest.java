package io.latentkit.presets.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.Kit;
import io.latentkit.presets.Fixtures;
import io.latentkit.presets.LibraryException;
import io.latentkit.presets.LibraryFolder;
import io.latentkit.presets.store.VersionedJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kit manifests of version 1 (written before strikes and offBy) still load, migrated in memory. */
class KitManifestCodecTest {
    @TempDir
    Path data;

    /** A version 1 manifest as the previous release wrote it, for the hydrogen-mini snare. */
    static final String V1 = """
            {
              "format" : "latentkit-kit",
              "version" : 1,
              "name" : "old",
              "source" : {"type" : "hydrogen", "path" : "/x", "title" : "Old"},
              "pads" : {
                "snare" : {"name" : "Snare", "class" : "snare", "gain" : 0.5, "pan" : 0.25, "choke" : 2,
                  "pitch" : 1.0, "mute" : false, "score" : 3.0,
                  "layers" : [ {"min" : 0.0, "max" : 1.0, "gain" : 0.8, "pitch" : -2.0,
                    "samples" : [ "samples/snare_a.wav", "samples/snare_b.flac" ] } ] },
                "kick" : null
              },
              "alternates" : [ ],
              "warnings" : [ "w" ]
            }
            """;

    @Test
    void aVersionOneManifestMigratesToStrikesWithTheLayersGainAndPitch() throws Exception {
        Path kit = Files.createDirectories(data.resolve("kits/old/samples"));
        Path src = Fixtures.kit("hydrogen-mini");
        Files.copy(src.resolve("snare_a.wav"), kit.resolve("snare_a.wav"));
        Files.copy(src.resolve("snare_b.flac"), kit.resolve("snare_b.flac"));
        Files.writeString(data.resolve("kits/old/kit.json"), V1);
        KitLibrary lib = new KitLibrary(new LibraryFolder(data.resolve("kits")));
        KitManifest m = lib.manifest("old");
        KitManifest.Instrument snare = m.pads().get("snare");
        assertNull(snare.offBy(), "a symmetric choke, as before");
        KitManifest.Layer l = snare.layers().get(0);
        assertFalse(l.random());
        assertEquals(List.of(new KitManifest.Strike(null, List.of(new KitManifest.Part("samples/snare_a.wav", 0.8f, -2f, 0f))),
                new KitManifest.Strike(null, List.of(new KitManifest.Part("samples/snare_b.flac", 0.8f, -2f, 0f)))),
                l.strikes(), "round robin of one sample each, the layer's gain and pitch on each");
        Kit k = lib.load("old", 48_000);
        assertEquals(2, k.pad(DrumClass.SNARE).layer(0).roundRobinCount());
        assertEquals(2, k.pad(DrumClass.SNARE).chokeGroup());
        assertEquals(0.25f, k.pad(DrumClass.SNARE).pan());
    }

    @Test
    void aLayerWithoutStrikesOrARandomStrikeWithoutAChanceIsRefused() throws Exception {
        String random = """
                {"name" : "r", "pads" : {"perc" : {"name" : "p", "class" : "perc", "gain" : 1, "pan" : 0, "choke" : 0,
                  "pitch" : 0, "mute" : false, "score" : 0, "layers" : [ {"min" : 0, "max" : 1, "random" : true,
                  "strikes" : [ {"parts" : [ {"file" : "samples/x.wav", "gain" : 1, "pitch" : 0, "pan" : 0} ] } ] } ] } } }
                """;
        LibraryException e = assertThrows(LibraryException.class,
                () -> KitManifestCodec.INSTANCE.fromJson(VersionedJson.mapper().readTree(random), 2));
        assertEquals(LibraryException.Kind.BAD_INPUT, e.kind());
        assertEquals("kit manifest instrument 'p' has a random strike without a positive chance", e.getMessage());
        String empty = random.replace("\"strikes\" : [ {\"parts\" : [ {\"file\" : \"samples/x.wav\", \"gain\" : 1,"
                + " \"pitch\" : 0, \"pan\" : 0} ] } ]", "\"strikes\" : [ ]");
        LibraryException none = assertThrows(LibraryException.class,
                () -> KitManifestCodec.INSTANCE.fromJson(VersionedJson.mapper().readTree(empty), 2));
        assertEquals("kit manifest instrument 'p' has a layer without strikes", none.getMessage());
    }
}
