package io.latentkit.server.commands;

import io.latentkit.engine.sequence.Pattern;
import io.latentkit.presets.LibraryException;
import io.latentkit.presets.pattern.PatternCodec;
import io.latentkit.presets.pattern.PatternMidiFile;
import io.latentkit.presets.pattern.PatternStore;
import io.latentkit.server.UsageException;
import io.latentkit.server.patterns.PatternGenerator;
import io.latentkit.server.patterns.PatternMetrics;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import io.latentkit.core.DrumClass;
import io.latentkit.server.AudioOptions;

/**
 * {@code latentkit pattern}: generate one-bar patterns, list, import and export Standard MIDI Files.
 *
 * <p>Threading: the main thread.
 */
@Command(name = "pattern", mixinStandardHelpOptions = true, description = "Generate, import and export drum patterns.",
        subcommands = {PatternCommand.Generate.class, PatternCommand.Import.class, PatternCommand.Export.class,
            PatternCommand.ListPatterns.class})
public final class PatternCommand {
    /** {@code pattern generate --n N [--json] [--density D] [--seed S] [--save NAME] [--metrics]}. */
    @Command(name = "generate", mixinStandardHelpOptions = true, description = "Generate one-bar patterns.")
    public static final class Generate implements Callable<Integer> {
        @Option(names = "--n", defaultValue = "1", paramLabel = "N", description = "Bars to generate. Default: ${DEFAULT-VALUE}.")
        int n;

        @Option(names = "--json", description = "One latentkit-pattern JSON object per line.")
        boolean json;

        @Option(names = "--density", paramLabel = "D", description = "0..1: fewer or more hits (default: the model's).")
        Float density;

        @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: from the clock).")
        Long seed;

        @Option(names = "--save", paramLabel = "NAME", description = "Save the bars as one chained pattern (at most 16).")
        String save;

        @Option(names = "--metrics", description = "Print the metrics of the generated bars against the corpus.")
        boolean metrics;

        @Mixin
        KitCommand.DataOption data = new KitCommand.DataOption();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws LibraryException {
            if (n < 1 || n > 100_000) {
                throw new UsageException("--n must be 1..100000, got " + n);
            }
            if (density != null && !(density >= 0f && density <= 1f)) {
                throw new UsageException("--density must be 0..1, got " + density);
            }
            PatternGenerator g = PatternGenerator.shipped(seed == null ? System.nanoTime() : seed);
            List<Pattern> bars = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                bars.add(g.generate(density == null ? Float.NaN : density));
            }
            PrintWriter out = spec.commandLine().getOut();
            if (metrics) {
                printMetrics(out, bars, g.corpus());
            } else {
                for (Pattern p : bars) {
                    out.println(json ? PatternCodec.toObject(p).toString() : grid(p));
                }
            }
            if (save != null) {
                if (n > Pattern.MAX_BARS) {
                    throw new UsageException("--save keeps at most " + Pattern.MAX_BARS + " bars, got --n " + n);
                }
                Pattern chain = new Pattern().bars(n);
                for (int i = 0; i < n; i++) {
                    chain.copyBar(bars.get(i), 0, i);
                }
                try {
                    new PatternStore(data.folder().patterns()).save(save, chain);
                } catch (LibraryException e) {
                    throw new UsageException(e.getMessage(), e);
                }
                out.println("saved pattern '" + save + "'");
            }
            return 0;
        }
    }

    static void printMetrics(PrintWriter out, List<Pattern> bars, List<Pattern> corpus) {
        PatternMetrics.Summary c = PatternMetrics.of(corpus);
        PatternMetrics.Summary g = PatternMetrics.of(bars);
        out.printf("| set | bars | empty ratio | unqualified notes / bar | drum pattern | variation (cells) | hits / bar |%n");
        out.printf("|---|---|---|---|---|---|---|%n");
        out.printf("| corpus | %d | %.3f | %.3f | %.3f | %.1f | %.1f |%n", corpus.size(), c.emptyRatio(),
                c.unqualifiedNotes(), c.drumPattern(), c.variation(), c.hitsPerBar());
        out.printf("| generated | %d | %.3f | %.3f | %.3f | %.1f | %.1f |%n", bars.size(), g.emptyRatio(),
                g.unqualifiedNotes(), g.drumPattern(), g.variation(), g.hitsPerBar());
        out.printf("novelty (cells to the nearest corpus bar): %.2f%n", PatternMetrics.novelty(bars, corpus));
    }

    /** The bar as text rows, one per non-empty pad, 32 steps each. */
    static String grid(Pattern p) {
        StringBuilder b = new StringBuilder();
        for (DrumClass c : DrumClass.values()) {
            StringBuilder row = new StringBuilder();
            boolean any = false;
            for (int s = 0; s < PatternGenerator.STEPS; s++) {
                float v = p.velocity(c.pad(), s * 4);
                any |= v > 0f;
                row.append(v >= 0.9f ? 'X' : v >= 0.7f ? 'x' : v > 0f ? 'o' : '.');
            }
            if (any) {
                b.append(String.format("%-13s", c.oscName())).append(row).append('\n');
            }
        }
        return b.append('=').toString();
    }

    /** {@code pattern import FILE.mid --name NAME}. */
    @Command(name = "import", mixinStandardHelpOptions = true, description = "Import a Standard MIDI File (channel 10, GM map).")
    public static final class Import implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "FILE", description = "A .mid file.")
        Path file;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "Name of the pattern.")
        String name;

        @Mixin
        KitCommand.DataOption data = new KitCommand.DataOption();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try {
                PatternMidiFile.Imported in = PatternMidiFile.read(file);
                new PatternStore(data.folder().patterns()).save(name, in.pattern());
                spec.commandLine().getOut().printf("imported %s as pattern '%s': %d notes, %d bar(s)%s%n", file, name,
                        in.notes(), in.pattern().bars(), in.skippedNotes() > 0 ? ", " + in.skippedNotes()
                                + " notes without a pad or beyond 16 bars skipped" : "");
            } catch (LibraryException e) {
                throw new UsageException(e.getMessage(), e);
            }
            return 0;
        }
    }

    /** {@code pattern export NAME --out FILE.mid [--tempo BPM]}. */
    @Command(name = "export", mixinStandardHelpOptions = true, description = "Export a pattern as a Standard MIDI File.")
    public static final class Export implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "Name of the pattern.")
        String name;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The .mid file to write.")
        Path out;

        @Option(names = "--tempo", defaultValue = "120", paramLabel = "BPM", description = "Tempo written. Default: ${DEFAULT-VALUE}.")
        double tempo;

        @Mixin
        KitCommand.DataOption data = new KitCommand.DataOption();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            AudioOptions.checkWritable(out);
            if (!(tempo >= 20 && tempo <= 400)) {
                throw new UsageException("--tempo must be 20..400, got " + tempo);
            }
            try {
                Pattern p = new PatternStore(data.folder().patterns()).load(name);
                PatternMidiFile.write(p, tempo, out);
                spec.commandLine().getOut().printf("wrote %s: %d hits, %d bar(s)%n", out, p.hits(), p.bars());
            } catch (LibraryException e) {
                throw new UsageException(e.getMessage(), e);
            }
            return 0;
        }
    }

    /** {@code pattern list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the saved patterns.")
    public static final class ListPatterns implements Callable<Integer> {
        @Mixin
        KitCommand.DataOption data = new KitCommand.DataOption();

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws LibraryException {
            for (String s : new PatternStore(data.folder().patterns()).list()) {
                spec.commandLine().getOut().println(s);
            }
            return 0;
        }
    }
}
