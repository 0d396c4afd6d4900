package io.latentkit.extract;

import io.latentkit.extract.hitloop.HitloopParameters;
import io.latentkit.extract.hitloop.HitloopTemplates;
import io.latentkit.extract.report.ReportWriter;
import io.latentkit.models.ModelLoadException;
import io.latentkit.models.Models;
import io.latentkit.presets.LibraryException;
import io.latentkit.presets.LibraryFolder;
import io.latentkit.presets.kit.KitWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One extraction from files to a kit in the library: read the recordings, extract by the chosen
 * method, write the kit atomically and, if asked, the report. What {@code latentkit extract},
 * {@code /kit/extract} and the batch mode run. Nothing is written unless the extraction found a
 * kit: a corrupt, silent or hit-less recording leaves the library and the report folder as they
 * were.
 *
 * <p>The caller's thread, which must own {@code models} (they are not thread-safe).
 */
public final class ExtractJob {
    /**
     * How to extract.
     *
     * <p>Immutable; any thread.
     *
     * @param method latentkit's or Hitloop's
     * @param templates Hitloop's templates (required for {@link ExtractMethod#HITLOOP})
     * @param replace whether a kit of the same name is replaced
     * @param report folder for the report, or {@code null}
     */
    public record Options(ExtractMethod method, HitloopTemplates templates, boolean replace, Path report) {
        /** latentkit's method, no report, no replacing. */
        public static final Options DEFAULTS = new Options(ExtractMethod.LATENTKIT, null, false, null);
    }

    /**
     * What a job made.
     *
     * <p>Immutable; any thread.
     */
    public record Result(KitWriter.Written kit, Extraction extraction) {
    }

    private ExtractJob() {
    }

    /**
     * Extracts kit {@code name} into {@code kits} from {@code files}.
     *
     * @throws ExtractionException BAD_INPUT for unreadable, silent or hit-less recordings and bad
     *     or taken names (one line); INTERNAL for models or file-system failures
     */
    public static Result run(List<Path> files, String name, Options options, Models models, LibraryFolder kits,
            Progress progress) throws ExtractionException {
        try {
            kits.resolve(name);
            if (!options.replace() && Files.exists(kits.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                throw new ExtractionException(ExtractionException.Kind.BAD_INPUT, "a kit named '" + name
                        + "' already exists (replace it with --force, or remove it first)");
            }
        } catch (LibraryException e) {
            throw new ExtractionException(ExtractionException.Kind.BAD_INPUT, e.getMessage(), e);
        }
        int rate = models.spec().sampleRateHz();
        List<Recording> recordings = new ArrayList<>();
        for (Path f : files) {
            recordings.add(Recording.read(f, rate));
        }
        Extraction e = extract(recordings, options, models, progress);
        KitWriter.Written written;
        try {
            written = KitOutput.write(kits, name, e, options.replace());
        } catch (LibraryException ex) {
            throw new ExtractionException(ex.kind() == LibraryException.Kind.IO ? ExtractionException.Kind.INTERNAL
                    : ExtractionException.Kind.BAD_INPUT, ex.getMessage(), ex);
        }
        if (options.report() != null) {
            try {
                ReportWriter.write(options.report(), name, e);
            } catch (IOException ex) {
                throw new ExtractionException(ExtractionException.Kind.INTERNAL, "kit '" + name
                        + "' written, but not its report: " + ex.getMessage(), ex);
            }
        }
        return new Result(written, e);
    }

    /** Extracts without writing anything. */
    public static Extraction extract(List<Recording> recordings, Options options, Models models, Progress progress)
            throws ExtractionException {
        if (options.method() == ExtractMethod.HITLOOP) {
            if (options.templates() == null) {
                throw new ExtractionException(ExtractionException.Kind.BAD_INPUT,
                        "the hitloop method needs example hits per class (--templates DIR or KIT)");
            }
            return new HitloopExtractor(options.templates(), HitloopParameters.PUBLISHED).extract(recordings, progress);
        }
        try {
            return new Extractor(models.classifier(), models.vae()).extract(recordings, progress);
        } catch (ModelLoadException ex) {
            throw new ExtractionException(ExtractionException.Kind.INTERNAL, ex.getMessage(), ex);
        }
    }
}
