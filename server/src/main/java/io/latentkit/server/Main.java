package io.latentkit.server;

import io.latentkit.server.commands.ClassifyCommand;
import io.latentkit.server.commands.DemoCommand;
import io.latentkit.server.commands.ExtractCommand;
import io.latentkit.server.commands.GenerateCommand;
import io.latentkit.server.commands.KitCommand;
import io.latentkit.server.commands.ListenCommand;
import io.latentkit.server.commands.MidiCommand;
import io.latentkit.server.commands.NamespaceCommand;
import io.latentkit.server.commands.PatternCommand;
import io.latentkit.server.commands.RenderCommand;
import io.latentkit.server.commands.ServeCommand;
import io.latentkit.server.commands.SimilarCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * The {@code latentkit} command line: {@code serve} (the live server) and the offline tools.
 * Exit codes: 0 success, 2 bad usage or bad input (one line on stderr), 1 internal failure.
 *
 * <p>Threading: the main thread.
 */
@Command(name = "latentkit", mixinStandardHelpOptions = true, versionProvider = Version.class,
        description = "Real-time drum instrument server with a latent sound space.",
        subcommands = {ServeCommand.class, DemoCommand.class, KitCommand.class, MidiCommand.class,
            ClassifyCommand.class, SimilarCommand.class, ListenCommand.class, GenerateCommand.class, ExtractCommand.class,
            NamespaceCommand.class,
            RenderCommand.class, PatternCommand.class,
            CommandLine.HelpCommand.class})
public final class Main {
    /** Set when the command line itself ends the process, so a shutdown hook keeps its status. */
    private static volatile boolean exitingOnItsOwn;

    public static void main(String[] args) {
        // Jetty (the web console) reports its start-up at INFO; serve says where it listens itself.
        System.setProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty",
                System.getProperty("org.slf4j.simpleLogger.log.org.eclipse.jetty", "warn"));
        int code = run(args);
        exitingOnItsOwn = true;
        System.exit(code);
    }

    /**
     * Whether the process is ending because the command returned (its exit code stands) rather
     * than because of a signal (then a clean stop exits 0). Any thread.
     */
    public static boolean exitingOnItsOwn() {
        return exitingOnItsOwn;
    }

    /** Runs the command line and returns the exit code (for tests: no System.exit). */
    public static int run(String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            if (e instanceof UsageException) {
                cmd.getErr().println("latentkit: " + e.getMessage());
                return 2;
            }
            cmd.getErr().println("latentkit: internal error: " + e);
            e.printStackTrace(cmd.getErr());
            exitingOnItsOwn = true;
            return 1;
        });
        cli.setParameterExceptionHandler((e, params) -> {
            // One line with the reason, then a pointer to help, never the whole usage text.
            e.getCommandLine().getErr().println("latentkit: " + e.getMessage()
                    + " (see '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            return 2;
        });
        return cli.execute(args);
    }
}
