package io.latentkit.server.commands;

import io.latentkit.core.kit.DefaultKit;
import io.latentkit.core.namespace.Namespace;
import io.latentkit.core.namespace.Node;
import io.latentkit.core.namespace.NodeKind;
import io.latentkit.core.namespace.Range;
import io.latentkit.engine.Engine;
import io.latentkit.engine.EngineConfig;
import io.latentkit.osc.query.OscQueryTree;
import io.latentkit.server.ServerNamespace;
import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code latentkit namespace [--json]}: prints the control namespace of {@code serve}, every
 * address it answers with its types, ranges, unit and access, then the addresses it sends; with
 * {@code --json}, as the OSCQuery tree an OSCQuery client would read (with the built-in defaults as
 * values).
 *
 * <p>Threading: the main thread; builds an engine that never renders.
 */
@Command(name = "namespace", mixinStandardHelpOptions = true,
        description = "Print every control address of the server (OSC, MIDI learn, OSCQuery).")
public final class NamespaceCommand implements Callable<Integer> {
    @Option(names = "--json", description = "The OSCQuery tree as JSON.")
    boolean json;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        EngineConfig config = EngineConfig.defaults();
        try (Engine engine = Engine.create(config, DefaultKit.create(config.sampleRateHz()))) {
            Namespace ns = ServerNamespace.build(engine, null, () -> null);
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(OscQueryTree.json(ns, true));
            } else {
                print(ns, out);
            }
            out.flush();
        }
        return 0;
    }

    private static void print(Namespace ns, PrintWriter out) {
        out.println("receives (address, arguments, range, unit, access):");
        for (Node n : ns.templates()) {
            if (n.kind() != NodeKind.OUTPUT) {
                out.printf("  %-22s %-8s %-22s %-10s %-10s %s%n", n.template(), n.typeSignature(), ranges(n),
                        n.unit() == null ? "" : n.unit(), n.access().name().toLowerCase(Locale.ROOT), n.description());
            }
        }
        out.println("sends:");
        for (Node n : ns.templates()) {
            if (n.kind() == NodeKind.OUTPUT) {
                out.printf("  %-22s %-8s %s%n", n.template(), n.typeSignature(), n.description());
            }
        }
    }

    private static String ranges(Node n) {
        StringBuilder s = new StringBuilder();
        for (Range r : n.ranges()) {
            if (s.length() > 0) {
                s.append(' ');
            }
            if (r.isAny()) {
                s.append('-');
            } else if (!r.values().isEmpty()) {
                s.append(r.values());
            } else {
                s.append(fmt(r.min())).append("..").append(fmt(r.max()));
            }
        }
        return s.toString();
    }

    private static String fmt(Double d) {
        if (d == null) {
            return "";
        }
        return d == Math.rint(d) ? Long.toString(d.longValue()) : d.toString();
    }
}
