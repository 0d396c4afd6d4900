package io.latentkit.midi;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * How MIDI input is set up; what {@code latentkit serve --midi-*} options fill in.
 *
 * <p>Immutable; any thread.
 *
 * @param inputs device name filters ({@code --midi-in NAME}, repeatable): a device is opened when
 *     its name contains one of them, ignoring case; empty opens every input device
 * @param channel the drum channel 1..16 (default 10, General MIDI percussion), or 0 for omni
 * @param deviceChannels per-device channel overrides: a device whose name contains the key
 *     (ignoring case) listens on the value (1..16, or 0 for omni)
 * @param velocityCurve note velocity to engine velocity, see {@link VelocityCurve}
 * @param latencyMs safety latency added to every timestamped message so that it reaches the
 *     render thread before its frame is rendered; at least two engine blocks (default 3 ms)
 * @param rescanIntervalMs how often devices are rescanned for hot-plug (default 2000 ms); 0
 *     scans only at start
 * @param learnTakeover takeover mode of bindings made by MIDI learn (default pick-up)
 * @param clockIn whether MIDI clock sets the engine tempo (default true)
 * @param tagTriggers whether triggers carry telemetry tags (for latency measurement; default false)
 */
public record MidiConfig(
        List<String> inputs,
        int channel,
        Map<String, Integer> deviceChannels,
        VelocityCurve velocityCurve,
        double latencyMs,
        long rescanIntervalMs,
        Takeover learnTakeover,
        boolean clockIn,
        boolean tagTriggers) {

    /** The General MIDI percussion channel. */
    public static final int GM_DRUM_CHANNEL = 10;
    /** Listen on every channel. */
    public static final int OMNI = 0;

    public MidiConfig {
        inputs = List.copyOf(Objects.requireNonNull(inputs, "inputs"));
        checkChannel(channel);
        deviceChannels = Map.copyOf(Objects.requireNonNull(deviceChannels, "deviceChannels"));
        deviceChannels.values().forEach(MidiConfig::checkChannel);
        Objects.requireNonNull(velocityCurve, "velocityCurve");
        if (!(latencyMs >= 0 && latencyMs <= 1000)) {
            throw new IllegalArgumentException("MIDI latency must be 0..1000 ms, got " + latencyMs);
        }
        if (rescanIntervalMs != 0 && (rescanIntervalMs < 10 || rescanIntervalMs > 3_600_000)) {
            throw new IllegalArgumentException("rescan interval must be 0 (off) or 10..3600000 ms, got "
                    + rescanIntervalMs);
        }
        Objects.requireNonNull(learnTakeover, "learnTakeover");
    }

    private static void checkChannel(int ch) {
        if (ch < 0 || ch > 16) {
            throw new IllegalArgumentException("MIDI channel must be 1..16 or omni, got " + ch);
        }
    }

    /** Every input, channel 10, linear velocity, 3 ms safety latency, rescans every 2 s, pick-up learn, clock in. */
    public static MidiConfig defaults() {
        return new MidiConfig(List.of(), GM_DRUM_CHANNEL, Map.of(), VelocityCurve.LINEAR, 3.0, 2000,
                Takeover.PICKUP, true, false);
    }

    /** Parses a channel option: 1..16 or {@code omni} (0 for omni). */
    public static int parseChannel(String s) {
        String n = s.trim().toLowerCase(Locale.ROOT);
        if (n.equals("omni") || n.equals("all")) {
            return OMNI;
        }
        try {
            int ch = Integer.parseInt(n);
            if (ch >= 1 && ch <= 16) {
                return ch;
            }
        } catch (NumberFormatException e) {
            // falls through to the one-line reason below
        }
        throw new IllegalArgumentException("MIDI channel must be 1..16 or omni, got '" + s + "'");
    }

    /** Whether a device of this name is opened. */
    public boolean accepts(String deviceName) {
        if (inputs.isEmpty()) {
            return true;
        }
        String n = deviceName.toLowerCase(Locale.ROOT);
        for (String f : inputs) {
            if (n.contains(f.toLowerCase(Locale.ROOT))) {
                return true;
            }
        }
        return false;
    }

    /** The channel a device of this name listens on (1..16, or 0 for omni). */
    public int channelFor(String deviceName) {
        String n = deviceName.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, Integer> e : deviceChannels.entrySet()) {
            if (n.contains(e.getKey().toLowerCase(Locale.ROOT))) {
                return e.getValue();
            }
        }
        return channel;
    }

    public MidiConfig withInputs(List<String> names) {
        return new MidiConfig(names, channel, deviceChannels, velocityCurve, latencyMs, rescanIntervalMs,
                learnTakeover, clockIn, tagTriggers);
    }

    public MidiConfig withChannel(int ch) {
        return new MidiConfig(inputs, ch, deviceChannels, velocityCurve, latencyMs, rescanIntervalMs,
                learnTakeover, clockIn, tagTriggers);
    }

    public MidiConfig withDeviceChannels(Map<String, Integer> channels) {
        return new MidiConfig(inputs, channel, channels, velocityCurve, latencyMs, rescanIntervalMs,
                learnTakeover, clockIn, tagTriggers);
    }

    public MidiConfig withVelocityCurve(VelocityCurve curve) {
        return new MidiConfig(inputs, channel, deviceChannels, curve, latencyMs, rescanIntervalMs,
                learnTakeover, clockIn, tagTriggers);
    }

    public MidiConfig withLatencyMs(double ms) {
        return new MidiConfig(inputs, channel, deviceChannels, velocityCurve, ms, rescanIntervalMs,
                learnTakeover, clockIn, tagTriggers);
    }

    public MidiConfig withRescanIntervalMs(long ms) {
        return new MidiConfig(inputs, channel, deviceChannels, velocityCurve, latencyMs, ms,
                learnTakeover, clockIn, tagTriggers);
    }

    public MidiConfig withLearnTakeover(Takeover t) {
        return new MidiConfig(inputs, channel, deviceChannels, velocityCurve, latencyMs, rescanIntervalMs, t,
                clockIn, tagTriggers);
    }

    public MidiConfig withClockIn(boolean on) {
        return new MidiConfig(inputs, channel, deviceChannels, velocityCurve, latencyMs, rescanIntervalMs,
                learnTakeover, on, tagTriggers);
    }

    public MidiConfig withTagTriggers(boolean on) {
        return new MidiConfig(inputs, channel, deviceChannels, velocityCurve, latencyMs, rescanIntervalMs,
                learnTakeover, clockIn, on);
    }
}
