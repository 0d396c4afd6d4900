package io.latentkit.presets.kit.source.sfz;

import io.latentkit.presets.kit.source.KitFormatException;
import io.latentkit.presets.kit.source.ParsedKit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads an SFZ file into a {@link ParsedKit}, playing it as sfizz would where a drum pad can:
 * {@link SfzLexer} reads the text (comments, {@code #include}, {@code #define}),
 * {@link SfzHeaders} builds typed regions with their header inheritance, {@link SfzSamplePaths}
 * finds their samples (case-insensitively, inside the import's root folder) and
 * {@link SfzInstruments} groups them into instruments, velocity layers, strikes and round robin.
 *
 * <p>Opcodes read: {@code sample}, {@code key}, {@code lokey}/{@code hikey}, {@code lovel}/
 * {@code hivel}, {@code pitch_keycenter}, {@code pitch_keytrack}, {@code tune} ({@code pitch}),
 * {@code transpose}, {@code volume} ({@code gain}), {@code amplitude}, {@code pan}, {@code group}
 * ({@code polyphony_group}), {@code off_by}, {@code seq_length}/{@code seq_position},
 * {@code lorand}/{@code hirand}, {@code trigger}; in {@code <control>}: {@code default_path},
 * {@code note_offset}, {@code octave_offset}. Every other opcode and header is listed once in a
 * warning.
 *
 * <p>Stateless; any thread.
 */
public final class SfzParser {
    /** Reads an included file (already resolved and checked to be inside the root). */
    @FunctionalInterface
    public interface IncludeReader {
        String read(Path file) throws IOException;
    }

    /** Largest SFZ text accepted, includes counted in. */
    public static final int MAX_TEXT_CHARS = SfzLexer.MAX_TEXT_CHARS;

    private SfzParser() {
    }

    /** Parses an SFZ file; includes and samples must stay inside {@code root}. */
    public static ParsedKit parse(Path sfzFile, Path root) throws KitFormatException {
        String text;
        try {
            if (Files.size(sfzFile) > MAX_TEXT_CHARS) {
                throw new KitFormatException("SFZ file is larger than " + MAX_TEXT_CHARS + " bytes");
            }
            text = new String(Files.readAllBytes(sfzFile), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new KitFormatException("cannot read SFZ file: " + e.getMessage(), e);
        }
        Path file = sfzFile.toAbsolutePath().normalize();
        String title = file.getFileName().toString().replaceAll("(?i)\\.sfz$", "");
        return parse(text, title, file.toString(), file.getParent(), root.toAbsolutePath().normalize(),
                p -> new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
    }

    /**
     * Parses SFZ text whose own folder is {@code dir}; includes are read through {@code reader}.
     * Only {@link KitFormatException} escapes, for any text.
     */
    public static ParsedKit parse(String text, String title, Path dir, Path root, IncludeReader reader)
            throws KitFormatException {
        return parse(text, title, "", dir, root, reader);
    }

    private static ParsedKit parse(String text, String title, String fileName, Path dir, Path root,
            IncludeReader reader) throws KitFormatException {
        SfzWarnings warnings = new SfzWarnings();
        SfzHeaders headers = new SfzHeaders(warnings);
        try {
            new SfzLexer(dir, root, reader, warnings, headers).run(text, fileName);
        } catch (StackOverflowError e) {
            throw new KitFormatException("SFZ file is nested too deeply");
        }
        headers.finish();
        SfzSamplePaths paths = new SfzSamplePaths(dir, root);
        List<ParsedKit.Instrument> instruments = new SfzInstruments(warnings).build(headers.regions(), paths,
                headers.embedded());
        if (instruments.isEmpty()) {
            boolean outside = warnings.refused().stream().anyMatch(r -> r.endsWith(SfzSamplePaths.OUTSIDE));
            String skipped = warnings.list().stream().filter(w -> w.matches("SFZ: [0-9]+ region\\(s\\) .*"))
                    .map(w -> w.substring(5)).reduce((a, b) -> a + "; " + b).map(w -> " (" + w + ")").orElse("");
            throw new KitFormatException("SFZ file has no region with a usable sample"
                    + (outside ? " (samples may not leave the imported folder " + root.getFileName()
                            + ": import the folder above it, or give --root)" : skipped)
                    + KitFormatException.refusals(warnings.refused()));
        }
        return new ParsedKit("sfz", title, instruments, warnings.list(), warnings.refused());
    }

    /** The file name of a sample path without folders and extension. */
    static String baseName(String sample) {
        String s = sample.replace('\\', '/');
        int slash = s.lastIndexOf('/');
        s = slash >= 0 ? s.substring(slash + 1) : s;
        int dot = s.lastIndexOf('.');
        return dot > 0 ? s.substring(0, dot) : s;
    }
}
