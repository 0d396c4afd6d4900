package io.latentkit.server.commands;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.latentkit.core.DrumClass;
import io.latentkit.presets.DataFolder;
import io.latentkit.presets.LibraryException;
import io.latentkit.presets.kit.KitImporter;
import io.latentkit.presets.kit.KitLibrary;
import java.io.PrintWriter;
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
import picocli.CommandLine;

/**
 * {@code latentkit kit import SRC --name NAME [--force] [--root DIR]}, {@code latentkit kit list
 * [--json]} and {@code latentkit kit remove NAME}: the kit library from the command line. SRC is a
 * Hydrogen kit folder or {@code drumkit.xml}, an {@code .sfz} file (or a folder holding one), or a
 * folder of samples. The library lives in the data folder: {@code --data DIR}, else
 * {@code $LATENTKIT_HOME}, else {@code ~/.local/share/latentkit}.
 *
 * <p>Exit codes: 0 done; 2 bad usage or bad input (a bad or taken name, a source that is not a
 * kit), with one line on stderr; 1 internal failure (file system). Threading: the caller's thread
 * (a CLI command is its own loader thread).
 */
@Command(name = "kit", mixinStandardHelpOptions = true, description = "Manage the kit library.",
        subcommands = {KitCommand.Import.class, KitCommand.ListKits.class, KitCommand.Remove.class})
public final class KitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    public KitCommand() {
    }

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("latentkit kit: a subcommand is required: import, list or remove"
                + " (see 'latentkit kit --help')");
        return 2;
    }

    /** The {@code --data DIR} option shared by the subcommands. */
    public static final class DataOption {
        @Option(names = "--data", paramLabel = "DIR",
                description = "User data folder (default: $LATENTKIT_HOME or ~/.local/share/latentkit).")
        Path data;

        DataFolder folder() {
            return data != null ? new DataFolder(data) : DataFolder.defaultFolder();
        }
    }

    /** {@code kit import SRC --name NAME [--force] [--root DIR]}. */
    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Import a Hydrogen kit, an SFZ file or a folder of samples into the kit library.")
    public static final class Import implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "SRC",
                description = "Hydrogen kit folder or drumkit.xml, .sfz file or a folder holding one, or a folder of samples.")
        Path source;

        @Option(names = "--name", required = true, paramLabel = "NAME", description = "Name of the kit in the library.")
        String name;

        @Option(names = "--force", description = "Replace a kit of the same name (atomically: the old one stays until the new one is complete).")
        boolean force;

        @Option(names = "--root", paramLabel = "DIR",
                description = "Folder the SFZ file's samples may come from (it must hold SRC; default: SRC's own folder).")
        Path root;

        @Mixin
        DataOption data;

        @Spec
        CommandSpec spec;

        public Import() {
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            try {
                DataFolder folder = data.folder().create();
                KitImporter.Result r = new KitLibrary(folder).importKit(source, name, new KitImporter.Options(root, force));
                for (String w : r.manifest().warnings()) {
                    err.println("latentkit: warning: " + w);
                }
                err.flush();
                out.printf("imported kit '%s' from %s '%s': %d pads (%s), %d alternates, into %s%n", r.name(),
                        r.manifest().source().type(), r.manifest().source().title(), r.filledPads().size(),
                        String.join(" ", r.filledPads()), r.manifest().alternates().size(), r.folder());
                out.flush();
                return 0;
            } catch (LibraryException e) {
                return fail(err, e);
            }
        }
    }

    /** {@code kit list [--json]}. */
    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the kits in the library: pads filled, source format, size on disk.")
    public static final class ListKits implements Callable<Integer> {
        @Option(names = "--json", description = "A JSON array: name, format, title, pads, alternates, samples, bytes per kit.")
        boolean json;

        @Mixin
        DataOption data;

        @Spec
        CommandSpec spec;

        public ListKits() {
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            try {
                List<KitLibrary.Summary> kits = new KitLibrary(data.folder()).summaries();
                if (json) {
                    ObjectMapper mapper = new ObjectMapper();
                    ArrayNode a = mapper.createArrayNode();
                    for (KitLibrary.Summary k : kits) {
                        ObjectNode o = a.addObject();
                        o.put("name", k.name());
                        o.put("format", k.format());
                        o.put("title", k.title());
                        ArrayNode pads = o.putArray("pads");
                        k.pads().forEach(pads::add);
                        o.put("alternates", k.alternates());
                        o.put("samples", k.samples());
                        o.put("bytes", k.bytes());
                    }
                    out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(a));
                } else {
                    for (KitLibrary.Summary k : kits) {
                        out.printf(Locale.ROOT, "%s  %s  %d/%d pads (%s)  %d samples  %s%n", k.name(), k.format(),
                                k.pads().size(), DrumClass.COUNT, String.join(" ", k.pads()), k.samples(), size(k.bytes()));
                    }
                }
                out.flush();
                return 0;
            } catch (LibraryException e) {
                return fail(spec.commandLine().getErr(), e);
            } catch (JsonProcessingException e) {
                spec.commandLine().getErr().println("latentkit: internal failure: " + e.getMessage());
                return 1;
            }
        }

        static String size(long bytes) {
            if (bytes < 1024) {
                return bytes + " B";
            }
            if (bytes < 1024 * 1024) {
                return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
            }
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
        }
    }

    /** {@code kit remove NAME}. */
    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove a kit from the library (a running server keeps playing it until another kit loads).")
    public static final class Remove implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "Name of the kit in the library.")
        String name;

        @Mixin
        DataOption data;

        @Spec
        CommandSpec spec;

        public Remove() {
        }

        @Override
        public Integer call() {
            try {
                new KitLibrary(data.folder()).remove(name);
                spec.commandLine().getOut().printf("removed kit '%s'%n", name);
                spec.commandLine().getOut().flush();
                return 0;
            } catch (LibraryException e) {
                return fail(spec.commandLine().getErr(), e);
            }
        }
    }

    static int fail(PrintWriter err, LibraryException e) {
        err.println("latentkit: " + e.getMessage());
        err.flush();
        return e.kind().isBadInput() ? 2 : 1;
    }

    /** Runs the command on its own (tests; the top-level command registers it as a subcommand). */
    static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new KitCommand());
        cli.setOut(out);
        cli.setErr(err);
        // As the top-level command does: one line with the reason, not the usage text.
        cli.setParameterExceptionHandler((e, params) -> {
            e.getCommandLine().getErr().println("latentkit: " + e.getMessage());
            return 2;
        });
        return cli.execute(args);
    }
}
