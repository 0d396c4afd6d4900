package io.latentkit.server;

import io.latentkit.engine.control.TelemetryHandler;
import io.latentkit.engine.control.TelemetryReader;
import io.latentkit.midi.MidiClockOut;
import org.agrona.concurrent.Agent;

/**
 * Keeps MIDI clock out at the engine's tempo, whoever set it (OSC {@code /tempo}, MIDI clock in, a
 * preset): it follows the render thread's tempo records on the telemetry stream and passes each
 * change on.
 *
 * <p>Threading: an agent of the server's conductor; its duty cycle on the conductor thread only.
 */
public final class TempoFollower implements Agent, TelemetryHandler {
    private final TelemetryReader telemetry;
    private final MidiClockOut out;
    private float last = Float.NaN;

    public TempoFollower(TelemetryReader telemetry, MidiClockOut out) {
        this.telemetry = telemetry;
        this.out = out;
    }

    @Override
    public int doWork() {
        return telemetry.poll(this, 256);
    }

    @Override
    public void onTempo(float bpm, long frame) {
        if (bpm != last) {
            last = bpm;
            out.tempo(bpm);
        }
    }

    @Override
    public String roleName() {
        return "latentkit-tempo";
    }
}
