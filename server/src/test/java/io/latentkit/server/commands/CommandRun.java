package io.latentkit.server.commands;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/** Test helper: runs a command with captured stdout and stderr. */
record CommandRun(int exit, String out, String err) {
    static CommandRun of(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new CommandRun(exit, out.toString(), err.toString());
    }

    static Path fixture(String name) throws Exception {
        return Path.of(CommandRun.class.getResource("/io/latentkit/server/commands/" + name).toURI());
    }
}
