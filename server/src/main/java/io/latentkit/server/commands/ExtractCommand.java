package io.latentkit.server.commands;

import io.latentkit.core.kit.Kit;
import io.latentkit.extract.BatchExtractor;
import io.latentkit.extract.ExtractJob;
import io.latentkit.extract.ExtractMethod;
import io.latentkit.extract.Extraction;
import io.latentkit.extract.ExtractionException;
import io.latentkit.extract.Progress;
import io.latentkit.extract.hitloop.HitloopParameters;
import io.latentkit.extract.hitloop.HitloopTemplates;
import io.latentkit.models.Models;
import io.latentkit.presets.DataFolder;
import io.latentkit.presets.LibraryException;
import io.latentkit.presets.kit.KitLibrary;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code latentkit extract RECORDING... --out-kit NAME [--report DIR] [--method latentkit|hitloop]
 * [--templates DIR|KIT] [--force]}: a kit of the best hits of one or more recordings, written into
 * the kit library (so {@code kit list} shows it and {@code /kit/load} plays it); and
 * {@code latentkit extract --batch DIR [--out-kit PREFIX] [--threads N]}: one kit per recording of
 * a folder, on every core. A progress bar on stderr when it is a terminal.
 *
 * <p>Exit codes: 0 done; 2 bad usage or input (unreadable, silent or hit-less recording, bad or
 * taken name), one line on stderr, nothing written; 1 internal failure. Threading: the caller's
 * thread owns the models (batch mode: one set per pool thread).
 */
@Command(name = "extract", mixinStandardHelpOptions = true,
        description = "Extract a kit of the best hits of recordings (WAV, AIFF, FLAC) into the kit library.")
public final class ExtractCommand implements Callable<Integer> {
    @Parameters(arity = "0..*", paramLabel = "RECORDING", description = "recordings to extract one kit from")
    List<Path> recordings;

    @Option(names = "--out-kit", paramLabel = "NAME",
            description = "name of the kit in the library (with --batch: a prefix for each recording's kit)")
    String outKit;

    @Option(names = "--report", paramLabel = "DIR",
            description = "write report.json, waveform.png, pads.png and latent.png here (--batch: one folder per kit)")
    Path report;

    @Option(names = "--method", paramLabel = "METHOD", defaultValue = "latentkit",
            description = "latentkit (default) or hitloop (the Hitloop paper's sliding window, the baseline)")
    String method;

    @Option(names = "--templates", paramLabel = "DIR|KIT",
            description = "hitloop's example hits: a folder of class-named folders, or a kit of the library")
    String templates;

    @Option(names = "--force", description = "replace a kit of the same name (atomically)")
    boolean force;

    @Option(names = "--batch", paramLabel = "DIR", description = "extract every recording in DIR into a kit of its own")
    Path batch;

    @Option(names = "--threads", paramLabel = "N", description = "batch threads (default: one per core)")
    Integer threads;

    @Mixin
    KitCommand.DataOption data = new KitCommand.DataOption();

    @Spec
    CommandSpec spec;

    public ExtractCommand() {
        // picocli fills the fields.
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        ExtractMethod m;
        try {
            m = ExtractMethod.valueOf(method.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            err.println("latentkit extract: --method is latentkit or hitloop, not '" + method + "'");
            return 2;
        }
        if (batch == null && (recordings == null || recordings.isEmpty())) {
            err.println("latentkit extract: give RECORDING... or --batch DIR (see 'latentkit extract --help')");
            return 2;
        }
        if (batch == null && outKit == null) {
            err.println("latentkit extract: --out-kit NAME is required");
            return 2;
        }
        DataFolder folder;
        try {
            folder = data.folder().create();
        } catch (LibraryException e) {
            err.println("latentkit extract: " + e.getMessage());
            return 1;
        }
        Models models = Models.loadDefault();
        if (!models.isAvailable()) {
            err.println("latentkit extract: models unavailable: " + models.unavailableReason().orElse("unknown"));
            return 1;
        }
        try (models) {
            ExtractJob.Options options = new ExtractJob.Options(m, m == ExtractMethod.HITLOOP ? templates(folder) : null,
                    force, report);
            KitLibrary library = new KitLibrary(folder);
            return batch != null ? batch(options, library, out, err)
                    : single(options, models, library, out, err);
        } catch (ExtractionException e) {
            err.println("latentkit extract: " + e.getMessage());
            return e.kind() == ExtractionException.Kind.BAD_INPUT ? 2 : 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 1;
        }
    }

    private int single(ExtractJob.Options options, Models models, KitLibrary library, PrintWriter out, PrintWriter err)
            throws ExtractionException {
        ProgressBar bar = new ProgressBar(err, System.console() != null);
        ExtractJob.Result r;
        try {
            r = ExtractJob.run(recordings, outKit, options, models, library.folder(), bar);
        } finally {
            bar.finish();
        }
        Extraction e = r.extraction();
        for (String n : e.notes()) {
            err.println("latentkit extract: note: " + n);
        }
        err.flush();
        out.printf(Locale.ROOT, "extracted kit '%s' (%s) from %d recording%s: %d hits, %d kept, %d rejected; %d pads (%s) into %s%n",
                r.kit().name(), e.method().cliName(), e.recordings().size(), e.recordings().size() == 1 ? "" : "s",
                e.hits().size(), e.keptHits(), e.rejectedHits(), e.pads().size(), String.join(" ", r.kit().manifest().filledPads()),
                r.kit().folder());
        if (report != null) {
            out.printf("report: %s%n", report.toAbsolutePath());
        }
        out.flush();
        return 0;
    }

    private int batch(ExtractJob.Options options, KitLibrary library, PrintWriter out, PrintWriter err)
            throws ExtractionException, InterruptedException {
        List<Path> files;
        try {
            files = BatchExtractor.recordings(batch);
        } catch (IOException e) {
            throw new ExtractionException(ExtractionException.Kind.BAD_INPUT, "cannot list " + batch + ": " + e.getMessage(), e);
        }
        if (files.isEmpty()) {
            throw new ExtractionException(ExtractionException.Kind.BAD_INPUT, batch + " holds no WAV, AIFF or FLAC file");
        }
        int n = threads != null ? threads : Runtime.getRuntime().availableProcessors();
        if (n < 1 || n > 256) {
            throw new ExtractionException(ExtractionException.Kind.BAD_INPUT, "--threads must be 1..256, got " + n);
        }
        ProgressBar bar = new ProgressBar(err, System.console() != null);
        List<BatchExtractor.Outcome> outcomes;
        try {
            outcomes = BatchExtractor.run(files, outKit == null ? "" : outKit, options, n, Models::loadDefault,
                    library.folder(), bar);
        } finally {
            bar.finish();
        }
        int failed = 0;
        for (BatchExtractor.Outcome o : outcomes) {
            if (o.error() != null) {
                failed++;
                err.println("latentkit extract: " + o.file().getFileName() + ": " + o.error());
            } else {
                out.printf(Locale.ROOT, "%s -> kit '%s': %d pads (%s)%n", o.file().getFileName(), o.kit(),
                        o.result().extraction().pads().size(), String.join(" ", o.result().kit().manifest().filledPads()));
            }
        }
        out.printf("%d of %d recordings extracted on %d threads%n", outcomes.size() - failed, outcomes.size(), n);
        out.flush();
        err.flush();
        return failed == 0 ? 0 : 2;
    }

    private HitloopTemplates templates(DataFolder folder) throws ExtractionException {
        if (templates == null) {
            throw new ExtractionException(ExtractionException.Kind.BAD_INPUT,
                    "--method hitloop needs example hits: --templates DIR (class-named folders) or KIT");
        }
        Path dir = Path.of(templates);
        if (Files.isDirectory(dir)) {
            return HitloopTemplates.fromFolder(dir, HitloopParameters.PUBLISHED);
        }
        try {
            Kit kit = new KitLibrary(folder).load(templates, HitloopParameters.PUBLISHED.sampleRateHz());
            return HitloopTemplates.of(kit, HitloopParameters.PUBLISHED);
        } catch (LibraryException e) {
            throw new ExtractionException(ExtractionException.Kind.BAD_INPUT, "--templates: " + e.getMessage(), e);
        }
    }

    /** A one-line bar on stderr, redrawn in place; silent when stderr is not a terminal. Caller's thread. */
    static final class ProgressBar implements Progress {
        private final PrintWriter err;
        private final boolean enabled;
        private int drawn = -1;

        ProgressBar(PrintWriter err, boolean enabled) {
            this.err = err;
            this.enabled = enabled;
        }

        @Override
        public synchronized void at(String stage, double fraction) {
            int pct = (int) Math.round(100 * Math.max(0, Math.min(1, fraction)));
            if (!enabled || pct == drawn) {
                return;
            }
            drawn = pct;
            int filled = pct * 30 / 100;
            err.print("\r[" + "#".repeat(filled) + ".".repeat(30 - filled) + "] " + pct + "% " + stage + "    ");
            err.flush();
        }

        synchronized void finish() {
            if (enabled && drawn >= 0) {
                err.print("\r" + " ".repeat(60) + "\r");
                err.flush();
            }
        }
    }
}
