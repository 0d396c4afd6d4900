package io.latentkit.server.commands;

import io.latentkit.midi.MidiConfig;
import io.latentkit.midi.MidiPorts;
import io.latentkit.midi.Takeover;
import io.latentkit.midi.VelocityCurve;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
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

    /**
     * The MIDI options of {@code latentkit serve}, as a picocli mixin: add
     * {@code @Mixin MidiCommand.ServeOptions midi;} to the serve command and call
     * {@link #toConfig(CommandLine)}; start MIDI with {@code MidiInput.start(config, engine)} unless
     * {@link #disabled} is set, and {@code MidiClockOut.open(clockOut, bpm)} when
     * {@link #clockOut} is set.
     *
     * <p>Threading: picocli's calling thread.
     */
    public static final class ServeOptions {
        @Option(names = "--midi-in", paramLabel = "NAME",
                description = "Open only MIDI inputs whose name contains NAME (repeatable; default: every input).")
        List<String> inputs = new ArrayList<>();

        @Option(names = "--midi-channel", paramLabel = "1..16|omni", defaultValue = "10",
                description = "Drum channel for every device (default: ${DEFAULT-VALUE}, General MIDI percussion).")
        String channel;

        @Option(names = "--midi-device-channel", paramLabel = "NAME=1..16|omni",
                description = "Channel for the devices whose name contains NAME (repeatable).")
        Map<String, String> deviceChannels = new HashMap<>();

        @Option(names = "--midi-velocity", paramLabel = "CURVE", defaultValue = "linear",
                description = "Velocity curve: linear, soft, hard, fixed or gamma:X (default: ${DEFAULT-VALUE}).")
        String velocity;

        @Option(names = "--midi-latency-ms", paramLabel = "MS", defaultValue = "3",
                description = "Safety latency added to timestamped MIDI, at least two engine blocks (default: ${DEFAULT-VALUE}).")
        double latencyMs;

        @Option(names = "--midi-rescan-ms", paramLabel = "MS", defaultValue = "2000",
                description = "Hot-plug rescan interval; 0 scans only at start (default: ${DEFAULT-VALUE}).")
        long rescanMs;

        @Option(names = "--midi-takeover", paramLabel = "jump|pickup", defaultValue = "pickup",
                description = "Takeover mode of knobs bound by MIDI learn (default: ${DEFAULT-VALUE}).")
        String takeover;

        @Option(names = "--midi-clock-in", negatable = true, defaultValue = "true", fallbackValue = "true",
                description = "Follow MIDI clock in for the tempo (default: on).")
        boolean clockIn;

        @Option(names = "--midi-clock-out", paramLabel = "NAME",
                description = "Send MIDI clock at the engine tempo to the output whose name contains NAME.")
        String clockOut;

        @Option(names = "--no-midi", description = "Do not open any MIDI device.")
        boolean disabled;

        public ServeOptions() {
            // picocli instantiates mixins reflectively.
        }

        /** Whether MIDI is switched off. */
        public boolean disabled() {
            return disabled;
        }

        /** The clock-out device name, or {@code null} for none. */
        public String clockOut() {
            return clockOut;
        }

        /**
         * The configuration these options describe.
         *
         * @throws ParameterException with a one-line reason (exit code 2) for a bad value
         */
        public MidiConfig toConfig(CommandLine cmd) {
            try {
                Map<String, Integer> perDevice = new HashMap<>();
                deviceChannels.forEach((name, ch) -> perDevice.put(name, MidiConfig.parseChannel(ch)));
                return new MidiConfig(inputs, MidiConfig.parseChannel(channel), perDevice,
                        VelocityCurve.parse(velocity), latencyMs, rescanMs, Takeover.parse(takeover), clockIn, false);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(cmd, e.getMessage(), e);
            }
        }
    }
}
