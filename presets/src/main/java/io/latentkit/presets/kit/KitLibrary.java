package io.latentkit.presets.kit;

import io.latentkit.core.DrumClass;
import io.latentkit.core.audio.AudioDecoder;
import io.latentkit.core.audio.DecodedAudio;
import io.latentkit.core.kit.Kit;
import io.latentkit.core.kit.Pad;
import io.latentkit.core.kit.PadParam;
import io.latentkit.core.kit.Sample;
import io.latentkit.core.kit.VelocityLayer;
import io.latentkit.presets.DataFolder;
import io.latentkit.presets.LibraryException;
import io.latentkit.presets.LibraryFolder;
import io.latentkit.presets.store.AtomicJsonFile;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The kit library under the data folder: {@code kits/NAME/kit.json} plus its samples. Imports
 * kits, lists them, and loads one by name into an engine {@link Kit} at the engine's rate (every
 * sample decoded, its layer gain and pitch applied, resampled with the band-limited resampler),
 * ready to be handed to the render thread. What {@code /kit/load NAME}, {@code /kit/list} and
 * {@code latentkit kit import|list} call.
 *
 * <p>Loader thread only (file I/O, decoding, resampling: never the render thread). Stateless
 * apart from the folder; several loader threads may use one instance.
 */
public final class KitLibrary {
    /** Manifest file name inside a kit's folder. */
    public static final String MANIFEST = "kit.json";

    private final LibraryFolder kits;

    public KitLibrary(LibraryFolder kits) {
        this.kits = kits;
    }

    public KitLibrary(DataFolder data) {
        this(data.kits());
    }

    public LibraryFolder folder() {
        return kits;
    }

    /** Imports a Hydrogen kit, an SFZ file or a folder of samples as kit {@code name}. */
    public KitImporter.Result importKit(Path source, String name) throws LibraryException {
        try {
            Files.createDirectories(kits.root());
        } catch (IOException e) {
            throw new LibraryException(LibraryException.Kind.IO, "cannot create " + kits.root() + ": " + e.getMessage(), e);
        }
        return new KitImporter(kits).importKit(source, name);
    }

    /** Names of the kits in the library, sorted. */
    public List<String> list() throws LibraryException {
        List<String> names = new ArrayList<>();
        if (!Files.isDirectory(kits.root())) {
            return names;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(kits.root())) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.startsWith(".") || !Files.isRegularFile(p.resolve(MANIFEST))) {
                    continue;
                }
                try {
                    kits.resolve(n);
                    names.add(n);
                } catch (LibraryException e) {
                    // A folder whose name or link target is not acceptable is not listed.
                }
            }
        } catch (IOException e) {
            throw new LibraryException(LibraryException.Kind.IO, "cannot list kits: " + e.getMessage(), e);
        }
        Collections.sort(names);
        return names;
    }

    /** The manifest of a kit. */
    public KitManifest manifest(String name) throws LibraryException {
        Path dir = kitFolder(name);
        return new AtomicJsonFile<>(dir.resolve(MANIFEST), KitManifestCodec.INSTANCE, "kit '" + name + "' manifest")
                .load().value();
    }

    /**
     * Loads a kit by name at {@code engineRateHz}. Loader thread only; the result is complete and
     * may be handed to the render thread.
     *
     * @throws LibraryException NOT_FOUND, BAD_NAME (escaping names), BAD_INPUT (a sample no longer
     *     decodes, a manifest is invalid), NEWER_VERSION, IO
     */
    public Kit load(String name, int engineRateHz) throws LibraryException {
        Path dir = kitFolder(name);
        KitManifest m = manifest(name);
        Map<String, Sample> cache = new HashMap<>();
        Pad[] pads = new Pad[DrumClass.COUNT];
        for (DrumClass c : DrumClass.values()) {
            KitManifest.Instrument in = m.pads().get(c.oscName());
            if (in == null) {
                pads[c.ordinal()] = new Pad(c);
                continue;
            }
            List<VelocityLayer> layers = new ArrayList<>();
            for (KitManifest.Layer l : in.layers()) {
                Sample[] rr = new Sample[l.samples().size()];
                for (int i = 0; i < rr.length; i++) {
                    rr[i] = sample(dir, name, l.samples().get(i), l.gain(), l.pitch(), engineRateHz, cache);
                }
                float min = clamp01(l.min());
                float max = Math.max(min, clamp01(l.max()));
                layers.add(new VelocityLayer(min, max, rr));
            }
            Pad p = new Pad(c, layers.toArray(new VelocityLayer[0]));
            p.set(PadParam.GAIN, in.gain());
            p.set(PadParam.PAN, in.pan());
            p.set(PadParam.CHOKE, in.choke());
            p.set(PadParam.PITCH, in.pitch());
            p.set(PadParam.MUTE, in.mute() ? 1f : 0f);
            pads[c.ordinal()] = p;
        }
        return new Kit(name, engineRateHz, pads);
    }

    private Path kitFolder(String name) throws LibraryException {
        Path dir = kits.resolve(name);
        if (!Files.isRegularFile(dir.resolve(MANIFEST))) {
            throw new LibraryException(LibraryException.Kind.NOT_FOUND, "no kit named '" + name + "'");
        }
        return dir;
    }

    private static Sample sample(Path dir, String kit, String rel, float gain, float pitch, int rateHz,
            Map<String, Sample> cache) throws LibraryException {
        String key = rel + "|" + gain + "|" + pitch;
        Sample s = cache.get(key);
        if (s != null) {
            return s;
        }
        Path file = LibraryFolder.resolveInside(dir, rel);
        DecodedAudio a;
        try {
            a = AudioDecoder.decode(file);
        } catch (IOException e) {
            throw new LibraryException(LibraryException.Kind.BAD_INPUT, "kit '" + kit + "': " + e.getMessage(), e);
        }
        // Layer pitch is baked in by resampling from a pretended source rate: a sample played
        // p semitones up lasts 2^(-p/12) as long.
        double shifted = a.sampleRateHz() * Math.pow(2, pitch / 12.0);
        int fromHz = (int) Math.round(Math.max(1000, Math.min(1_536_000, shifted)));
        DecodedAudio src = fromHz == a.sampleRateHz() ? a : new DecodedAudio(channels(a), fromHz);
        s = src.toSample(kit + "/" + rel, rateHz);
        if (gain != 1f) {
            s = s.scaled(gain);
        }
        cache.put(key, s);
        return s;
    }

    private static float[][] channels(DecodedAudio a) {
        float[][] c = new float[a.channelCount()][];
        for (int i = 0; i < c.length; i++) {
            c[i] = a.channel(i);
        }
        return c;
    }

    private static float clamp01(float v) {
        return v < 0 ? 0 : Math.min(1, v);
    }
}
