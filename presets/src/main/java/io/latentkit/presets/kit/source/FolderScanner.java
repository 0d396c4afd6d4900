package io.latentkit.presets.kit.source;

import io.latentkit.presets.kit.ClassMatcher;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A plain folder of samples (WAV, AIFF, FLAC), up to {@value #MAX_DEPTH} levels deep. Each file's
 * class comes from its name, or else from the nearest folder name that names a class
 * ({@code Kicks/001.wav}). Files of one folder whose names differ only in a trailing number
 * ({@code snare1.wav}, {@code snare2.wav}) are round-robin alternatives of one instrument.
 * Symbolic links are not followed.
 *
 * <p>Stateless; any thread.
 */
public final class FolderScanner {
    static final int MAX_DEPTH = 4;
    static final int MAX_FILES = 5000;

    private FolderScanner() {
    }

    public static boolean isAudioFile(Path p) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        return n.endsWith(".wav") || n.endsWith(".wave") || n.endsWith(".aif") || n.endsWith(".aiff")
                || n.endsWith(".aifc") || n.endsWith(".flac");
    }

    public static ParsedKit scan(Path folder) throws KitFormatException {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.walk(folder, MAX_DEPTH, EnumSet.noneOf(FileVisitOption.class).toArray(new FileVisitOption[0]))) {
            for (Path p : (Iterable<Path>) s::iterator) {
                if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && isAudioFile(p)) {
                    files.add(p);
                    if (files.size() > MAX_FILES) {
                        throw new KitFormatException("folder holds more than " + MAX_FILES + " sound files");
                    }
                }
            }
        } catch (IOException | UncheckedIOException e) {
            throw new KitFormatException("cannot read folder: " + e.getMessage(), e);
        }
        files.sort(null);
        if (files.isEmpty()) {
            throw new KitFormatException("folder has no WAV, AIFF or FLAC files");
        }
        List<String> warnings = new ArrayList<>();
        Map<String, List<Path>> groups = new LinkedHashMap<>();
        Map<String, String> names = new LinkedHashMap<>();
        for (Path f : files) {
            String file = f.getFileName().toString();
            String stem = file.replaceAll("\\.[^.]*$", "");
            String base = stem.replaceAll("(?i)[ _.-]*(rr|v|take|alt)?[ _.-]*[0-9]+$", "");
            if (base.isEmpty()) {
                base = stem;
            }
            String label = base;
            ClassMatcher.Match m = ClassMatcher.match(base, -1);
            if (m.score() <= 0) {
                // The file name says nothing: take the nearest folder that names a class.
                for (Path d = f.getParent(); d != null && d.startsWith(folder) && !d.equals(folder.getParent()); d = d.getParent()) {
                    ClassMatcher.Match dm = ClassMatcher.match(d.getFileName().toString(), -1);
                    if (dm.score() > 0) {
                        label = d.getFileName() + " " + base;
                        break;
                    }
                }
            }
            String key = f.getParent() + "\u0000" + base.toLowerCase(Locale.ROOT);
            groups.computeIfAbsent(key, k -> new ArrayList<>()).add(f);
            names.putIfAbsent(key, label);
        }
        List<ParsedKit.Instrument> out = new ArrayList<>();
        for (Map.Entry<String, List<Path>> e : groups.entrySet()) {
            List<Path> rr = e.getValue();
            out.add(new ParsedKit.Instrument(names.get(e.getKey()), -1, 1f, 0f, 0, 0f, false,
                    List.of(ParsedKit.Layer.roundRobin(0f, 1f, 1f, 0f, List.copyOf(rr)))));
        }
        return new ParsedKit("folder", folder.getFileName() == null ? "folder" : folder.getFileName().toString(), out,
                warnings);
    }
}
