package io.latentkit.server;

import io.latentkit.engine.control.EngineProxy;
import io.latentkit.engine.control.EngineSnapshot;
import io.latentkit.midi.MidiClockOut;
import java.util.concurrent.TimeUnit;

/**
 * Keeps MIDI clock out at the engine's tempo, whoever set it (OSC {@code /tempo}, MIDI clock in, a
 * preset): every 100 ms it asks the render thread for a snapshot and passes a changed tempo on.
 *
 * <p>Threading: one daemon thread of its own ({@code latentkit-tempo}); {@link #close} from any
 * thread.
 */
public final class TempoFollower implements AutoCloseable {
    private static final long PERIOD_MS = 100;

    private final Thread thread;
    private volatile boolean running = true;

    private TempoFollower(EngineProxy proxy, MidiClockOut out) {
        thread = new Thread(() -> {
            float last = Float.NaN;
            while (running) {
                EngineSnapshot s = new EngineSnapshot();
                try {
                    if (proxy.snapshot(s) && s.await(1, TimeUnit.SECONDS) && s.tempoBpm() != last) {
                        last = s.tempoBpm();
                        out.tempo(last);
                    }
                    Thread.sleep(PERIOD_MS);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "latentkit-tempo");
        thread.setDaemon(true);
    }

    /** Starts following. */
    public static TempoFollower start(EngineProxy proxy, MidiClockOut out) {
        TempoFollower f = new TempoFollower(proxy, out);
        f.thread.start();
        return f;
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
