package io.latentkit.presets.kit;

import io.latentkit.core.audio.AudioDecoder;
import io.latentkit.presets.LibraryException;
import io.latentkit.presets.LibraryFolder;
import io.latentkit.presets.kit.source.KitFormatException;
import io.latentkit.presets.kit.source.ParsedKit;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Imports a kit source into the library: {@link SourceDetector} says what it is and parses it;
 * every sample is decoded once to check it (a bad one is skipped, and named with its reason);
 * {@link ClassMatcher} gives each instrument a drum class (toms sized by pitch rank by
 * {@link TomSizer}) and {@link PadAssigner} picks the one
 * each pad plays; {@link KitWriter} copies the samples used and writes {@code kit.json}, so the
 * kit appears in the library whole, replacing an older one of that name only when asked.
 *
 * <p>Loader thread only (file I/O, decoding).
 */
public final class KitImporter {
    /** What an import produced. Immutable; any thread. */
    public record Result(String name, Path folder, KitManifest manifest) {
        /** Classes that received an instrument. */
        public List<String> filledPads() {
            return manifest.filledPads();
        }
    }

    /**
     * How to import.
     *
     * @param root the folder the source's samples may come from, or {@code null} for the
     *     source's own folder
     * @param replace whether a kit of the same name is replaced
     *
     * <p>Immutable; any thread.
     */
    public record Options(Path root, boolean replace) {
        public static final Options DEFAULTS = new Options(null, false);
    }

    private final LibraryFolder kits;

    public KitImporter(LibraryFolder kits) {
        this.kits = kits;
    }

    /** Parses a source without importing it (detects the format as {@link #importKit} does). */
    public static ParsedKit parse(Path src) throws LibraryException {
        return SourceDetector.parse(SourceDetector.detect(src, null));
    }

    /** Imports {@code src} as kit {@code name} with {@link Options#DEFAULTS}. */
    public Result importKit(Path src, String name) throws LibraryException {
        return importKit(src, name, Options.DEFAULTS);
    }

    /**
     * Imports {@code src} as kit {@code name}.
     *
     * @throws LibraryException BAD_NAME for a bad name, or a taken one without
     *     {@link Options#replace()}; NOT_FOUND for a missing source; BAD_INPUT for a source that
     *     is not a kit or has no playable sample (the message names the samples refused and
     *     why); IO for file-system failures
     */
    public Result importKit(Path src, String name, Options options) throws LibraryException {
        if (Files.exists(kits.resolve(name), LinkOption.NOFOLLOW_LINKS) && !options.replace()) {
            throw new LibraryException(LibraryException.Kind.BAD_NAME, "a kit named '" + name
                    + "' already exists (replace it with --force, or remove it first)");
        }
        ParsedKit parsed = SourceDetector.parse(SourceDetector.detect(src, options.root()));
        List<String> warnings = new ArrayList<>(parsed.warnings());
        List<String> refused = new ArrayList<>(parsed.refused());
        try (KitWriter.Draft draft = new KitWriter(kits).begin(name)) {
            Samples samples = new Samples(draft, warnings, refused);
            List<KitManifest.Instrument> candidates = new ArrayList<>();
            List<ParsedKit.Instrument> sources = new ArrayList<>();
            for (ParsedKit.Instrument in : parsed.instruments()) {
                List<KitManifest.Layer> layers = samples.layers(in);
                if (!layers.isEmpty()) {
                    ClassMatcher.Match m = ClassMatcher.match(in.name(), in.gmNote());
                    candidates.add(new KitManifest.Instrument(in.name(), m.drumClass().oscName(), in.gain(), in.pan(),
                            in.choke(), in.offBy() < 0 ? null : in.offBy(), in.pitch(), in.mute(), m.score(), layers));
                    sources.add(in);
                }
            }
            if (candidates.isEmpty()) {
                throw new KitFormatException("no playable sample in " + src + KitFormatException.refusals(refused));
            }
            candidates = TomSizer.size(candidates, sources, warnings);
            PadAssigner.Assignment a = PadAssigner.assign(candidates);
            KitManifest manifest = new KitManifest(name, new KitManifest.Source(parsed.type(),
                    src.toAbsolutePath().normalize().toString(), parsed.title()), a.pads(), a.alternates(),
                    List.copyOf(warnings));
            KitWriter.Written w = draft.commit(manifest, options.replace());
            return new Result(w.name(), w.folder(), w.manifest());
        }
    }

    /** Checks each sample once and copies the good ones into the draft. */
    private static final class Samples {
        private final KitWriter.Draft draft;
        private final List<String> warnings;
        private final List<String> refused;
        /** Source file to its path in the kit, or {@code null} if it does not decode. */
        private final Map<Path, String> copied = new HashMap<>();

        Samples(KitWriter.Draft draft, List<String> warnings, List<String> refused) {
            this.draft = draft;
            this.warnings = warnings;
            this.refused = refused;
        }

        /** The instrument's layers with the samples that decode; empty strikes and layers dropped. */
        List<KitManifest.Layer> layers(ParsedKit.Instrument in) throws LibraryException {
            List<KitManifest.Layer> layers = new ArrayList<>();
            for (ParsedKit.Layer l : in.layers()) {
                List<KitManifest.Strike> strikes = new ArrayList<>();
                for (ParsedKit.Strike s : l.strikes()) {
                    List<KitManifest.Part> parts = new ArrayList<>();
                    for (ParsedKit.Part p : s.parts()) {
                        String rel = file(p.sample(), in.name());
                        if (rel != null) {
                            parts.add(new KitManifest.Part(rel, p.gain(), p.pitch(), p.pan()));
                        }
                    }
                    if (!parts.isEmpty()) {
                        strikes.add(new KitManifest.Strike(l.random() ? s.chance() : null, parts));
                    }
                }
                if (!strikes.isEmpty()) {
                    layers.add(new KitManifest.Layer(l.min(), l.max(), l.random(), strikes));
                }
            }
            return layers;
        }

        private String file(Path p, String instrument) throws LibraryException {
            if (copied.containsKey(p)) {
                return copied.get(p);
            }
            String rel = null;
            try {
                AudioDecoder.decode(p);
                rel = draft.copyFile(p);
            } catch (IOException e) {
                String why = e instanceof NoSuchFileException ? "missing" : e.getMessage();
                warnings.add("instrument '" + instrument + "': sample skipped: "
                        + (e instanceof NoSuchFileException ? p.getFileName() + " is missing" : why));
                refused.add("'" + LibraryFolder.printable(p.getFileName().toString()) + "': " + why);
            }
            copied.put(p, rel);
            return rel;
        }
    }
}
