package io.latentkit.server.commands;

import io.latentkit.engine.midi.MidiPorts;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code latentkit midi}: MIDI utilities. {@code latentkit midi list} prints every MIDI device
 * Java Sound reports, one per line, marking which ones {@code serve} opens as inputs (and which
 * {@code --midi-clock-out} can send to); the JDK's own synthesizer and sequencer are listed but
 * never opened.
 *
 * <p>Exit codes: 0 listed, 2 bad usage, 1 the MIDI system failed.
 *
 * <p>Threading: picocli's calling thread.
 */
@Command(name = "midi", description = "MIDI devices.", mixinStandardHelpOptions = true,
        subcommands = {MidiCommand.ListCommand.class})
public final class MidiCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    public MidiCommand() {
        // picocli instantiates commands reflectively.
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing subcommand: latentkit midi list");
    }

    /** {@code latentkit midi list [--inputs]}. */
    @Command(name = "list", description = "Lists MIDI devices; inputs are what `serve` opens.",
            mixinStandardHelpOptions = true)
    public static final class ListCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--inputs", description = "Only the devices `serve` opens as inputs.")
        boolean inputsOnly;

        public ListCommand() {
            // picocli instantiates commands reflectively.
        }

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            List<MidiPorts.Entry> entries;
            try {
                entries = MidiPorts.list();
            } catch (RuntimeException e) {
                spec.commandLine().getErr().println("latentkit midi list: MIDI system failed: " + e);
                return 1;
            }
            int shown = 0;
            for (MidiPorts.Entry e : entries) {
                if (inputsOnly && !e.isInput()) {
                    continue;
                }
                String use = e.isInput() ? "opened by serve" : e.isOutput() ? "clock out" : "not used";
                out.printf("%-13s %-40s %s (%s; %s)%n", e.kind(), e.name(), e.description(), e.vendor(), use);
                shown++;
            }
            if (shown == 0) {
                out.println(inputsOnly ? "no MIDI input devices" : "no MIDI devices");
            }
            out.flush();
            return 0;
        }
    }
}
