package io.latentkit.server;

import io.latentkit.core.DrumClass;
import io.latentkit.core.kit.PadParam;
import io.latentkit.engine.control.TelemetryHandler;
import io.latentkit.engine.control.TelemetryReader;
import io.latentkit.midi.MidiInput;
import org.agrona.concurrent.Agent;

/**
 * Tells MIDI pick-up what the values its knobs drive are now, whoever changed them (OSC, the web
 * console, a preset, another knob): it follows the render thread's parameter and tempo records on
 * the telemetry stream, so MIDI keeps no private copies of its own.
 *
 * <p>Threading: an agent of the server's conductor; its duty cycle on the conductor thread only.
 */
public final class MidiValueFollower implements Agent, TelemetryHandler {
    private final TelemetryReader telemetry;
    private final MidiInput midi;
    /** Addresses built once, so following a value allocates nothing. */
    private final String[][] padAddresses = new String[DrumClass.COUNT][PadParam.values().length];

    public MidiValueFollower(TelemetryReader telemetry, MidiInput midi) {
        this.telemetry = telemetry;
        this.midi = midi;
        for (int p = 0; p < DrumClass.COUNT; p++) {
            for (PadParam param : PadParam.values()) {
                padAddresses[p][param.ordinal()] = "/pad/" + p + "/" + param.oscName();
            }
        }
    }

    @Override
    public int doWork() {
        return telemetry.poll(this, 512);
    }

    @Override
    public void onParam(int pad, int param, float value, long frame) {
        midi.onValue(padAddresses[pad][param], value);
    }

    @Override
    public void onTempo(float bpm, long frame) {
        midi.onValue("/tempo", bpm);
    }

    @Override
    public String roleName() {
        return "latentkit-midi-values";
    }
}
