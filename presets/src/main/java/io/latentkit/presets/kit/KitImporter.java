package io.latentkit.presets.kit;

import java.nio.file.NoSuchFileException;
import io.latentkit.core.DrumClass;
import io.latentkit.core.audio.AudioDecoder;
import io.latentkit.presets.LibraryException;
import io.latentkit.presets.LibraryFolder;
import io.latentkit.presets.kit.source.FolderScanner;
import io.latentkit.presets.kit.source.HydrogenKitParser;
import io.latentkit.presets.kit.source.KitFormatException;
import io.latentkit.presets.kit.source.ParsedKit;
import io.latentkit.presets.kit.source.SfzParser;
import io.latentkit.presets.store.AtomicJsonFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Imports a kit source into the library: detects the format (a Hydrogen {@code drumkit.xml} or a
 * folder holding one, an {@code .sfz} file, or a folder of samples), parses it, checks that every
 * sample decodes (a bad sample is skipped with a warning), maps each instrument to a drum class,
 * chooses the best instrument per class (the others stay in the manifest as alternates), copies
 * the samples it uses into {@code kits/NAME/samples/} and writes {@code kits/NAME/kit.json}. The
 * kit appears in the library all at once (built in a hidden folder, then renamed).
 *
 * <p>Loader thread only (file I/O, decoding).
 */
public final class KitImporter {
    private static final Logger LOG = LoggerFactory.getLogger(KitImporter.class);

    /** What an import produced. */
    public record Result(String name, Path folder, KitManifest manifest) {
        /** Classes that received an instrument. */
        public List<String> filledPads() {
            List<String> l = new ArrayList<>();
            manifest.pads().forEach((k, v) -> {
                if (v != null) {
                    l.add(k);
                }
            });
            return l;
        }
    }

    private final LibraryFolder kits;

    public KitImporter(LibraryFolder kits) {
        this.kits = kits;
    }

    /** Parses a source without importing it (detects the format as {@link #importKit} does). */
    public static ParsedKit parse(Path src) throws LibraryException {
        Path s = src.toAbsolutePath().normalize();
        if (!Files.exists(s)) {
            throw new LibraryException(LibraryException.Kind.NOT_FOUND, "no such file or folder: " + src);
        }
        try {
            if (Files.isDirectory(s)) {
                Path xml = s.resolve("drumkit.xml");
                if (Files.isRegularFile(xml)) {
                    return HydrogenKitParser.parse(readBounded(xml, HydrogenKitParser.MAX_BYTES), s);
                }
                List<Path> sfz = new ArrayList<>();
                try (Stream<Path> l = Files.list(s)) {
                    l.filter(p -> p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".sfz")).sorted()
                            .forEach(sfz::add);
                }
                if (sfz.size() == 1) {
                    return SfzParser.parse(sfz.get(0), s);
                }
                return FolderScanner.scan(s);
            }
            String n = s.getFileName().toString().toLowerCase(Locale.ROOT);
            if (HydrogenKitParser.isDrumkitXml(s) || n.endsWith(".xml")) {
                return HydrogenKitParser.parse(readBounded(s, HydrogenKitParser.MAX_BYTES), s.getParent());
            }
            if (n.endsWith(".sfz")) {
                return SfzParser.parse(s, s.getParent());
            }
            if (n.endsWith(".h2drumkit")) {
                throw new KitFormatException("a .h2drumkit is a compressed archive: unpack it and import the folder");
            }
            throw new KitFormatException("not a kit: expected a drumkit.xml, an .sfz file or a folder of samples");
        } catch (IOException e) {
            throw new LibraryException(LibraryException.Kind.IO, "cannot read " + src + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readBounded(Path p, int max) throws IOException, KitFormatException {
        if (Files.size(p) > max) {
            throw new KitFormatException(p.getFileName() + " is larger than " + max + " bytes");
        }
        return Files.readAllBytes(p);
    }

    /**
     * Imports {@code src} as kit {@code name}.
     *
     * @throws LibraryException BAD_NAME for a bad or taken name, BAD_INPUT for a source that is
     *     not a kit or has no playable sample, IO for file-system failures
     */
    public Result importKit(Path src, String name) throws LibraryException {
        Path target = kits.resolve(name);
        if (Files.exists(target)) {
            throw new LibraryException(LibraryException.Kind.BAD_NAME, "a kit named '" + name + "' already exists");
        }
        ParsedKit parsed = parse(src);
        List<String> warnings = new ArrayList<>(parsed.warnings());
        List<KitManifest.Instrument> candidates = new ArrayList<>();
        Map<Path, String> copies = new LinkedHashMap<>();
        Set<Path> bad = new HashSet<>();
        Set<Path> good = new HashSet<>();
        Set<String> usedNames = new HashSet<>();
        for (ParsedKit.Instrument in : parsed.instruments()) {
            List<KitManifest.Layer> layers = new ArrayList<>();
            for (ParsedKit.Layer l : in.layers()) {
                List<String> samples = new ArrayList<>();
                for (Path p : l.samples()) {
                    if (!good.contains(p) && !bad.contains(p)) {
                        try {
                            AudioDecoder.decode(p);
                            good.add(p);
                        } catch (IOException e) {
                            bad.add(p);
                            String why = e instanceof NoSuchFileException ? p.getFileName() + " is missing"
                                    : e.getMessage();
                            warnings.add("instrument '" + in.name() + "': sample skipped: " + why);
                        }
                    }
                    if (good.contains(p)) {
                        samples.add(copies.computeIfAbsent(p, q -> "samples/" + uniqueName(q, usedNames)));
                    }
                }
                if (!samples.isEmpty()) {
                    layers.add(new KitManifest.Layer(l.min(), l.max(), l.gain(), l.pitch(), samples));
                }
            }
            if (layers.isEmpty()) {
                continue;
            }
            ClassMatcher.Match m = ClassMatcher.match(in.name(), in.gmNote());
            candidates.add(new KitManifest.Instrument(in.name(), m.drumClass().oscName(), in.gain(), in.pan(), in.choke(),
                    in.pitch(), in.mute(), m.score(), layers));
        }
        if (candidates.isEmpty()) {
            throw new KitFormatException("no playable sample in " + src);
        }
        Map<String, KitManifest.Instrument> pads = new LinkedHashMap<>();
        List<KitManifest.Instrument> alternates = new ArrayList<>();
        for (DrumClass c : DrumClass.values()) {
            KitManifest.Instrument best = null;
            for (KitManifest.Instrument i : candidates) {
                if (i.drumClass().equals(c.oscName()) && (best == null || better(i, best))) {
                    best = i;
                }
            }
            pads.put(c.oscName(), best);
        }
        for (KitManifest.Instrument i : candidates) {
            if (pads.get(i.drumClass()) != i) {
                alternates.add(i);
            }
        }
        alternates.sort(Comparator.comparing(KitManifest.Instrument::drumClass));
        // Keep only samples the manifest refers to (all of them: pads and alternates).
        KitManifest manifest = new KitManifest(name, new KitManifest.Source(parsed.type(),
                src.toAbsolutePath().normalize().toString(), parsed.title()), pads, alternates, List.copyOf(warnings));
        for (String w : warnings) {
            LOG.warn("kit import '{}': {}", name, w);
        }
        Path stage = kits.root().resolve(".import-" + ProcessHandle.current().pid() + "-" + System.nanoTime());
        try {
            Files.createDirectories(stage.resolve("samples"));
            for (Map.Entry<Path, String> e : copies.entrySet()) {
                Files.copy(e.getKey(), stage.resolve(e.getValue()), StandardCopyOption.REPLACE_EXISTING);
            }
            new AtomicJsonFile<>(stage.resolve(KitLibrary.MANIFEST), KitManifestCodec.INSTANCE, "kit manifest").save(manifest);
            Files.move(stage, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            deleteQuietly(stage);
            throw new LibraryException(LibraryException.Kind.IO, "cannot write kit '" + name + "': " + e.getMessage(), e);
        } catch (LibraryException e) {
            deleteQuietly(stage);
            throw e;
        }
        return new Result(name, target, manifest);
    }

    /** Higher score wins; then more velocity layers and samples (a richer instrument); then source order. */
    private static boolean better(KitManifest.Instrument a, KitManifest.Instrument b) {
        if (a.score() != b.score()) {
            return a.score() > b.score();
        }
        return sampleCount(a) > sampleCount(b);
    }

    private static int sampleCount(KitManifest.Instrument i) {
        int n = 0;
        for (KitManifest.Layer l : i.layers()) {
            n += l.samples().size();
        }
        return n;
    }

    private static String uniqueName(Path p, Set<String> used) {
        String f = p.getFileName().toString().replaceAll("[^A-Za-z0-9._ -]", "_");
        if (f.startsWith(".")) {
            f = "_" + f;
        }
        String stem = f.replaceAll("\\.[^.]*$", "");
        String ext = f.substring(stem.length());
        String candidate = f;
        for (int i = 2; !used.add(candidate.toLowerCase(Locale.ROOT)); i++) {
            candidate = stem + "-" + i + ext;
        }
        return candidate;
    }

    static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            List<Path> all = new ArrayList<>();
            s.forEach(all::add);
            all.sort(Comparator.reverseOrder());
            for (Path p : all) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            LOG.warn("cannot remove {}: {}", dir, e.toString());
        }
    }

}
